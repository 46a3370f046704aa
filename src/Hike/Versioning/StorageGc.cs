using Hike.Edn;
using Hike.Index;

namespace Hike.Versioning;

/// <summary>
/// Garbage collection of a durable store, in two phases. The snapshot, taken while no commit is in
/// flight, lists every key and reads every branch head; only keys in that list can ever be deleted,
/// so whatever the writer stores later is safe. The collection then marks what the heads reach —
/// each head's commit, and its ancestors back to the first one made before the cut-off — with their
/// schemas, chunks and nodes, and deletes the rest of the listed immutable objects.
/// </summary>
internal static class StorageGc
{
    private static readonly string[] Collectable = [NodeStore.Prefix, StoreLayout.CommitsPrefix, "schemas/", "roots/"];

    /// <summary>The keys and heads at the start of a collection.</summary>
    public sealed record Start(IReadOnlyList<string> Keys, IReadOnlyList<Guid> Heads);

    public static Start Snapshot(CommitStore commits)
    {
        var keys = new List<string>();
        foreach (var prefix in Collectable) keys.AddRange(commits.Store.List(prefix));
        var heads = new List<Guid>();
        foreach (var branch in commits.ReadBranches())
        {
            if (commits.ReadHead(branch) is { } head) heads.Add(head);
        }
        return new Start(keys, heads);
    }

    /// <summary>Deletes the snapshot's keys that no retained commit reaches; returns how many.</summary>
    public static int Collect(CommitStore commits, Start start, DateTime removeBefore, CancellationToken cancellationToken)
    {
        var live = new HashSet<string>(StringComparer.Ordinal);
        var visitedCommits = new HashSet<Guid>();
        var pending = new Stack<(Guid Id, bool IsHead)>(start.Heads.Select(h => (h, true)));
        while (pending.TryPop(out var next))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!visitedCommits.Add(next.Id)) continue;
            var record = commits.ReadCommit(next.Id);
            // A head is always kept; an ancestor only while it is recent enough.
            if (!next.IsHead && record.Info.Instant < removeBefore) continue;
            MarkCommit(commits, record, live);
            foreach (var parent in record.Info.Parents) pending.Push((parent, false));
        }
        int deleted = 0;
        foreach (var key in start.Keys)
        {
            if (live.Contains(key)) continue;
            cancellationToken.ThrowIfCancellationRequested();
            if (commits.Store.Delete(key)) deleted++;
            if (NodeStore.TryParseKey(key, out var address)) commits.Nodes.Cache.Remove(address);
        }
        commits.Store.Sync();
        return deleted;
    }

    private static void MarkCommit(CommitStore commits, CommitRecord record, HashSet<string> live)
    {
        live.Add(StoreLayout.CommitKey(record.Info.Id));
        live.Add(record.SchemaKey);
        foreach (var index in record.Indexes)
        {
            foreach (var chunkKey in index.ChunkKeys)
            {
                if (chunkKey is null || !live.Add(chunkKey)) continue;
                var bytes = commits.Store.Get(chunkKey) ?? throw new CorruptionException(chunkKey, "it is missing from the store");
                foreach (var address in IndexRoots.ChunkAddresses(chunkKey, bytes)) MarkNode(commits.Nodes, address, live);
            }
        }
    }

    /// <summary>Marks a node and, for a branch, its subtree; leaves are marked without being read.</summary>
    private static void MarkNode(NodeStore nodes, NodeAddress address, HashSet<string> live)
    {
        var pending = new Stack<NodeAddress>();
        pending.Push(address);
        while (pending.TryPop(out var next))
        {
            if (!live.Add(NodeStore.Key(next))) continue;
            if (nodes.Read(next) is not Branch<Datom> branch) continue;
            for (int i = 0; i < branch.Len; i++)
            {
                var child = branch.Addresses![i];
                if (branch.HeightValue == 1) live.Add(NodeStore.Key(child));
                else pending.Push(child);
            }
        }
    }
}
