namespace Hike.Storage;

/// <summary>
/// The handle <see cref="IKeyValueStore.AcquireWriterLock"/> returns: runs its release once, on the
/// first <see cref="Dispose"/>, from whichever thread.
/// </summary>
internal sealed class WriterLock(Action release) : IDisposable
{
    private Action? _release = release;

    /// <summary>Releases the lock; later calls do nothing.</summary>
    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}
