namespace Hike.Storage;

/// <summary>
/// The writer lease a networked store holds, if any: taken by its <see cref="IKeyValueStore.AcquireWriterLock"/>,
/// checked before each of its writes, given up when the lock is released or the store disposed. One per
/// store; a second acquisition through the same store is refused as another writer's would be. Thread-safe.
/// </summary>
internal sealed class LeaseHolder(ILeaseCell cell, string store, TimeSpan duration)
{
    private WriterLease? _lease;

    /// <summary>Takes the lease (<c>db/writer-locked</c> while another writer holds it); disposing the result gives it up.</summary>
    public IDisposable Acquire()
    {
        var lease = WriterLease.Acquire(cell, store, duration);
        if (Interlocked.CompareExchange(ref _lease, lease, null) is not null)
        {
            lease.Dispose();
            throw Errors.WriterLocked(store);
        }
        return new WriterLock(() =>
        {
            Interlocked.CompareExchange(ref _lease, null, lease);
            lease.Dispose();
        });
    }

    /// <summary>Throws <c>db/writer-conflict</c> when this store holds a lease that has lapsed: the write must not happen.</summary>
    public void ThrowIfLost() => Volatile.Read(ref _lease)?.ThrowIfLost();

    /// <summary>Gives up the lease, if held.</summary>
    public void Release() => Interlocked.Exchange(ref _lease, null)?.Dispose();
}
