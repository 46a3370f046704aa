using System.Collections.Concurrent;

namespace Hike.Storage;

/// <summary>
/// A store in this process's memory: the front of a tiered store (<c>{:backend :mem}</c> in
/// <c>:frontend-config</c>), and the tests' store (<c>:mem</c> databases keep their commits in
/// <c>MemoryCommitLog</c> and need no store): every write is "durable" at once and lives as long as the
/// instance. Values are copied in and out, so callers can never change stored bytes. Thread-safe and
/// lock-free; Get, Put, Delete and CompareAndSet are O(1) plus the value's length.
/// </summary>
/// <param name="appendsInPlace">False to stand for a store that replaces values whole (an object store): the database then writes one pack per commit.</param>
internal sealed class MemoryStore(bool appendsInPlace = true) : IKeyValueStore
{
    private readonly ConcurrentDictionary<string, byte[]> _values = new(StringComparer.Ordinal);
    private int _writerLocked;

    /// <summary>How many keys the store holds.</summary>
    public int Count => _values.Count;

    /// <inheritdoc />
    public byte[]? Get(string key)
    {
        StoreKeys.Validate(key);
        return _values.TryGetValue(key, out byte[]? value) ? value.AsSpan().ToArray() : null;
    }

    /// <inheritdoc />
    public byte[]? GetRange(string key, long offset, int length)
    {
        StoreKeys.Validate(key);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (!_values.TryGetValue(key, out byte[]? value)) return null;
        if (offset >= value.Length) return [];
        return value.AsSpan((int)offset, (int)Math.Min(length, value.Length - offset)).ToArray();
    }

    /// <inheritdoc />
    public long? Size(string key)
    {
        StoreKeys.Validate(key);
        return _values.TryGetValue(key, out byte[]? value) ? value.Length : null;
    }

    /// <inheritdoc />
    public void Trim(string key, IReadOnlyList<(long Offset, long Length)> ranges)
    {
        StoreKeys.Validate(key);
        ArgumentNullException.ThrowIfNull(ranges);
        while (_values.TryGetValue(key, out byte[]? value))
        {
            var trimmed = (byte[])value.Clone();
            foreach (var (offset, length) in ranges)
            {
                if (offset >= trimmed.Length) continue;
                trimmed.AsSpan((int)offset, (int)Math.Min(length, trimmed.Length - offset)).Clear();
            }
            if (_values.TryUpdate(key, trimmed, value)) return;
        }
    }

    /// <inheritdoc />
    public void Put(string key, ReadOnlySpan<byte> value)
    {
        StoreKeys.Validate(key);
        _values[key] = value.ToArray();
    }

    /// <inheritdoc />
    public bool AppendsInPlace => appendsInPlace;

    /// <summary>Appends by copying the value: O(its length), as fits a store for tests.</summary>
    public long Append(string key, ReadOnlySpan<byte> value)
    {
        StoreKeys.Validate(key);
        var added = value.ToArray();
        while (true)
        {
            if (!_values.TryGetValue(key, out byte[]? current))
            {
                if (_values.TryAdd(key, added)) return 0;
                continue;
            }
            if (_values.TryUpdate(key, [.. current, .. added], current)) return current.Length;
        }
    }

    /// <inheritdoc />
    public bool Delete(string key)
    {
        StoreKeys.Validate(key);
        return _values.TryRemove(key, out _);
    }

    /// <summary>
    /// Every key that starts with <paramref name="prefix"/>, in no particular order: a moment-in-time
    /// snapshot, O(keys in the store).
    /// </summary>
    public IEnumerable<string> List(string prefix)
    {
        StoreKeys.ValidatePrefix(prefix);
        var keys = new List<string>();
        foreach (string key in _values.Keys)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal)) keys.Add(key);
        }
        return keys;
    }

    /// <inheritdoc />
    public bool CompareAndSet(string key, ReadOnlySpan<byte> expected, bool expectAbsent, ReadOnlySpan<byte> value)
    {
        StoreKeys.Validate(key);
        byte[] copy = value.ToArray();
        if (expectAbsent) return _values.TryAdd(key, copy);
        while (true)
        {
            if (!_values.TryGetValue(key, out byte[]? current) || !expected.SequenceEqual(current)) return false;
            // TryUpdate compares array references, so it fails only when another writer replaced this
            // very array since we compared its bytes; then compare again.
            if (_values.TryUpdate(key, copy, current)) return true;
        }
    }

    /// <summary>Does nothing: memory is as durable as it gets.</summary>
    public void Sync()
    {
    }

    /// <summary>
    /// Takes this instance's writer lock; throws a <see cref="HikeException"/> with code
    /// <c>db/writer-locked</c> while another handle holds it. Disposing the handle releases it.
    /// </summary>
    public IDisposable AcquireWriterLock()
    {
        if (Interlocked.CompareExchange(ref _writerLocked, 1, 0) != 0) throw Errors.WriterLocked("The memory store");
        return new WriterLock(() => Volatile.Write(ref _writerLocked, 0));
    }

    /// <summary>Does nothing: the values stay, so a store can be reopened (wrapped again) after a simulated crash.</summary>
    public void Dispose()
    {
    }
}
