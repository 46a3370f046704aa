using Hike.Storage;

namespace Hike.Tests.Durability;

/// <summary>Counts the reads made through it (and the objects read, by envelope kind), and the bytes written.</summary>
internal sealed class CountingStore(IKeyValueStore inner) : IKeyValueStore
{
    public readonly int[] ObjectReads = new int[256];

    public int Gets;

    public long BytesWritten;

    /// <summary>How many writes (put, append, compare-and-set, delete) were made through it.</summary>
    public int Writes;

    public byte[]? Get(string key)
    {
        Interlocked.Increment(ref Gets);
        return inner.Get(key);
    }

    public byte[]? GetRange(string key, long offset, int length)
    {
        Interlocked.Increment(ref Gets);
        var bytes = inner.GetRange(key, offset, length);
        if (bytes is { Length: > Hike.Index.Codec.Envelope.HeaderSize } && bytes[0] == 'H' && bytes[1] == 'k') Interlocked.Increment(ref ObjectReads[bytes[3]]);
        return bytes;
    }

    public long? Size(string key) => inner.Size(key);

    public void Trim(string key, IReadOnlyList<(long Offset, long Length)> ranges) => inner.Trim(key, ranges);

    public bool AppendsInPlace => inner.AppendsInPlace;

    public long Append(string key, ReadOnlySpan<byte> value)
    {
        Interlocked.Add(ref BytesWritten, value.Length);
        Interlocked.Increment(ref Writes);
        return inner.Append(key, value);
    }

    public void Put(string key, ReadOnlySpan<byte> value)
    {
        Interlocked.Add(ref BytesWritten, value.Length);
        Interlocked.Increment(ref Writes);
        inner.Put(key, value);
    }

    public bool Delete(string key)
    {
        Interlocked.Increment(ref Writes);
        return inner.Delete(key);
    }

    public IEnumerable<string> List(string prefix) => inner.List(prefix);

    public bool CompareAndSet(string key, ReadOnlySpan<byte> expected, bool expectAbsent, ReadOnlySpan<byte> value)
    {
        Interlocked.Add(ref BytesWritten, value.Length);
        Interlocked.Increment(ref Writes);
        return inner.CompareAndSet(key, expected, expectAbsent, value);
    }

    public void Sync() => inner.Sync();

    public IDisposable AcquireWriterLock() => inner.AcquireWriterLock();

    public void Dispose() => inner.Dispose();
}
