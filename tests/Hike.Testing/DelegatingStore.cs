using Hike.Storage;

namespace Hike.Testing;

/// <summary>
/// A store that passes every call to <paramref name="inner"/>: the base of the tests' wrappers, which
/// override only what they watch or change (counting reads, adding a round trip's delay, not owning).
/// </summary>
internal abstract class DelegatingStore(IKeyValueStore inner) : IKeyValueStore
{
    protected IKeyValueStore Inner { get; } = inner;

    public virtual bool AppendsInPlace => Inner.AppendsInPlace;

    public virtual byte[]? Get(string key) => Inner.Get(key);

    public virtual byte[]? GetRange(string key, long offset, int length) => Inner.GetRange(key, offset, length);

    public virtual long? Size(string key) => Inner.Size(key);

    public virtual void Trim(string key, IReadOnlyList<(long Offset, long Length)> ranges) => Inner.Trim(key, ranges);

    public virtual void Put(string key, ReadOnlySpan<byte> value) => Inner.Put(key, value);

    public virtual long Append(string key, ReadOnlySpan<byte> value) => Inner.Append(key, value);

    public virtual bool Delete(string key) => Inner.Delete(key);

    public virtual IEnumerable<string> List(string prefix) => Inner.List(prefix);

    public virtual bool CompareAndSet(string key, ReadOnlySpan<byte> expected, bool expectAbsent, ReadOnlySpan<byte> value) =>
        Inner.CompareAndSet(key, expected, expectAbsent, value);

    /// <summary>Two compare-and-sets through this wrapper, so that a wrapper watching them sees both; one that passes the single step on overrides it.</summary>
    public virtual bool CreateThenCompareAndSet(string key, ReadOnlySpan<byte> value, string casKey, ReadOnlySpan<byte> expected, bool expectAbsent, ReadOnlySpan<byte> casValue) =>
        IKeyValueStore.CreateThenCompareAndSetApart(this, key, value, casKey, expected, expectAbsent, casValue);

    public virtual void Sync() => Inner.Sync();

    public virtual IDisposable AcquireWriterLock() => Inner.AcquireWriterLock();

    public virtual void Dispose() => Inner.Dispose();
}
