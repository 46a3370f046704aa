using Hike.Index.Codec;
using Hike.Index.Datoms;
using Hike.Index.Stored;
using Hike.Index.Tree;


namespace Hike.Versioning;

/// <summary>
/// Garbage collection of a durable store, in two phases. The snapshot, taken while no commit is in
/// flight, lists every segment, reads every branch head and notes how long the writer's segment is;
/// only objects that existed then are touched, so whatever the writer stores later is safe. The
/// collection then marks what the heads reach — each head's commit, and its ancestors back to the
/// first one made before the cut-off — with their schemas, chunks and nodes; deletes the segments
/// that hold nothing marked, and trims the unmarked objects out of the others (their bytes are
/// released; the marked ones keep their places), dead commit records before anything else.
/// </summary>
internal static class StorageGc
{
    /// <summary>
    /// The segments and heads at the start of a collection, and the segment the writer appends to
    /// with its length then: only objects below that length are looked at, and it is never deleted.
    /// </summary>
    public sealed record Start(IReadOnlyList<string> Segments, IReadOnlyList<NodeAddress> Heads, ulong Appending, long AppendingLength);

    public static Start Snapshot(StoredCommitLog commits)
    {
        var (appending, length) = commits.Nodes.PersistedLength;
        commits.Nodes.BeginCollection();
        var segments = commits.Store.List(Index.Stored.Packs.Prefix).ToList();
        var heads = new List<NodeAddress>();
        foreach (var branch in commits.ReadBranches())
        {
            if (commits.ReadResolvedHead(branch) is { } head) heads.Add(head.Address);
        }
        return new Start(segments, heads, appending, length);
    }

    /// <summary>
    /// Deletes the snapshot's objects that no retained commit reaches; returns how many. Every segment
    /// is scanned before anything is touched: one that cannot be read as packs, or that holds a live
    /// object its packs do not list, stops the collection with a <see cref="CorruptionException"/>
    /// naming it — unless recovery quarantined it, and then it is left as it is, or deleted once it
    /// holds nothing live. A segment holding any live object is never deleted, and no range a live object
    /// covers is released. Dead commit records go first, in a sync of their own, and their nodes, schemas
    /// and chunks after: a crash in between leaves those commits collected and their nodes unreachable,
    /// never a commit whose record remains while its nodes are gone.
    /// </summary>
    public static int Collect(StoredCommitLog commits, Start start, DateTime removeBefore, CancellationToken cancellationToken)
    {
        var live = Mark(commits, start.Heads, removeBefore, cancellationToken);
        var liveBySegment = live.Select(Index.Stored.Packs.Locate).ToLookup(l => l.Pack, l => (l.Offset, l.Length));
        var quarantined = StoreLayout.ReadQuarantine(commits.Store);
        var sweeps = new List<Sweep>();
        int deleted = 0;
        foreach (var key in start.Segments)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!Index.Stored.Packs.TryParseKey(key, out var segment)) continue;
            if (quarantined.Contains(key))
            {
                // Damaged: never scanned or trimmed; gone only once nothing live is in it.
                if (!liveBySegment[segment].Any()) sweeps.Add(new Sweep(key, DeleteWhole: true));
                continue;
            }
            bool growing = segment == start.Appending;
            var scan = Index.Stored.Packs.Scan(commits.Store, key, growing ? start.AppendingLength : null);
            var listed = scan.Packs.SelectMany(p => p.Objects).ToHashSet();
            foreach (var (offset, length) in liveBySegment[segment])
            {
                // A live value the writer stored after the snapshot lies past what this collection looks at.
                if (growing && offset >= start.AppendingLength) continue;
                if (!listed.Contains((offset, length)))
                    throw Errors.Corrupt(Index.Stored.Packs.Describe(Index.Stored.Packs.Address(segment, offset, length)), "a live object is not among the objects its segment's packs list");
            }
            var sweep = new Sweep(key, DeleteWhole: !growing && !liveBySegment[segment].Any());
            foreach (var pack in scan.Packs)
            {
                for (int i = 0; i < pack.Objects.Count; i++)
                {
                    var (offset, length) = pack.Objects[i];
                    if (live.Contains(Index.Stored.Packs.Address(segment, offset, length))) continue;
                    var bytes = commits.Store.GetRange(key, offset, length);
                    if (IsTrimmed(bytes)) continue;
                    deleted++;
                    // A commit record is the last object of its pack.
                    if (i == pack.Objects.Count - 1 && bytes!.Length > 3 && bytes[3] == Index.Codec.Envelope.KindCommit) sweep.Records.Add((offset, length));
                    else sweep.Others.Add((offset, length));
                }
            }
            sweeps.Add(sweep);
        }
        foreach (var sweep in sweeps)
        {
            if (sweep.Records.Count > 0) commits.Store.Trim(sweep.Key, sweep.Records);
        }
        commits.Store.Sync();
        foreach (var sweep in sweeps)
        {
            if (sweep.DeleteWhole) commits.Store.Delete(sweep.Key);
            else if (sweep.Others.Count > 0) commits.Store.Trim(sweep.Key, sweep.Others);
        }
        commits.Store.Sync();
        if (quarantined.RemoveWhere(key => sweeps.Any(s => s.DeleteWhole && s.Key == key)) > 0)
        {
            StoreLayout.WriteQuarantine(commits.Store, quarantined);
            commits.Store.Sync();
        }
        return deleted;
    }

    /// <summary>
    /// Every object the retained commits reach: commit records, schemas, chunks, index nodes and the
    /// values they store out of line, with those the writer referred to since the snapshot.
    /// </summary>
    private static HashSet<NodeAddress> Mark(StoredCommitLog commits, IReadOnlyList<NodeAddress> heads, DateTime removeBefore, CancellationToken cancellationToken)
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
    private static void MarkCommits(StoredCommitLog commits, IReadOnlyList<NodeAddress> heads, DateTime removeBefore, HashSet<NodeAddress> live, HashSet<NodeAddress> values, CancellationToken cancellationToken)
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
            foreach (var (kind, root) in record.Secondary)
            {
                if (live.Add(root)) live.UnionWith(kind.References(commits.Nodes, root));
            }
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
            if (nodes.ReadForMarking(next, values) is not Branch<IndexDatom> branch) continue;
            for (int i = 0; i < branch.Len; i++)
            {
                var child = branch.Addresses![i];
                if (branch.HeightValue > 1) pending.Push(child);
                else if (live.Add(child) && child.HoldsValueRefs) nodes.ReadForMarking(child, values);
            }
        }
    }

    private static bool IsTrimmed(byte[]? bytes) => bytes is null || bytes.AsSpan().IndexOfAnyExcept((byte)0) < 0;

    /// <summary>What a collection removes from one segment: the whole segment, or its dead commit records and its other dead objects.</summary>
    private sealed record Sweep(string Key, bool DeleteWhole)
    {
        public List<(long Offset, long Length)> Records { get; } = [];

        public List<(long Offset, long Length)> Others { get; } = [];
    }
}
