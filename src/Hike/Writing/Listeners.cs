namespace Hike.Writing;

/// <summary>
/// The listeners of a branch's commits: added and removed from any thread, called in the order they
/// were added. Thread-safe; calling copies nothing (the list is replaced, never changed, on add and
/// remove).
/// </summary>
internal sealed class Listeners
{
    private readonly Lock _lock = new();
    private Action<WriteOutcome>[] _listeners = [];

    /// <summary>How many listeners there are now.</summary>
    public int Count => Volatile.Read(ref _listeners).Length;

    /// <summary>Adds <paramref name="listener"/> until the result is disposed; <paramref name="removed"/> runs after it is removed.</summary>
    public IDisposable Add(Action<WriteOutcome> listener, Action? removed = null)
    {
        lock (_lock) _listeners = [.. _listeners, listener];
        return new Unsubscriber(this, listener, removed);
    }

    /// <summary>Calls every listener; a listener that throws does not stop the others or undo the commit.</summary>
    public void Notify(WriteOutcome outcome)
    {
        foreach (var listener in Volatile.Read(ref _listeners))
        {
            try
            {
                listener(outcome);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                System.Diagnostics.Trace.TraceError($"Hike: a transaction listener failed: {e}");
            }
        }
    }

    private void Remove(Action<WriteOutcome> listener)
    {
        lock (_lock) _listeners = _listeners.Where(l => l != listener).ToArray();
    }

    private sealed class Unsubscriber(Listeners owner, Action<WriteOutcome> listener, Action? removed) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            owner.Remove(listener);
            removed?.Invoke();
        }
    }
}
