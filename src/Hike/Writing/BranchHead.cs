using Hike.Db;
using Hike.Edn;

namespace Hike.Writing;

/// <summary>
/// One branch of a database as this process sees it: its head state and the listeners of its commits.
/// While this process is not the database's writer, the head is re-read from the log on each access
/// (one small read; a new commit is loaded only when the head moved); once it is, the writer alone
/// moves it. Thread-safe.
/// </summary>
internal sealed class BranchHead
{
    private readonly Lock _listenersLock = new();
    private readonly Lock _loadLock = new();
    private readonly DatabaseRuntime _owner;
    private volatile DbState? _head;
    private volatile bool _deleted;
    private Action<WriteOutcome>[] _listeners = [];

    public BranchHead(DatabaseRuntime owner, Keyword name)
    {
        _owner = owner;
        Name = name;
    }

    public Keyword Name { get; }

    /// <summary>The newest committed state: for a durable store that another process writes, the head as of now.</summary>
    public DbState Head
    {
        get
        {
            _owner.ThrowIfDeleted();
            if (_deleted) throw Errors.BranchMissing(Name);
            if (!_owner.IsWriter) Refresh();
            return _head ?? Refresh();
        }
    }

    /// <summary>The head as this process last saw it (the writer's head), without reading the log.</summary>
    public DbState? Known => _head;

    /// <summary>Makes <paramref name="state"/> the head (the writer committed it or moved the branch to it).</summary>
    public void Set(DbState state)
    {
        _deleted = false;
        _head = state;
    }

    /// <summary>The branch was deleted: its connections fail from now on.</summary>
    public void MarkDeleted()
    {
        _deleted = true;
        _head = null;
    }

    /// <summary>Reads the head from the log, loading its commit when it moved.</summary>
    public DbState Refresh()
    {
        var log = _owner.Log;
        var id = log.HeadId(Name) ?? throw Errors.BranchMissing(Name);
        var known = _head;
        if (known is not null && known.Commit?.Id == id) return known;
        lock (_loadLock)
        {
            known = _head;
            if (known is not null && known.Commit?.Id == id) return known;
            var loaded = log.LoadHead(Name, _owner.Settings.Options) ?? throw Errors.BranchMissing(Name);
            if (known is not null && known.Commit?.Id == loaded.Commit?.Id) return known;
            var adopted = _owner.Adopt(loaded);
            _head = adopted;
            return adopted;
        }
    }

    public IDisposable AddListener(Action<WriteOutcome> listener)
    {
        lock (_listenersLock) _listeners = [.. _listeners, listener];
        return new Unsubscriber(this, listener);
    }

    /// <summary>Calls every listener; a listener that throws does not stop the others or undo the commit.</summary>
    public void Notify(WriteOutcome outcome)
    {
        foreach (var listener in _listeners)
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

    private void RemoveListener(Action<WriteOutcome> listener)
    {
        lock (_listenersLock) _listeners = _listeners.Where(l => l != listener).ToArray();
    }

    private sealed class Unsubscriber(BranchHead owner, Action<WriteOutcome> listener) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.RemoveListener(listener);
        }
    }
}
