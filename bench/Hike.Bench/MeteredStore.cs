using Hike.Storage;
using Hike.Testing;

namespace Hike.Bench;

/// <summary>
/// A store that counts the calls made of <paramref name="inner"/>, reads (Get, GetRange, Size, List)
/// and writes (Put, Append, CompareAndSet, CreateThenCompareAndSet as two, with the bytes they carry).
/// It owns <paramref name="inner"/>
/// only when <paramref name="ownsInner"/>: one that does not lets a benchmark open the database in it
/// again after a connection closed it. Thread-safe.
/// </summary>
internal sealed class MeteredStore(IKeyValueStore inner, bool ownsInner) : DelegatingStore(inner)
{
    private long _reads;
    private long _writes;
    private long _writtenBytes;

    /// <summary>The reads since the last <see cref="Reset"/>.</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>The writes since the last <see cref="Reset"/>: each an object, row or key written (or a head moved).</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>The bytes those writes carried.</summary>
    public long WrittenBytes => Interlocked.Read(ref _writtenBytes);

    /// <summary>Starts counting from zero.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _reads, 0);
        Interlocked.Exchange(ref _writes, 0);
        Interlocked.Exchange(ref _writtenBytes, 0);
    }

    public override byte[]? Get(string key)
    {
        Read();
        return Inner.Get(key);
    }

    public override byte[]? GetRange(string key, long offset, int length)
    {
        Read();
        return Inner.GetRange(key, offset, length);
    }

    public override long? Size(string key)
    {
        Read();
        return Inner.Size(key);
    }

    public override IEnumerable<string> List(string prefix)
    {
        Read();
        return Inner.List(prefix);
    }

    public override void Put(string key, ReadOnlySpan<byte> value)
    {
        Wrote(value.Length);
        Inner.Put(key, value);
    }

    public override long Append(string key, ReadOnlySpan<byte> value)
    {
        Wrote(value.Length);
        return Inner.Append(key, value);
    }

    public override bool CompareAndSet(string key, ReadOnlySpan<byte> expected, bool expectAbsent, ReadOnlySpan<byte> value)
    {
        Wrote(value.Length);
        return Inner.CompareAndSet(key, expected, expectAbsent, value);
    }

    /// <summary>Passed on as one step (a SQL store's one statement or transaction), counted as the two objects it writes.</summary>
    public override bool CreateThenCompareAndSet(string key, ReadOnlySpan<byte> value, string casKey, ReadOnlySpan<byte> expected, bool expectAbsent, ReadOnlySpan<byte> casValue)
    {
        Wrote(value.Length);
        Wrote(casValue.Length);
        return Inner.CreateThenCompareAndSet(key, value, casKey, expected, expectAbsent, casValue);
    }

    public override void Dispose()
    {
        if (ownsInner) Inner.Dispose();
    }

    private void Read() => Interlocked.Increment(ref _reads);

    private void Wrote(int bytes)
    {
        Interlocked.Increment(ref _writes);
        Interlocked.Add(ref _writtenBytes, bytes);
    }
}
