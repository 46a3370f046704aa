using Hike.Index;

namespace Hike.Versioning;

/// <summary>
/// Garbage collection of a durable store, in two phases. The snapshot, taken while no commit is in
/// flight, lists every segment, reads every branch head and notes how long the writer's segment is;
/// only objects that existed then are touched, so whatever the writer stores later is safe. The
/// collection then marks what the heads reach — each head's commit, and its ancestors back to the
/// first one made before the cut-off — with their schemas, chunks and nodes; deletes the segments
/// that hold nothing marked, and trims the unmarked objects out of the others (their bytes are
/// released; the marked ones keep their places).
/// </summary>
internal static class StorageGc
{
    /// <summary>
    /// The segments and heads at the start of a collection, and the segment the writer appends to
    /// with its length then: only objects below that length are looked at, and it is never deleted.
    /// </summary>
    public sealed record Start(IReadOnlyList<string> Segments, IReadOnlyList<NodeAddress> Heads, ulong Appending, long AppendingLength);

    public static Start Snapshot(CommitStore commits)
    {
        var (appending, length) = commits.Nodes.PersistedLength;
        commits.Nodes.BeginCollection();
        var segments = commits.Store.List(Index.Packs.Prefix).ToList();
        var heads = new List<NodeAddress>();
        foreach (var branch in commits.ReadBranches())
        {
            if (commits.ReadResolvedHead(branch) is { } head) heads.Add(head.Address);
        }
        return new Start(segments, heads, appending, length);
    }

    /// <summary>Deletes the snapshot's objects that no retained commit reaches; returns how many.</summary>
    public static int Collect(CommitStore commits, Start start, DateTime removeBefore, CancellationToken cancellationToken)
    {
        var live = Mark(commits, start.Heads, removeBefore, cancellationToken);
        int deleted = 0;
        foreach (var key in start.Segments)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!Index.Packs.TryParseKey(key, out var segment)) continue;
            bool growing = segment == start.Appending;
            var dead = new List<(long Offset, long Length)>();
            int kept = 0;
            foreach (var (offset, length) in Index.Packs.Objects(commits.Store, key))
            {
                if (growing && offset >= start.AppendingLength) continue;
                if (live.Contains(Index.Packs.Address(segment, offset, length))) kept++;
                else if (!IsTrimmed(commits.Store.GetRange(key, offset, length))) dead.Add((offset, length));
            }
            if (kept == 0 && !growing)
            {
                if (commits.Store.Delete(key)) deleted += dead.Count;
            }
            else if (dead.Count > 0)
            {
                commits.Store.Trim(key, dead);
                deleted += dead.Count;
            }
        }
        commits.Store.Sync();
        return deleted;
    }

    /// <summary>
    /// Every object the retained commits reach: commit records, schemas, chunks, index nodes and the
    /// values they store out of line, with those the writer referred to since the snapshot.
    /// </summary>
    private static HashSet<NodeAddress> Mark(CommitStore commits, IReadOnlyList<NodeAddress> heads, DateTime removeBefore, CancellationToken cancellationToken)
    {
        var live = new HashSet<NodeAddress>();
        var values = new HashSet<NodeAddress>();
        try
        {
            MarkCommits(commits, heads, removeBefore, live, values, cancellationToken);
        }
        catch
        {
            commits.Nodes.AbandonMarking();
            throw;
        }
        commits.Nodes.EndMarking(values);
        live.UnionWith(values);
        return live;
    }

    /// <summary>Marks each head's commit and its ancestors back to the cut-off, with their schemas, chunks and trees.</summary>
    private static void MarkCommits(CommitStore commits, IReadOnlyList<NodeAddress> heads, DateTime removeBefore, HashSet<NodeAddress> live, HashSet<NodeAddress> values, CancellationToken cancellationToken)
    {
        var pending = new Stack<(NodeAddress Commit, bool IsHead)>(heads.Select(h => (h, true)));
        while (pending.TryPop(out var next))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (live.Contains(next.Commit)) continue;
            // An ancestor an earlier collection removed is gone; a head never is.
            var record = next.IsHead ? commits.ReadCommit(next.Commit) : commits.TryReadCommit(next.Commit);
            // A head is always kept; an ancestor only while it is recent enough.
            if (record is null || (!next.IsHead && record.Info.Instant < removeBefore)) continue;
            live.Add(next.Commit);
            live.Add(record.Schema);
            foreach (var index in record.Indexes)
            {
                foreach (var chunk in index.Chunks)
                {
                    if (!chunk.IsStored || !live.Add(chunk)) continue;
                    foreach (var root in commits.Roots.References(chunk, values)) MarkTree(commits.Nodes, root, live, values);
                }
            }
            foreach (var parent in record.Info.ParentAddresses) pending.Push((parent, false));
        }
    }

    /// <summary>
    /// Marks a node and, for a branch, its subtree, adding the values they refer to to
    /// <paramref name="values"/>; a leaf is read only when its address says it refers to values.
    /// </summary>
    private static void MarkTree(NodeStore nodes, NodeAddress root, HashSet<NodeAddress> live, HashSet<NodeAddress> values)
    {
        var pending = new Stack<NodeAddress>();
        pending.Push(root);
        while (pending.TryPop(out var next))
        {
            if (!live.Add(next)) continue;
            if (nodes.ReadForMarking(next, values) is not Branch<Datom> branch) continue;
            for (int i = 0; i < branch.Len; i++)
            {
                var child = branch.Addresses![i];
                if (branch.HeightValue > 1) pending.Push(child);
                else if (live.Add(child) && child.HoldsValueRefs) nodes.ReadForMarking(child, values);
            }
        }
    }

    private static bool IsTrimmed(byte[]? bytes) => bytes is null || bytes.AsSpan().IndexOfAnyExcept((byte)0) < 0;
}
