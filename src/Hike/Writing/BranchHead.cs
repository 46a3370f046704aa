using Hike.Db;
using Hike.Edn;
using Hike.Versioning;

namespace Hike.Writing;

/// <summary>
/// One branch of a database as this process sees it: its head state and the listeners of its commits.
/// While this process is not the database's writer, the head is re-read from the log on each access
/// (one small read; a new commit is loaded only when the head moved); once it is, the writer alone
/// moves it. Over a store whose reads are round trips, the head found when the branch was opened starts
/// loading at once (<see cref="LoadAhead"/>), while the first access checks the head again. Thread-safe.
/// </summary>
internal sealed class BranchHead
{
    private readonly Lock _loadLock = new();
    private readonly DatabaseRuntime _owner;
    private volatile DbState? _head;
    private volatile bool _deleted;
    private Loading? _ahead;
    private readonly Listeners _listeners = new();

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

    /// <summary>
    /// Starts loading <paramref name="tip"/>, the head just read, in the background, when the log's
    /// reads are round trips: the first access, which reads the head again, then waits only for what
    /// is left of the load, and uses it when the head has not moved.
    /// </summary>
    public void LoadAhead(BranchTip tip)
    {
        if (!_owner.Log.LoadsAhead) return;
        var state = Task.Run(() => tip.Load(_owner.Settings.Options));
        // A load nobody waits for (the head moved first) still has its failure observed.
        state.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        Volatile.Write(ref _ahead, new Loading(tip.Id, state));
    }

    /// <summary>Reads the head from the log, loading its commit when it moved.</summary>
    public DbState Refresh()
    {
        var tip = _owner.Log.ReadTip(Name) ?? throw Errors.BranchMissing(Name);
        var known = _head;
        if (known is not null && known.Commit?.Id == tip.Id) return known;
        lock (_loadLock)
        {
            known = _head;
            if (known is not null && known.Commit?.Id == tip.Id) return known;
            var ahead = Interlocked.Exchange(ref _ahead, null);
            var loaded = ahead is not null && ahead.Id == tip.Id
                ? ahead.State.GetAwaiter().GetResult()
                : tip.Load(_owner.Settings.Options);
            if (known is not null && known.Commit?.Id == loaded.Commit?.Id) return known;
            var adopted = _owner.Adopt(loaded);
            _head = adopted;
            return adopted;
        }
    }

    /// <summary>Calls <paramref name="listener"/> with the outcome of every later commit of this process's writer on this branch, until the result is disposed.</summary>
    public IDisposable AddListener(Action<WriteOutcome> listener) => _listeners.Add(listener);

    /// <summary>Calls every listener; a listener that throws does not stop the others or undo the commit.</summary>
    public void Notify(WriteOutcome outcome) => _listeners.Notify(outcome);

    /// <summary>A head's state being loaded ahead of its first use.</summary>
    private sealed record Loading(Guid Id, Task<DbState> State);
}
