namespace Hike.Storage;

/// <summary>
/// A fast store in front of a durable one (konserve's tiered store): immutable objects are read from
/// the front first and, when it lacks them, from the back and kept in the front; everything else —
/// the branch heads, the branch set, the config, listings, sizes, compare-and-set and the writer lock —
/// is the back's alone, so a head is never served from a stale copy. Writes go to the back and, with
/// write-through, to the front too (with write-around the front fills on reading). The back is the
/// truth: a value in the front is only ever a copy, or a prefix, of the back's. Thread-safe when both
/// stores are.
/// </summary>
internal sealed class TieredStore(IKeyValueStore front, IKeyValueStore back, Func<string, bool> isImmutable, bool writeThrough) : IKeyValueStore
{
    /// <summary>The store in front (memory, a file store, Redis).</summary>
    public IKeyValueStore Front { get; } = front;

    /// <summary>The durable store behind it.</summary>
    public IKeyValueStore Back { get; } = back;

    public bool AppendsInPlace => Back.AppendsInPlace;

    /// <summary>A whole value, always the back's (a front copy of a segment may be a prefix); an immutable one refreshes the front.</summary>
    public byte[]? Get(string key)
    {
        var value = Back.Get(key);
        if (value is not null && isImmutable(key)) Front.Put(key, value);
        return value;
    }

    public byte[]? GetRange(string key, long offset, int length)
    {
        if (!isImmutable(key)) return Back.GetRange(key, offset, length);
        // A front copy of a segment the back has since appended to is a prefix: a range it ends in comes from the back.
        if (Front.GetRange(key, offset, length) is { } cached && cached.Length == length) return cached;
        var whole = Back.Get(key);
        if (whole is null) return null;
        Front.Put(key, whole);
        return offset >= whole.Length ? [] : whole.AsSpan((int)offset, (int)Math.Min(length, whole.Length - offset)).ToArray();
    }

    public long? Size(string key) => Back.Size(key);

    public void Trim(string key, IReadOnlyList<(long Offset, long Length)> ranges)
    {
        Back.Trim(key, ranges);
        if (isImmutable(key)) Front.Trim(key, ranges);
    }

    public void Put(string key, ReadOnlySpan<byte> value)
    {
        Back.Put(key, value);
        if (!isImmutable(key)) return;
        if (writeThrough) Front.Put(key, value);
        else Front.Delete(key);
    }

    public long Append(string key, ReadOnlySpan<byte> value)
    {
        long at = Back.Append(key, value);
        if (isImmutable(key))
        {
            // The front keeps a copy only where it is the back's value: a new key's, or one it extends exactly.
            if (writeThrough && (at == 0 ? Front.Size(key) is null or 0 : Front.Size(key) == at)) Front.Append(key, value);
            else if (Front.Size(key) is not null && Front.Size(key) != at + value.Length) Front.Delete(key);
        }
        return at;
    }

    public bool Delete(string key)
    {
        if (isImmutable(key)) Front.Delete(key);
        return Back.Delete(key);
    }

    public IEnumerable<string> List(string prefix) => Back.List(prefix);

    public bool CompareAndSet(string key, ReadOnlySpan<byte> expected, bool expectAbsent, ReadOnlySpan<byte> value) =>
        Back.CompareAndSet(key, expected, expectAbsent, value);

    public void Sync()
    {
        Back.Sync();
        Front.Sync();
    }

    public IDisposable AcquireWriterLock() => Back.AcquireWriterLock();

    /// <summary>Copies into the front the immutable objects <paramref name="keys"/> names that it lacks or has only part of; returns how many.</summary>
    public int WarmUp(IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        int copied = 0;
        foreach (var key in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!isImmutable(key) || Back.Size(key) is not { } size || Front.Size(key) == size) continue;
            if (Back.Get(key) is { } value)
            {
                Front.Put(key, value);
                copied++;
            }
        }
        return copied;
    }

    public void Dispose()
    {
        Front.Dispose();
        Back.Dispose();
    }
}
