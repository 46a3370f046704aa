using Hike.Storage;

namespace Hike.Testing;

/// <summary>
/// A store that loses what a power cut would lose (Lucene.NET's <c>MockDirectoryWrapper.Crash</c>):
/// it wraps a "disk" (usually a <see cref="MemoryStore"/>), keeps <see cref="Put"/> and
/// <see cref="Delete"/> in a pending overlay that <see cref="Get"/> and <see cref="List"/> see at
/// once, and writes them to the disk only at <see cref="Sync"/>. <see cref="CompareAndSet"/> goes to
/// the disk at once, as it is a durability point. After <see cref="Crash"/> or the write numbered
/// <see cref="CrashAtWrite"/>, pending writes are gone and every call throws; reopen by wrapping the
/// same disk again (or reading it directly).
/// </summary>
/// <remarks>
/// Thread-safe (one lock). Does not own the disk: <see cref="Dispose"/> leaves it open. Pessimistic
/// where a real disk is unpredictable: a crash drops every unsynced write, never keeps some, and a
/// clean <see cref="Dispose"/> drops them too.
/// </remarks>
public sealed class CrashingStore(IKeyValueStore disk) : IKeyValueStore
{
    private readonly IKeyValueStore _disk = disk ?? throw new ArgumentNullException(nameof(disk));
    private readonly Lock _gate = new();
    private readonly Dictionary<string, byte[]?> _pending = new(StringComparer.Ordinal); // null: a pending delete
    private readonly List<IDisposable> _writerLocks = [];
    private int _writeCount;
    private int? _crashAtWrite;
    private bool _crashed;

    /// <summary>
    /// The number (from 0, counting every Put, Delete, CompareAndSet and Sync call) of the write that
    /// crashes the store: that call throws <see cref="IOException"/> without doing anything. Null: never.
    /// </summary>
    public int? CrashAtWrite
    {
        get { lock (_gate) return _crashAtWrite; }
        set { lock (_gate) _crashAtWrite = value; }
    }

    /// <summary>How many Put, Delete, CompareAndSet and Sync calls were made, the crashing one included.</summary>
    public int WriteCount
    {
        get { lock (_gate) return _writeCount; }
    }

    /// <summary>True once the store crashed.</summary>
    public bool IsCrashed
    {
        get { lock (_gate) return _crashed; }
    }

    /// <summary>How many keys have a write not yet synced to the disk.</summary>
    public int PendingCount
    {
        get { lock (_gate) return _pending.Count; }
    }

    /// <summary>Simulates a power cut: drops unsynced writes, releases writer locks, and makes every later call throw.</summary>
    public void Crash()
    {
        lock (_gate) CrashNow();
    }

    /// <inheritdoc />
    public byte[]? Get(string key)
    {
        StoreKeys.Validate(key);
        lock (_gate)
        {
            ThrowIfCrashed();
            return _pending.TryGetValue(key, out byte[]? value) ? value?.AsSpan().ToArray() : _disk.Get(key);
        }
    }

    /// <inheritdoc />
    public byte[]? GetRange(string key, long offset, int length)
    {
        StoreKeys.Validate(key);
        lock (_gate)
        {
            ThrowIfCrashed();
            if (!_pending.TryGetValue(key, out byte[]? value)) return _disk.GetRange(key, offset, length);
            if (value is null) return null;
            if (offset >= value.Length) return [];
            return value.AsSpan((int)offset, (int)Math.Min(length, value.Length - offset)).ToArray();
        }
    }

    /// <summary>Zeroes the ranges in a pending copy of the value: undone by a crash before the next sync.</summary>
    public void Trim(string key, IReadOnlyList<(long Offset, long Length)> ranges)
    {
        StoreKeys.Validate(key);
        ArgumentNullException.ThrowIfNull(ranges);
        lock (_gate)
        {
            BeginWrite();
            var current = _pending.TryGetValue(key, out byte[]? pending) ? pending : _disk.Get(key);
            if (current is null) return;
            var trimmed = (byte[])current.Clone();
            foreach (var (offset, length) in ranges)
            {
                if (offset < trimmed.Length) trimmed.AsSpan((int)offset, (int)Math.Min(length, trimmed.Length - offset)).Clear();
            }
            _pending[key] = trimmed;
        }
    }

