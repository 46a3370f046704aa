using Hike.Db;
using Hike.Edn;
using Hike.Index.Codec;
using Hike.Index.Datoms;
using Hike.Index.Stored;
using Hike.Index.Tree;
using Hike.Storage;

namespace Hike.Versioning;

/// <summary>
/// The explicit recovery of a damaged durable database (<c>hike recover</c>): for each branch, the
/// newest commit along its history whose every object reads whole — its record, schema, index chunks
/// and every tree node, checksummed — and what moving the branch there drops. It changes nothing
/// unless asked to; then it rewrites the heads (and a damaged branch set or format record), puts the
/// segments it cannot read in quarantine, and syncs. It never deletes a segment or an object: what
/// the moved heads no longer reach stays until garbage collection.
/// Run by the holder of the writer lock.
/// </summary>
internal static class StoreRecovery
{
    /// <summary>How many whole commits after a branch's target a report lists.</summary>
    private const int MaxNewerCommits = 10;

    public static RecoveryReport Run(StoredCommitLog commits, bool apply, CancellationToken cancellationToken)
    {
        var damaged = new List<string>();
        var surviving = commits.Store.Inner as FileStore;
        bool formatDamaged = false;
        try
        {
            _ = StoreLayout.ReadFormat(commits.Store);
        }
        catch (CorruptionException e)
        {
            damaged.Add(e.Message);
            formatDamaged = true;
            commits.AssumeFormat(StoreLayout.FormatVersion);
        }
        var quarantined = StoreLayout.ReadQuarantine(commits.Store);
        var damagedSegments = new List<(string Key, string Why)>();
        var stored = WholeCommits(commits, quarantined, damagedSegments, cancellationToken);
        var (branches, branchSetDamaged) = Branches(commits, damaged);

        var verified = new HashSet<NodeAddress>();
        var plans = new List<(BranchRecovery Report, CommitInfo? Target)>();
        foreach (var branch in branches.OrderBy(b => b))
        {
            cancellationToken.ThrowIfCancellationRequested();
            plans.Add(PlanBranch(commits, surviving, branch, stored, verified));
        }
        var reachable = Reachable(commits, plans.Where(p => p.Report.IsWhole).Select(p => p.Target!).ToList());
        var reports = plans.Select(p => p.Report.IsWhole || p.Target is null
            ? p.Report
            : p.Report with { NewerCommits = Descendants(p.Target, stored, reachable) }).ToList();

        bool needed = formatDamaged || branchSetDamaged || damagedSegments.Count > 0 || reports.Any(r => !r.IsWhole && r.Target is not null);
        if (!apply || !needed)
        {
            return new RecoveryReport(reports, [.. damaged, .. damagedSegments.Select(d => d.Why)], [.. quarantined.Order(StringComparer.Ordinal)], Applied: false);
        }
        if (formatDamaged) StoreLayout.WriteFormat(commits.Store);
        if (branchSetDamaged) commits.RewriteBranches(branches);
        foreach (var (report, target) in plans)
        {
            if (!report.IsWhole && target is not null) commits.RewriteHead(report.Branch, target);
        }
        quarantined.UnionWith(damagedSegments.Select(d => d.Key));
        StoreLayout.WriteQuarantine(commits.Store, quarantined);
        commits.Store.Sync();
        // What remains is what recovery cannot repair: branches without a whole commit.
        return new RecoveryReport(reports, [], [.. quarantined.Order(StringComparer.Ordinal)], Applied: true);
    }

