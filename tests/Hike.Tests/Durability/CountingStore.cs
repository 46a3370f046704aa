using Hike.Storage;

namespace Hike.Tests.Durability;

/// <summary>Counts the reads made through it.</summary>
internal sealed class CountingStore(IKeyValueStore inner) : IKeyValueStore
{
    public int Gets;

    public byte[]? Get(string key)
    {
        Interlocked.Increment(ref Gets);
        return inner.Get(key);
    }

    public byte[]? GetRange(string key, long offset, int length)
    {
        Interlocked.Increment(ref Gets);
        return inner.GetRange(key, offset, length);
    }

    public void Trim(string key, IReadOnlyList<(long Offset, long Length)> ranges) => inner.Trim(key, ranges);

    public long Append(string key, ReadOnlySpan<byte> value) => inner.Append(key, value);

    public void Put(string key, ReadOnlySpan<byte> value) => inner.Put(key, value);

    public bool Delete(string key) => inner.Delete(key);

    public IEnumerable<string> List(string prefix) => inner.List(prefix);

    public bool CompareAndSet(string key, ReadOnlySpan<byte> expected, bool expectAbsent, ReadOnlySpan<byte> value) => inner.CompareAndSet(key, expected, expectAbsent, value);

    public void Sync() => inner.Sync();

    public IDisposable AcquireWriterLock() => inner.AcquireWriterLock();

    public void Dispose() => inner.Dispose();
}
