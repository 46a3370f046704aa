namespace Hike.Storage;

/// <summary>
/// One store made of two: the keys under <c>objectPrefix</c> (a database's packs: large, written once
/// under fresh keys) live in <see cref="Objects"/>, every other key (config, format, branch set, heads,
/// quarantine) and the writer lock in <see cref="Records"/>. Lets an object store whose server cannot
/// compare-and-set (an S3 server without conditional writes) hold the bulk of a database while a store
/// that can (a <c>:jdbc</c> table, Redis) fences its writers: the heads move by the records store's
/// compare-and-set, and only the holder of its writer lock writes packs. Thread-safe as both stores are.
/// </summary>
internal sealed class SplitStore : IKeyValueStore
{
    private readonly string _objectPrefix;
    private readonly string _description;

    /// <summary>
    /// The store whose keys under <paramref name="objectPrefix"/> (whole segments, ending in <c>/</c>)
    /// are in <paramref name="objects"/> and the rest in <paramref name="records"/>; it owns both.
    /// <paramref name="description"/> names the whole in messages.
    /// </summary>
    public SplitStore(IKeyValueStore objects, IKeyValueStore records, string objectPrefix, string description)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(records);
        StoreKeys.ValidatePrefix(objectPrefix);
        if (!objectPrefix.EndsWith('/')) throw new ArgumentException($"The object prefix '{objectPrefix}' must end with '/'", nameof(objectPrefix));
        Objects = objects;
        Records = records;
        _objectPrefix = objectPrefix;
        _description = description;
    }

    /// <summary>The store of the keys under the object prefix.</summary>
    public IKeyValueStore Objects { get; }

    /// <summary>The store of every other key, and of the writer lock.</summary>
    public IKeyValueStore Records { get; }

    /// <summary>Whether the objects appended to (packs) grow in place: the objects store's answer.</summary>
    public bool AppendsInPlace => Objects.AppendsInPlace;

    public byte[]? Get(string key) => For(key).Get(key);

    public byte[]? GetRange(string key, long offset, int length) => For(key).GetRange(key, offset, length);

    public long? Size(string key) => For(key).Size(key);

    public void Trim(string key, IReadOnlyList<(long Offset, long Length)> ranges) => For(key).Trim(key, ranges);

    public void Put(string key, ReadOnlySpan<byte> value) => For(key).Put(key, value);

    public long Append(string key, ReadOnlySpan<byte> value) => For(key).Append(key, value);

    public bool Delete(string key) => For(key).Delete(key);

    /// <summary>The keys of both stores that start with <paramref name="prefix"/>, each from the store it belongs to.</summary>
    public IEnumerable<string> List(string prefix)
    {
        StoreKeys.ValidatePrefix(prefix);
        var keys = new List<string>();
        // A prefix inside the object prefix names object keys only; one that the object prefix starts with names both kinds.
        if (!prefix.StartsWith(_objectPrefix, StringComparison.Ordinal))
        {
            keys.AddRange(Records.List(prefix).Where(k => !IsObject(k)));
        }
        if (prefix.StartsWith(_objectPrefix, StringComparison.Ordinal) || _objectPrefix.StartsWith(prefix, StringComparison.Ordinal))
        {
            keys.AddRange(Objects.List(prefix).Where(IsObject));
        }
        return keys;
    }

    public bool CompareAndSet(string key, ReadOnlySpan<byte> expected, bool expectAbsent, ReadOnlySpan<byte> value) =>
        For(key).CompareAndSet(key, expected, expectAbsent, value);

    /// <summary>Makes the earlier writes of both stores durable.</summary>
    public void Sync()
    {
        Objects.Sync();
        Records.Sync();
    }

    /// <summary>The records store's lock, the one store that can fence a second writer; refused in the whole store's name.</summary>
    public IDisposable AcquireWriterLock()
    {
        try
        {
            return Records.AcquireWriterLock();
        }
        catch (HikeException e) when (e.Code == ErrorCodes.DbWriterLocked)
        {
            throw Errors.WriterLocked(_description, e);
        }
    }

    public void Dispose()
    {
        try
        {
            Objects.Dispose();
        }
        finally
        {
            Records.Dispose();
        }
    }

    private bool IsObject(string key) => key.StartsWith(_objectPrefix, StringComparison.Ordinal);

    private IKeyValueStore For(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return IsObject(key) ? Objects : Records;
    }
}
