using Hike.Db;
using Hike.Edn;
using Hike.Storage;

namespace Hike.Versioning;

/// <summary>
/// The commits of an in-memory database: every committed state by id (states share their unchanged
/// index nodes, so an old commit costs only what it changed), and the branch heads. Thread-safe.
/// </summary>
internal sealed class MemoryCommitLog : ICommitLog
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, DbState> _commits = [];
    private readonly Dictionary<Keyword, Guid> _heads = [];
    private readonly SecondaryIndexUpkeep _upkeep;

    public MemoryCommitLog() => _upkeep = new SecondaryIndexUpkeep(() => SecondaryUpkeepDone?.Invoke());

    public bool IsDurable => false;

    public IKeyValueStore? Objects => null;

    public IDisposable? AcquireWriterLock() => null;

    public IReadOnlySet<Keyword> ReadBranches()
    {
        lock (_gate) return _heads.Keys.ToHashSet();
    }

    public Guid? HeadId(Keyword branch)
    {
        lock (_gate) return _heads.TryGetValue(branch, out var id) ? id : null;
    }

    public BranchTip? ReadTip(Keyword branch)
    {
        lock (_gate)
        {
            if (!_heads.TryGetValue(branch, out var id)) return null;
            var state = _commits[id];
            return new BranchTip(id, _ => state);
        }
    }

    public bool LoadsAhead => false;

    public CommitInfo? FindCommit(Guid id)
    {
        lock (_gate) return _commits.TryGetValue(id, out var state) ? state.Commit : null;
    }

    public IReadOnlyList<CommitInfo> ParentsOf(CommitInfo commit)
    {
        lock (_gate)
        {
            var parents = new List<CommitInfo>(commit.Parents.Count);
            foreach (var id in commit.Parents)
            {
                if (_commits.TryGetValue(id, out var state)) parents.Add(state.Commit!);
            }
            return parents;
        }
    }

    public DbState LoadCommit(CommitInfo commit, DbOptions options)
    {
        lock (_gate) return _commits.TryGetValue(commit.Id, out var state) ? state : throw Errors.CommitMissing(commit.Id);
    }

    public PreparedCommit Prepare(DbState state, CommitInfo info)
    {
        var secondary = _upkeep.Compact(state.Secondary, state.Options.KeepHistory).Select((kind, index) => kind.KeptInMemory(index));
        _upkeep.StartNext(secondary, state.Options.KeepHistory);
        return new(state with { Commit = info, Secondary = secondary }, null);
    }

    public void Persist(PreparedCommit commit, Keyword branch)
    {
        var state = commit.State;
        lock (_gate)
        {
            _commits[state.Commit!.Id] = state;
            _heads[branch] = state.Commit.Id;
        }
    }

    public void SetHead(Keyword branch, CommitInfo commit, bool create)
    {
        lock (_gate)
        {
            bool exists = _heads.ContainsKey(branch);
            if (create && exists) throw Errors.BranchExists(branch);
            if (!create && !exists) throw Errors.BranchMissing(branch);
            if (!_commits.ContainsKey(commit.Id)) throw Errors.CommitMissing(commit.Id);
            _heads[branch] = commit.Id;
        }
    }

    public void DeleteBranch(Keyword branch)
    {
        lock (_gate)
        {
            if (!_heads.Remove(branch)) throw Errors.BranchMissing(branch);
        }
    }

    public void ForgetHeads()
    {
    }

    public bool TryCreate(EdnMap config) => true;

    /// <summary>In memory the collection is done at once, between commits: the work left only reports it.</summary>
    public Func<CancellationToken, int> StartCollection(DateTime removeBefore)
    {
        int dropped = Collect(removeBefore);
        return _ => dropped;
    }

    /// <summary>
    /// Drops the commits no branch needs: keeps every head, and the ancestors made at or after
    /// <paramref name="removeBefore"/>. Returns how many were dropped.
    /// </summary>
    private int Collect(DateTime removeBefore)
    {
        lock (_gate)
        {
            var live = new HashSet<Guid>();
            var pending = new Stack<(Guid Id, bool IsHead)>(_heads.Values.Select(id => (id, true)));
            while (pending.TryPop(out var next))
            {
                if (live.Contains(next.Id) || !_commits.TryGetValue(next.Id, out var state)) continue;
                if (!next.IsHead && state.Commit!.Instant < removeBefore) continue;
                live.Add(next.Id);
                foreach (var parent in state.Commit!.Parents) pending.Push((parent, false));
            }
            int dropped = 0;
            foreach (var id in _commits.Keys.ToList())
            {
                if (live.Contains(id)) continue;
                _commits.Remove(id);
                dropped++;
            }
            return dropped;
        }
    }

    public Action? SecondaryUpkeepDone { get; set; }

    public SecondaryIndexes WithFinishedUpkeep(SecondaryIndexes indexes) => _upkeep.WithFinished(indexes);

    public void Dispose() => _upkeep.Dispose();
}