    /// <summary>
    /// The commits of the store's packs whose records read whole, by id; segments that cannot be read
    /// as packs are listed in <paramref name="damaged"/>, quarantined ones skipped.
    /// </summary>
    private static Dictionary<Guid, CommitInfo> WholeCommits(StoredCommitLog commits, HashSet<string> quarantined, List<(string Key, string Why)> damaged, CancellationToken cancellationToken)
    {
        var found = new Dictionary<Guid, CommitInfo>();
        foreach (var key in commits.Store.List(Packs.Prefix).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!Packs.TryParseKey(key, out var segment) || quarantined.Contains(key)) continue;
            SegmentScan scan;
            try
            {
                scan = Packs.Scan(commits.Store, key);
            }
            catch (CorruptionException e)
            {
                damaged.Add((key, e.Message));
                continue;
            }
            foreach (var pack in scan.Packs)
            {
                // A pack's last object is its commit record; one garbage collection removed reads as absent.
                var (offset, length) = pack.Objects[^1];
                try
                {
                    if (commits.TryReadCommit(Packs.Address(segment, offset, length)) is { } record) found[record.Info.Id] = record.Info;
                }
                catch (CorruptionException)
                {
                    // A damaged record: no branch can be moved to it; the branches that reach it say so.
                }
            }
        }
        return found;
    }

    /// <summary>The branch set; when it is damaged, the branches whose heads are in the store, and a note.</summary>
    private static (IReadOnlyCollection<Keyword> Branches, bool Damaged) Branches(StoredCommitLog commits, List<string> damaged)
    {
        try
        {
            return (commits.ReadBranches(), false);
        }
        catch (CorruptionException e)
        {
            damaged.Add(e.Message + " (rebuilt from the heads in the store)");
            var heads = commits.Store.List(StoreLayout.HeadsPrefix).Select(StoreLayout.BranchOfHeadKey).OfType<Keyword>().ToHashSet();
            return (heads, true);
        }
    }

    private static (BranchRecovery Report, CommitInfo? Target) PlanBranch(
        StoredCommitLog commits, FileStore? surviving, Keyword branch, Dictionary<Guid, CommitInfo> stored, HashSet<NodeAddress> verified)
    {
        string? problem = null;
        HeadRecord? head = null;
        Guid? named = null;
        try
        {
            head = commits.ReadHead(branch);
            named = head?.Id;
        }
        catch (CorruptionException e)
        {
            problem = e.Message;
            // A damaged slot: what the other slot of the head still says is where to start looking.
            foreach (var bytes in surviving?.GetSurviving(commits.HeadKey(branch)) ?? [])
            {
                try
                {
                    head = HeadRecord.Read(Envelope.Open(bytes, commits.HeadKey(branch), Envelope.KindHead));
                }
                catch (CorruptionException)
                {
                    continue;
                }
                if (head is not null) break;
            }
        }
        if (head is not { } start)
        {
            return (new BranchRecovery(branch, null, problem ?? "its head is missing", null, [], []), null);
        }
        var dropped = new List<Guid>();
        var next = (start.Id, start.Address, Previous: (start.PreviousId, start.PreviousAddress));
        while (next.Address.IsStored)
        {
            CommitRecord? record = null;
            string? failure;
            try
            {
                record = commits.ReadCommit(next.Address);
                failure = Verify(commits, record, verified);
            }
            catch (CorruptionException e)
            {
                failure = e.Message;
            }
            if (failure is null)
            {
                var report = new BranchRecovery(branch, named, problem, record!.Info.Id, dropped, []);
                return (report, record.Info);
            }
            problem ??= $"commit {next.Id} does not read whole: {failure}";
            dropped.Add(next.Id);
            next = record is { Info: { Parents.Count: > 0 } info }
                ? (info.Parents[0], info.ParentAddresses[0], (Guid.Empty, default))
                : (next.Previous.Item1, next.Previous.Item2, (Guid.Empty, default));
        }
        return (new BranchRecovery(branch, named, problem, null, dropped, []), null);
    }

    /// <summary>
    /// Checks the commit as opening it would — its pack whole — and reads every object it reaches, each
    /// checked by its checksum; null when all are whole, else what failed.
    /// </summary>
    private static string? Verify(StoredCommitLog commits, CommitRecord record, HashSet<NodeAddress> verified)
    {
        try
        {
            commits.RequireWhole(record.Info.Address, "the branch");
            if (verified.Add(record.Schema)) SchemaCodec.Decode(commits.Nodes.ReadObject(record.Schema), Packs.Describe(record.Schema));
            foreach (var (kind, root) in record.Secondary)
            {
                if (verified.Add(root)) kind.Verify(commits.Nodes, root, verified);
            }
            var pending = new Stack<NodeAddress>();
            var values = new HashSet<NodeAddress>();
            foreach (var index in record.Indexes)
            {
                foreach (var chunk in index.Chunks)
                {
                    if (!chunk.IsStored || !verified.Add(chunk)) continue;
                    foreach (var root in commits.Roots.References(chunk, values)) pending.Push(root);
                }
            }
            while (pending.TryPop(out var address))
            {
                if (!verified.Add(address)) continue;
                if (commits.Nodes.ReadForMarking(address, values) is Branch<IndexDatom> branch)
                {
                    for (int i = 0; i < branch.Len; i++) pending.Push(branch.Addresses![i]);
                }
            }
            foreach (var value in values)
            {
                if (verified.Add(value)) _ = commits.Nodes.Resolve(value);
            }
            return null;
        }
        catch (CorruptionException e)
        {
            return e.Message;
        }
    }

    /// <summary>Every commit the given ones descend from.</summary>
    private static HashSet<Guid> Reachable(StoredCommitLog commits, List<CommitInfo> heads) =>
        [.. CommitDag.Walk(commits, heads).Select(c => c.Id)];

    /// <summary>The newest whole commits descending from <paramref name="target"/> that no whole branch reaches.</summary>
    private static IReadOnlyList<Guid> Descendants(CommitInfo target, Dictionary<Guid, CommitInfo> stored, HashSet<Guid> reachable)
    {
        var children = stored.Values.SelectMany(c => c.Parents.Select(p => (Parent: p, Child: c.Id))).ToLookup(e => e.Parent, e => e.Child);
        var found = new HashSet<Guid>();
        var pending = new Stack<Guid>([target.Id]);
        while (pending.TryPop(out var id))
        {
            foreach (var child in children[id])
            {
                if (found.Add(child)) pending.Push(child);
            }
        }
        return [.. found.Where(id => !reachable.Contains(id)).OrderByDescending(id => id, Comparer<Guid>.Create(CommitIds.Compare)).Take(MaxNewerCommits)];
    }
}