    /// <summary>Appends in the pending overlay: a crash before the next sync loses the appended bytes.</summary>
    public long Append(string key, ReadOnlySpan<byte> value)
    {
        StoreKeys.Validate(key);
        lock (_gate)
        {
            BeginWrite();
            var current = (_pending.TryGetValue(key, out byte[]? pending) ? pending : _disk.Get(key)) ?? [];
            _pending[key] = [.. current, .. value];
            return current.Length;
        }
    }

    /// <inheritdoc />
    public void Put(string key, ReadOnlySpan<byte> value)
    {
        StoreKeys.Validate(key);
        lock (_gate)
        {
            BeginWrite();
            _pending[key] = value.ToArray();
        }
    }

    /// <inheritdoc />
    public bool Delete(string key)
    {
        StoreKeys.Validate(key);
        lock (_gate)
        {
            BeginWrite();
            bool existed = _pending.TryGetValue(key, out byte[]? value) ? value is not null : _disk.Get(key) is not null;
            if (existed) _pending[key] = null;
            return existed;
        }
    }

    /// <inheritdoc />
    public IEnumerable<string> List(string prefix)
    {
        StoreKeys.ValidatePrefix(prefix);
        lock (_gate)
        {
            ThrowIfCrashed();
            var keys = new HashSet<string>(_disk.List(prefix), StringComparer.Ordinal);
            foreach (var (key, value) in _pending)
            {
                if (!key.StartsWith(prefix, StringComparison.Ordinal)) continue;
                if (value is null) keys.Remove(key);
                else keys.Add(key);
            }
            return [.. keys];
        }
    }

    /// <inheritdoc />
    public bool CompareAndSet(string key, ReadOnlySpan<byte> expected, bool expectAbsent, ReadOnlySpan<byte> value)
    {
        StoreKeys.Validate(key);
        lock (_gate)
        {
            BeginWrite();
            if (!_pending.TryGetValue(key, out byte[]? visible)) return _disk.CompareAndSet(key, expected, expectAbsent, value);
            bool matches = expectAbsent ? visible is null : visible is not null && expected.SequenceEqual(visible);
            if (!matches) return false;
            // The pending write is what callers see, but the disk holds something else: swap that
            // for the new value durably, and drop the pending write so Sync cannot undo the swap.
            byte[]? onDisk = _disk.Get(key);
            if (!_disk.CompareAndSet(key, onDisk, onDisk is null, value)) return false;
            _pending.Remove(key);
            return true;
        }
    }

    /// <summary>Writes the pending writes to the disk and syncs it: all of them, or (when it crashes) none.</summary>
    public void Sync()
    {
        lock (_gate)
        {
            BeginWrite();
            foreach (var (key, value) in _pending)
            {
                if (value is null) _disk.Delete(key);
                else _disk.Put(key, value);
            }
            _disk.Sync();
            _pending.Clear();
        }
    }

    /// <summary>Takes the disk's writer lock; a crash releases it, as the death of a process would.</summary>
    public IDisposable AcquireWriterLock()
    {
        lock (_gate)
        {
            ThrowIfCrashed();
            IDisposable inner = _disk.AcquireWriterLock();
            _writerLocks.Add(inner);
            return new WriterLock(() =>
            {
                lock (_gate) _writerLocks.Remove(inner);
                inner.Dispose();
            });
        }
    }

    /// <summary>Drops pending writes and releases writer locks; leaves the disk open. Never throws.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _pending.Clear();
            ReleaseWriterLocks();
        }
    }

    private void BeginWrite()
    {
        ThrowIfCrashed();
        int number = _writeCount++;
        if (number == _crashAtWrite)
        {
            CrashNow();
            throw new IOException($"simulated crash at write {number}");
        }
    }

    private void CrashNow()
    {
        _crashed = true;
        _pending.Clear();
        ReleaseWriterLocks();
    }

    private void ReleaseWriterLocks()
    {
        foreach (IDisposable writerLock in _writerLocks) writerLock.Dispose();
        _writerLocks.Clear();
    }

    private void ThrowIfCrashed()
    {
        if (_crashed) throw new IOException("simulated crash: the store is dead; wrap its disk again to reopen it");
    }
}
