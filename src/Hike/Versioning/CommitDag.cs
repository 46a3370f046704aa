using Hike.Db;

namespace Hike.Versioning;

/// <summary>
/// Walks of the commit graph. A commit's id sorts after its parents' (time-ordered ids, see
/// <see cref="CommitIds"/>), so visiting commits newest id first visits every commit after all the
/// commits it is an ancestor of.
/// </summary>
internal static class CommitDag
{
    private static readonly Comparer<Guid> NewestFirst = Comparer<Guid>.Create((x, y) => CommitIds.Compare(y, x));

    /// <summary>Every commit reachable from <paramref name="heads"/> through parents still stored, newest first, each once. Lazy.</summary>
    public static IEnumerable<CommitInfo> Walk(ICommitLog log, IEnumerable<CommitInfo> heads)
    {
        var queue = new PriorityQueue<CommitInfo, Guid>(NewestFirst);
        var seen = new HashSet<Guid>();
        foreach (var head in heads)
        {
            if (seen.Add(head.Id)) queue.Enqueue(head, head.Id);
        }
        while (queue.TryDequeue(out var commit, out _))
        {
            yield return commit;
            foreach (var parent in log.ParentsOf(commit))
            {
                if (seen.Add(parent.Id)) queue.Enqueue(parent, parent.Id);
            }
        }
    }

    /// <summary>
    /// The newest common ancestor of <paramref name="ours"/> and <paramref name="theirs"/> (a commit is
    /// its own ancestor), or null when they share none. It reads only the commits newer than it.
    /// </summary>
    public static CommitInfo? MergeBase(ICommitLog log, CommitInfo ours, CommitInfo theirs)
    {
        const int FromOurs = 1, FromTheirs = 2;
        var queue = new PriorityQueue<CommitInfo, Guid>(NewestFirst);
        var reached = new Dictionary<Guid, int>();
        Reach(ours, FromOurs);
        Reach(theirs, FromTheirs);
        while (queue.TryDequeue(out var commit, out _))
        {
            // Every commit newer than this one has been visited, so its marks are complete.
            int marks = reached[commit.Id];
            if (marks == (FromOurs | FromTheirs)) return commit;
            foreach (var parent in log.ParentsOf(commit)) Reach(parent, marks);
        }
        return null;

        void Reach(CommitInfo commit, int marks)
        {
            if (reached.TryGetValue(commit.Id, out int known))
            {
                reached[commit.Id] = known | marks;
                return;
            }
            reached[commit.Id] = marks;
            queue.Enqueue(commit, commit.Id);
        }
    }
}
