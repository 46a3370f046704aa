using Hike.Db;
using Hike.Edn;
using Hike.Versioning;

namespace Hike.Writing;

/// <summary>
/// One database as this process sees it: the configuration it was created with, its commit log, its
/// one writer, and the branches connections have opened. For a durable store the process becomes the
/// writer on its first commit or branch change (taking the store's writer lock); until then branch
/// heads are re-read from the store on each access. Every commit and head change of every branch runs
/// on the writer, one at a time. Thread-safe.
/// </summary>
internal sealed class DatabaseRuntime
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Keyword, BranchHead> _branches = [];
    private IDisposable? _writerLock;
    private volatile bool _isWriter;
    private volatile bool _deleted;

    public DatabaseRuntime(DatabaseSettings settings, ICommitLog log, Action<DatabaseRuntime>? onWriterStopped = null)
    {
        Settings = settings;
        Log = log;
        _isWriter = !log.IsDurable;
        Writer = new Writer(this, onWriterStopped is null ? null : () => onWriterStopped(this));
        log.SecondaryUpkeepDone = () => Writer.Post(ApplyFinishedUpkeep);
    }

    /// <summary>
    /// Puts secondary-index upkeep finished apart (a full-text merge) into the head of every open branch
    /// where it still fits, so searches use the merged segment at once rather than from the next commit
    /// on (which stores it). Only the layout changes: the head's commit, datoms and matches stay.
    /// Writer thread only.
    /// </summary>
    private void ApplyFinishedUpkeep()
    {
        lock (_gate)
        {
            foreach (var branch in _branches.Values)
            {
                if (branch.Known is not { } state) continue;
                var kept = Log.WithFinishedUpkeep(state.Secondary);
                if (!ReferenceEquals(kept, state.Secondary)) branch.Set(state with { Secondary = kept });
            }
        }
    }

    /// <summary>What the runtime keeps of the configuration the database was created with.</summary>
    public DatabaseSettings Settings { get; }

    public ICommitLog Log { get; }

    public Writer Writer { get; }

    /// <summary>True once this process moves the heads itself (always, in memory).</summary>
    public bool IsWriter => _isWriter;

    /// <summary>The branches that exist: listed, with a head.</summary>
    public IReadOnlySet<Keyword> Branches() => Log.ReadBranches().Where(b => Log.HeadId(b) is not null).ToHashSet();

    /// <summary>The branch <paramref name="name"/>; <c>branch/missing</c> when the database has no such branch.</summary>
    public BranchHead Branch(Keyword name) => TryBranch(name) ?? throw Errors.BranchMissing(name);

    /// <summary>The branch <paramref name="name"/>, or null when the database has no such branch.</summary>
    public BranchHead? TryBranch(Keyword name)
    {
        lock (_gate)
        {
            ThrowIfDeleted();
            if (_branches.TryGetValue(name, out var branch)) return branch;
            var tip = Log.ReadTip(name);
            if (tip is null || !Log.ReadBranches().Contains(name)) return null;
            branch = new BranchHead(this, name);
            if (!_isWriter) branch.LoadAhead(tip);
            _branches[name] = branch;
            return branch;
        }
    }

    /// <summary>Makes this process the writer of a durable store (taking its lock and re-reading every open branch). Writer thread only.</summary>
    public void BecomeWriter()
    {
        ThrowIfDeleted();
        if (_isWriter) return;
        lock (_gate)
        {
            if (_isWriter) return;
            var held = Log.AcquireWriterLock();
            try
            {
                Log.ForgetHeads();
                foreach (var branch in _branches.Values)
                {
                    if (Log.HeadId(branch.Name) is not null) branch.Refresh();
                    else branch.MarkDeleted();
                }
            }
            catch
            {
                held?.Dispose();
                throw;
            }
            _writerLock = held;
            _isWriter = true;
        }
    }

    /// <summary>The state the next transaction on <paramref name="branch"/> applies to. Writer thread only.</summary>
    public DbState WriterHead(BranchHead branch)
    {
        BecomeWriter();
        return branch.Head;
    }

    /// <summary>Creates the database: stores <paramref name="config"/> (durable stores) and commits <paramref name="empty"/> on its main branch.</summary>
    public void Initialize(EdnMap? config, DbState empty)
    {
        lock (_gate)
        {
            _writerLock = Log.AcquireWriterLock();
            _isWriter = true;
            if (config is not null && !Log.TryCreate(config)) throw Errors.DatabaseExists(Settings.Description);
            var branch = new BranchHead(this, Settings.MainBranch);
            _branches[Settings.MainBranch] = branch;
            Persist(branch, Prepare(branch, Adopt(empty), []));
        }
    }

    /// <summary>
    /// Builds the commit of <paramref name="after"/> on top of <paramref name="branch"/>'s head, with
    /// <paramref name="merged"/> as further parents, for <see cref="Persist"/>. Writer thread only.
    /// </summary>
    public PreparedCommit Prepare(BranchHead branch, DbState after, IReadOnlyList<CommitInfo> merged)
    {
        return Branching.Prepare(Log, branch.Known?.Commit, after, merged);
    }

    /// <summary>Writes a prepared commit (durably, for a durable store) and makes it <paramref name="branch"/>'s head.</summary>
    public DbState Persist(BranchHead branch, PreparedCommit commit)
    {
        lock (_gate)
        {
            Log.Persist(commit, branch.Name);
            branch.Set(commit.State);
            return commit.State;
        }
    }

    /// <summary>Creates branch <paramref name="name"/> at <paramref name="commit"/>. Writer thread only.</summary>
    public void CreateBranch(Keyword name, CommitInfo commit)
    {
        // A bad name fails before the writer lock is taken: it never waits on another process's writer.
        StoreLayout.ValidateBranch(name);
        BecomeWriter();
        lock (_gate)
        {
            Branching.Create(Log, name, commit);
            if (_branches.TryGetValue(name, out var open)) open.Set(Adopt(Log.LoadCommit(commit, Settings.Options)));
        }
    }

    /// <summary>Deletes branch <paramref name="name"/> (not the main one). Writer thread only.</summary>
    public void DeleteBranch(Keyword name)
    {
        Branching.CheckDeletable(name, Settings.MainBranch);
        BecomeWriter();
        lock (_gate)
        {
            Log.DeleteBranch(name);
            if (_branches.Remove(name, out var open)) open.MarkDeleted();
        }
    }

    /// <summary>
    /// Commits <paramref name="state"/> as the head of <paramref name="name"/> (created when missing)
    /// with exactly <paramref name="parents"/> as its parents. Writer thread only.
    /// </summary>
    public CommitInfo ForceBranch(Keyword name, DbState state, IReadOnlyList<CommitInfo> parents)
    {
        // As for CreateBranch: a bad name fails before the writer lock is taken.
        StoreLayout.ValidateBranch(name);
        BecomeWriter();
        lock (_gate)
        {
            if (!_branches.TryGetValue(name, out var branch))
            {
                branch = new BranchHead(this, name);
                _branches[name] = branch;
            }
            var committed = Branching.Force(Log, name, Adopt(state), parents);
            branch.Set(committed);
            return committed.Commit!;
        }
    }

    /// <summary>The state <paramref name="commit"/> stored.</summary>
    public DbState LoadCommit(CommitInfo commit) => Adopt(Log.LoadCommit(commit, Settings.Options));

    /// <summary>The commit a branch name (<see cref="Keyword"/>) or commit id (<see cref="Guid"/>, or its text) stands for.</summary>
    public CommitInfo ResolveCommit(object reference) =>
        Branching.Resolve(Log, reference, branch => Branch(branch).Head.Commit ?? throw Errors.BranchMissing(branch));

    /// <summary>Runs <paramref name="action"/> while no commit is in flight (GC's snapshot of the store).</summary>
    public T BetweenCommits<T>(Func<T> action)
    {
        lock (_gate) return action();
    }

    /// <summary>Lets go of the writer lock (the writer has stopped).</summary>
    public void ReleaseWriter()
    {
        lock (_gate)
        {
            _writerLock?.Dispose();
            _writerLock = null;
            _isWriter = !Log.IsDurable;
        }
    }

    public void MarkDeleted()
    {
        _deleted = true;
        Writer.Close();
    }

    public void ThrowIfDeleted()
    {
        if (_deleted) throw Errors.DatabaseMissing(Settings.Description);
    }

    /// <summary><paramref name="state"/> marked as a state of this database.</summary>
    public DbState Adopt(DbState state) => ReferenceEquals(state.Origin, this) ? state : state with { Origin = this };
}
