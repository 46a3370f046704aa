using System.Globalization;
using System.Text;

namespace Hike.Storage;

/// <summary>
/// The single-writer lock of a store that many machines can reach: a lease, a record naming its holder
/// and when it expires, taken and renewed by compare-and-set (<see cref="ILeaseCell"/>). The holder
/// renews it every third of its duration; another writer is refused (<c>db/writer-locked</c>) until it
/// expires, so a crashed writer's lease frees itself — at once when the holder was a process of this
/// machine that no longer runs (the record names the kernel boot, the process-id namespace and the
/// process, so a process id is only ever checked where it means the same process). A holder that could not renew in time, or whose
/// record another writer replaced, has lost it: <see cref="ThrowIfLost"/> then fails every write it
/// tries (<c>db/writer-conflict</c>), and the branch heads' own compare-and-set stops any write that
/// was already under way, so two writers never both commit on one parent.
/// </summary>
internal sealed class WriterLease : IDisposable
{
    /// <summary>How long a lease lasts without renewal, unless the store says otherwise.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(15);

    /// <summary>A store's <c>:writer-lease-ms</c> as a duration (at least a second), or <see cref="DefaultDuration"/> when not given.</summary>
    public static TimeSpan DurationOf(long? ms) => ms switch
    {
        null => DefaultDuration,
        >= 1000 and <= int.MaxValue => TimeSpan.FromMilliseconds(ms.Value),
        _ => throw Errors.Config($":store :writer-lease-ms must be a whole number of milliseconds from 1000, got {ms}"),
    };

    private readonly ILeaseCell _cell;
    private readonly string _store;
    private readonly TimeSpan _duration;
    private readonly Func<DateTimeOffset> _now;
    /// <summary>This kernel boot and process-id namespace (Linux), where a process id names one process; empty elsewhere.</summary>
    internal static readonly string Machine = MachineOf();

    private readonly string _owner;
    private readonly Lock _gate = new();
    private readonly Timer _renewal;
    private byte[] _record;
    private DateTimeOffset _expires;
    private bool _lost;
    private bool _released;

    private WriterLease(ILeaseCell cell, string store, TimeSpan duration, Func<DateTimeOffset> now, string owner, byte[] record, DateTimeOffset expires)
    {
        _owner = owner;
        _cell = cell;
        _store = store;
        _duration = duration;
        _now = now;
        _record = record;
        _expires = expires;
        var period = duration / 3;
        _renewal = new Timer(_ => Renew(), null, period, period);
    }

    /// <summary>
    /// Takes the lease of <paramref name="store"/> (named in messages) for <paramref name="duration"/>;
    /// throws <c>db/writer-locked</c> while another writer's lease runs.
    /// </summary>
    public static WriterLease Acquire(ILeaseCell cell, string store, TimeSpan duration, Func<DateTimeOffset>? now = null)
    {
        now ??= () => DateTimeOffset.UtcNow;
        while (true)
        {
            var current = cell.Read();
            if (current is not null && Parse(current) is { } held && held.Expires > now() && !IsDeadHereAndNow(held.Machine, held.Process)) throw Errors.WriterLocked(store);
            var expires = now() + duration;
            var owner = Guid.NewGuid().ToString("N");
            var record = Record(owner, expires);
            if (cell.CompareAndSet(current, record)) return new WriterLease(cell, store, duration, now, owner, record, expires);
            // Another writer moved the record meanwhile: look again.
        }
    }

    /// <summary>True while this writer holds the lease.</summary>
    public bool IsHeld
    {
        get
        {
            lock (_gate) return !_lost && !_released && _now() < _expires;
        }
    }

    /// <summary>Throws <c>db/writer-conflict</c> when the lease was lost: the write must not happen.</summary>
    public void ThrowIfLost()
    {
        if (!IsHeld) throw Errors.WriterConflict($"the writer lease of {_store} (it expired or another writer took it)");
    }

    /// <summary>Renews the lease now; marks it lost when the record is no longer this writer's or the renewal came too late.</summary>
    public void Renew()
    {
        lock (_gate)
        {
            if (_lost || _released) return;
            if (_now() >= _expires)
            {
                _lost = true;
                return;
            }
            var expires = _now() + _duration;
            var record = Record(_owner, expires);
            try
            {
                if (_cell.CompareAndSet(_record, record))
                {
                    _record = record;
                    _expires = expires;
                }
                else
                {
                    _lost = true;
                }
            }
            catch (Exception e) when (e is IOException or HikeException)
            {
                // The store is unreachable: the lease runs on until it expires, and the next renewal tries again.
            }
        }
    }

    /// <summary>Gives the lease up: removes the record if it is still this writer's.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_released) return;
            _released = true;
        }
        _renewal.Dispose();
        try
        {
            if (!_lost) _cell.CompareAndSet(_record, null);
        }
        catch (Exception e) when (e is IOException or HikeException)
        {
            // Unreachable: the lease expires by itself.
        }
    }

    /// <summary>The record: owner, expiry (Unix ms), machine and process id.</summary>
    private static byte[] Record(string owner, DateTimeOffset expires) => Encoding.UTF8.GetBytes(string.Join(' ',
        owner, expires.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), Machine.Length > 0 ? Machine : "-", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)));

    private static (string Owner, DateTimeOffset Expires, string Machine, int Process)? Parse(byte[] record)
    {
        var parts = Encoding.UTF8.GetString(record).Split(' ');
        if (parts.Length != 4 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long ms) || !int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) return null;
        return (parts[0], DateTimeOffset.FromUnixTimeMilliseconds(ms), parts[2], pid);
    }

    /// <summary>True only when the holder was a process of this kernel boot and process-id namespace, and it has ended.</summary>
    private static bool IsDeadHereAndNow(string machine, int process)
    {
        if (Machine.Length == 0 || machine != Machine || process == Environment.ProcessId) return false;
        try
        {
            using var running = System.Diagnostics.Process.GetProcessById(process);
            return running.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return true;
        }
    }

    private static string MachineOf()
    {
        try
        {
            if (!OperatingSystem.IsLinux()) return "";
            var boot = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
            var namespaceLink = new FileInfo("/proc/self/ns/pid").LinkTarget ?? "";
            var inode = namespaceLink.Trim('p', 'i', 'd', ':', '[', ']');
            return boot.Length > 0 && inode.Length > 0 ? $"{boot}/{inode}" : "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
