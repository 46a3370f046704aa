using Hike.Db;

namespace Hike.Api;

/// <summary>
/// One database as its store holds it: the configuration it was created with, the current head
/// state, the single-writer lock and the transaction listeners. Thread-safe.
/// </summary>
internal sealed class StoredDatabase(DatabaseConfig config, DbState head)
{
    private readonly Lock _listenersLock = new();
    private volatile DbState _head = head;
    private volatile bool _deleted;
    private Action<TxReport>[] _listeners = [];

    public DatabaseConfig Config { get; } = config;

    /// <summary>Held while a transaction runs: one writer per database.</summary>
    public SemaphoreSlim WriteLock { get; } = new(1, 1);

    public DbState Head
    {
        get
        {
            if (_deleted) throw Errors.DatabaseMissing(Config.Store.Id);
            return _head;
        }
    }

    public void Commit(DbState after) => _head = after;

    public void MarkDeleted() => _deleted = true;

    public IDisposable AddListener(Action<TxReport> listener)
    {
        lock (_listenersLock) _listeners = [.. _listeners, listener];
        return new Unsubscriber(this, listener);
    }

    /// <summary>Calls every listener; a listener that throws does not stop the others or undo the commit.</summary>
    public void Notify(TxReport report)
    {
        foreach (var listener in _listeners)
        {
            try
            {
                listener(report);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                System.Diagnostics.Trace.TraceError($"Hike: a transaction listener failed: {e}");
            }
        }
    }

    private void RemoveListener(Action<TxReport> listener)
    {
        lock (_listenersLock) _listeners = _listeners.Where(l => l != listener).ToArray();
    }

    private sealed class Unsubscriber(StoredDatabase owner, Action<TxReport> listener) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.RemoveListener(listener);
        }
    }
}
