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
/// clean <see cref="Dispose"/> drops them too — unless <see cref="Faults"/> asks for torn crashes.
/// With <see cref="Faults"/> set it also injects I/O errors, short reads, bit flips, lost writes and
/// bit rot at random operations.
/// </remarks>
internal sealed class CrashingStore(IKeyValueStore disk) : IKeyValueStore
{
    private readonly IKeyValueStore _disk = disk ?? throw new ArgumentNullException(nameof(disk));
    private readonly Lock _gate = new();
    private readonly Dictionary<string, byte[]?> _pending = new(StringComparer.Ordinal); // null: a pending delete
    private readonly HashSet<string> _lost = new(StringComparer.Ordinal); // pending writes the next sync drops
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

    /// <summary>The faults to inject, or null for none.</summary>
    public FaultPlan? Faults { get; set; }

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
            BeginRead(key);
            return Distort(_pending.TryGetValue(key, out byte[]? value) ? value?.AsSpan().ToArray() : _disk.Get(key));
        }
    }

    /// <inheritdoc />
    public long? Size(string key) => Get(key)?.Length;

    /// <inheritdoc />
    public byte[]? GetRange(string key, long offset, int length)
    {
        StoreKeys.Validate(key);
        lock (_gate)
        {
            BeginRead(key);
            if (!_pending.TryGetValue(key, out byte[]? value)) return Distort(_disk.GetRange(key, offset, length));
            if (value is null) return null;
            if (offset >= value.Length) return [];
            return Distort(value.AsSpan((int)offset, (int)Math.Min(length, value.Length - offset)).ToArray());
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
            MaybeLose(key);
        }
    }

    /// <summary>Appends in the pending overlay: a crash before the next sync loses the appended bytes.</summary>
    public bool AppendsInPlace => _disk.AppendsInPlace;

    public long Append(string key, ReadOnlySpan<byte> value)
    {
        StoreKeys.Validate(key);
        lock (_gate)
        {
            BeginWrite();
            var current = (_pending.TryGetValue(key, out byte[]? pending) ? pending : _disk.Get(key)) ?? [];
            _pending[key] = [.. current, .. value];
            MaybeLose(key);
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
            MaybeLose(key);
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
            if (existed) MaybeLose(key);
            return existed;
        }
    }

    /// <inheritdoc />
    public IEnumerable<string> List(string prefix)
    {
        StoreKeys.ValidatePrefix(prefix);
        lock (_gate)
        {
            BeginRead(prefix);
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
                if (_lost.Contains(key)) continue;
                if (value is null) _disk.Delete(key);
                else _disk.Put(key, value);
            }
            _disk.Sync();
            _pending.Clear();
            _lost.Clear();
            if (Faults is { } faults && faults.Roll(faults.BitRot, "bit-rot")) Rot(faults.Random);
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
            _lost.Clear();
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
        if (Faults is { } faults && faults.Roll(faults.WriteError, "write-error")) throw new IOException($"injected write error at write {number}");
    }

    private void BeginRead(string key)
    {
        ThrowIfCrashed();
        if (Faults is { } faults && faults.Roll(faults.ReadError, "read-error")) throw new IOException($"injected read error reading {key}");
    }

    /// <summary>A read's result as the faults have it: cut short, or with a bit flipped, once.</summary>
    private byte[]? Distort(byte[]? value)
    {
        if (Faults is not { } faults || value is not { Length: > 0 }) return value;
        if (faults.Roll(faults.ShortRead, "short-read")) return value[..faults.Random.Next(value.Length)];
        if (faults.Roll(faults.ReadBitFlip, "read-bit-flip")) value[faults.Random.Next(value.Length)] ^= (byte)(1 << faults.Random.Next(8));
        return value;
    }

    /// <summary>Marks the pending write of <paramref name="key"/> as one the next sync drops, when the faults say so.</summary>
    private void MaybeLose(string key)
    {
        if (Faults is { } faults && faults.Roll(faults.LostWrite, "lost-write")) _lost.Add(key);
    }

    /// <summary>Flips one bit of one value on the disk.</summary>
    private void Rot(Random random)
    {
        var keys = _disk.List("").ToList();
        if (keys.Count == 0) return;
        string key = keys[random.Next(keys.Count)];
        var value = _disk.Get(key);
        if (value is not { Length: > 0 }) return;
        value[random.Next(value.Length)] ^= (byte)(1 << random.Next(8));
        _disk.Put(key, value);
        _disk.Sync();
    }

    private void CrashNow()
    {
        _crashed = true;
        if (Faults is { TornCrash: true } faults) ApplySome(faults);
        _pending.Clear();
        _lost.Clear();
        ReleaseWriterLocks();
    }

    /// <summary>A torn crash: each pending write reaches the disk or not, a growing value maybe only in part.</summary>
    private void ApplySome(FaultPlan faults)
    {
        var random = faults.Random;
        foreach (var (key, value) in _pending)
        {
            if (_lost.Contains(key) || random.Next(2) == 0) continue;
            if (value is null)
            {
                _disk.Delete(key);
                continue;
            }
            var onDisk = _disk.Get(key);
            bool grew = onDisk is not null && value.Length > onDisk.Length && value.AsSpan(0, onDisk.Length).SequenceEqual(onDisk);
            _disk.Put(key, grew ? value[..random.Next(onDisk!.Length, value.Length + 1)] : value);
            faults.Injected["torn-write"] = faults.Injected.GetValueOrDefault("torn-write") + 1;
        }
        _disk.Sync();
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
