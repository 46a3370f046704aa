using Hike.Index.Stored;
using Hike.Storage;

namespace Hike.Versioning;

/// <summary>Fills a tiered store's front when a database opens, as its configuration chooses.</summary>
internal static class TieredWarmUp
{
    /// <summary>
    /// Copies into <paramref name="tiered"/>'s front every segment its back holds (<paramref name="newestCommits"/>
    /// null), or the segments holding the newest <paramref name="newestCommits"/> commits of each branch
    /// (in a store with a pack per object, those commits' packs); returns how many it copied.
    /// </summary>
    public static int Run(TieredStore tiered, int? newestCommits, CancellationToken cancellationToken)
    {
        if (newestCommits is not { } newest) return tiered.WarmUp(tiered.Back.List(Packs.Prefix).Where(k => Packs.TryParseKey(k, out _)), cancellationToken);
        // The log reads through the tiered store without owning it: it holds no resource of its own.
        var log = new StoredCommitLog(new ReportingStore(tiered), cacheBytes: 1 << 20);
        var segments = new HashSet<string>(StringComparer.Ordinal);
        foreach (var branch in log.ReadBranches())
        {
            if (log.ReadResolvedHead(branch) is not { } head || log.FindCommit(head.Id) is not { } commit) continue;
            foreach (var c in CommitDag.Walk(log, [commit]).Take(newest)) segments.Add(Packs.Key(Packs.Locate(c.Address).Pack));
        }
        return tiered.WarmUp(segments, cancellationToken);
    }
}
