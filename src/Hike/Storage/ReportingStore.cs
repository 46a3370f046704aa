namespace Hike.Storage;

/// <summary>
/// Wraps the store a database reads and writes so that the operating system's failures (an I/O error,
/// a read-only or full disk, a permission denied) reach callers as <see cref="HikeException"/>s with
/// code <c>storage/io</c> naming the operation and the key, the same for every backend, instead of
/// whatever exception the backend throws. Data-integrity failures (<see cref="CorruptionException"/>)
/// pass through unchanged. Thread-safe as the inner store is.
/// </summary>
internal sealed class ReportingStore(IKeyValueStore inner) : IKeyValueStore
{
    /// <summary>The store underneath, for what only it can do (a file store's slot reports and clean-up).</summary>
    public IKeyValueStore Inner { get; } = inner;

    public byte[]? Get(string key) => Run("reading", key, () => Inner.Get(key));

    public byte[]? GetRange(string key, long offset, int length) => Run("reading", key, () => Inner.GetRange(key, offset, length));

    public long? Size(string key) => Run("reading", key, () => Inner.Size(key));

    public void Trim(string key, IReadOnlyList<(long Offset, long Length)> ranges) => Run("trimming", key, () =>
    {
        Inner.Trim(key, ranges);
        return true;
    });

    public void Put(string key, ReadOnlySpan<byte> value)
    {
        try
        {
            Inner.Put(key, value);
        }
        catch (Exception e) when (IsSystemFailure(e))
        {
            throw Errors.StorageIo($"writing {key}", e);
        }
    }

    public bool AppendsInPlace => Inner.AppendsInPlace;

    public long Append(string key, ReadOnlySpan<byte> value)
    {
        try
        {
            return Inner.Append(key, value);
        }
        catch (Exception e) when (IsSystemFailure(e))
        {
            throw Errors.StorageIo($"appending to {key}", e);
        }
    }

    public bool Delete(string key) => Run("deleting", key, () => Inner.Delete(key));

    public IEnumerable<string> List(string prefix) => Run("listing", prefix, () => Inner.List(prefix).ToList());

    public bool CompareAndSet(string key, ReadOnlySpan<byte> expected, bool expectAbsent, ReadOnlySpan<byte> value)
    {
        try
        {
            return Inner.CompareAndSet(key, expected, expectAbsent, value);
        }
        catch (Exception e) when (IsSystemFailure(e))
        {
            throw Errors.StorageIo($"writing {key}", e);
        }
    }

    public bool CreateThenCompareAndSet(string key, ReadOnlySpan<byte> value, string casKey, ReadOnlySpan<byte> expected, bool expectAbsent, ReadOnlySpan<byte> casValue)
    {
        try
        {
            return Inner.CreateThenCompareAndSet(key, value, casKey, expected, expectAbsent, casValue);
        }
        catch (Exception e) when (IsSystemFailure(e))
        {
            throw Errors.StorageIo($"writing {key} and {casKey}", e);
        }
    }

    public void Sync() => Run("syncing", "the store", () =>
    {
        Inner.Sync();
        return true;
    });

    public IDisposable AcquireWriterLock() => Run("locking", "the store", Inner.AcquireWriterLock);

    public void Dispose() => Inner.Dispose();

    private static T Run<T>(string operation, string key, Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Exception e) when (IsSystemFailure(e))
        {
            throw Errors.StorageIo($"{operation} {key}", e);
        }
    }

    private static bool IsSystemFailure(Exception e) => e is IOException or UnauthorizedAccessException;
}
