using Hike.Db;
using Hike.Versioning;

namespace Hike.Api;

/// <summary>
/// One database as this process sees it: the configuration it was created with, its current head
/// state, its writer, and the transaction listeners. In memory the head lives here; for a durable
/// store the head is the store's, re-read on each access until this process becomes the writer (on
/// its first transaction), after which this process alone moves it. Thread-safe.
/// </summary>
internal sealed class StoredDatabase
{
    private readonly Lock _listenersLock = new();
    private readonly Lock _headLock = new();
    private readonly CommitStore? _commits;
    private volatile DbState? _head;
    private IDisposable? _writerLock;
    private volatile bool _deleted;
    private Action<TxReport>[] _listeners = [];

    /// <summary>An in-memory database starting from <paramref name="head"/>.</summary>
    public StoredDatabase(DatabaseConfig config, DbState head)
    {
        Config = config;
        _head = head;
        Writer = new Writer(this);
    }

    /// <summary>A database in a durable store; its head is read on first use.</summary>
    public StoredDatabase(DatabaseConfig config, CommitStore commits, Action<StoredDatabase>? onWriterStopped = null)
    {
        Config = config;
        _commits = commits;
        Writer = new Writer(this, onWriterStopped is null ? null : () => onWriterStopped(this));
    }

    public DatabaseConfig Config { get; }

    public Writer Writer { get; }

    /// <summary>The durable store's commits, or null in memory.</summary>
    public CommitStore? Commits => _commits;

    /// <summary>The newest committed state: for a durable store that another process writes, the head as of now.</summary>
    public DbState Head
    {
        get
        {
            if (_deleted) throw Errors.DatabaseMissing(Config.Store.Id);
            if (_commits is not null && Volatile.Read(ref _writerLock) is null) Refresh();
            return _head!;
        }
    }

    /// <summary>The state the next transaction applies to; makes this process the writer of a durable store first.</summary>
    public DbState WriterHead()
    {
        if (_deleted) throw Errors.DatabaseMissing(Config.Store.Id);
        if (_commits is not null && _writerLock is null)
        {
            lock (_headLock)
            {
                if (_writerLock is null)
                {
                    var held = _commits.Store.AcquireWriterLock();
                    _commits.ForgetHeads();
                    Refresh();
                    Volatile.Write(ref _writerLock, held);
                }
            }
        }
        return _head!;
    }

    /// <summary>Creates the database in its durable store: takes the writer lock, stores <paramref name="config"/>, commits <paramref name="empty"/>.</summary>
    public void Initialize(Edn.EdnMap config, DbState empty)
    {
        lock (_headLock)
        {
            _writerLock = _commits!.Store.AcquireWriterLock();
            if (_commits.ReadConfig() is not null) throw Errors.DatabaseExists($":file {Errors.Show(Config.Store.Path)}");
            _commits.WriteConfig(config);
            Commit(empty);
        }
    }

    /// <summary>Builds the commit of <paramref name="after"/> on top of the head, for <see cref="Persist"/>. Writer thread only.</summary>
    public PreparedCommit Prepare(DbState after)
    {
        var parent = _head?.Commit;
        var info = new CommitInfo(CommitIds.Next(parent?.Id), parent is null ? [] : [parent.Id], DateTime.UtcNow)
        {
            ParentAddresses = parent is { Address.IsStored: true } ? [parent.Address] : [],
        };
        return _commits is null ? new PreparedCommit(after with { Commit = info }, null) : _commits.Prepare(after, info);
    }

    /// <summary>Writes a prepared commit (durably, for a durable store) and makes it the head.</summary>
    public DbState Persist(PreparedCommit commit)
    {
        lock (_headLock)
        {
            _commits?.Persist(commit, Config.Branch);
            _head = commit.State;
            return commit.State;
        }
    }

    /// <summary>Builds and writes a commit of <paramref name="after"/> at once.</summary>
    public DbState Commit(DbState after) => Persist(Prepare(after));

    /// <summary>Runs <paramref name="action"/> while no commit is in flight (GC's snapshot of the store).</summary>
    public T BetweenCommits<T>(Func<T> action)
    {
        lock (_headLock) return action();
    }

    /// <summary>Lets go of the writer lock (the writer has stopped).</summary>
    public void ReleaseWriter()
    {
        lock (_headLock)
        {
            _writerLock?.Dispose();
            _writerLock = null;
        }
    }

    public void MarkDeleted()
    {
        _deleted = true;
        Writer.Close();
    }

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

    private void Refresh()
    {
        // Usually one small read: only a head naming another commit is checked and loaded.
        var head = _commits!.ReadHead(Config.Branch) ?? throw Errors.DatabaseMissing($"branch {Config.Branch} of {Config.Store.Path}");
        if (_head?.Commit?.Id == head.Id) return;
        lock (_headLock)
        {
            var (id, address) = _commits.Resolve(head) ?? throw Errors.DatabaseMissing($"branch {Config.Branch} of {Config.Store.Path}");
            if (_head?.Commit?.Id == id) return;
            _head = _commits.Load(address, Config.Options);
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
