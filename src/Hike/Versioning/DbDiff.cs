using Hike.Db;
using Hike.Index.Datoms;
using Hike.Index.Tree;

namespace Hike.Versioning;

/// <summary>
/// The datoms removed and added between two current database values: what a merge replays and what
/// <c>Database.Diff</c> shows. Index nodes the two share are skipped unread, so the cost grows with the
/// size of the change, not of the databases.
/// </summary>
internal static class DbDiff
{
    /// <summary>
    /// The datoms only <paramref name="from"/> holds and those only <paramref name="to"/> holds, each in
    /// EAVT order, with attribute ids as each side's schema numbers them. Removed datoms carry the
    /// transaction that asserted them. Both must be current views: a history, as-of, since or filtered
    /// view is <c>db/view</c>.
    /// </summary>
    public static (List<IndexDatom> Removed, List<IndexDatom> Added) Run(DbView from, DbView to)
    {
        if (!from.IsCurrent || !to.IsCurrent) throw Errors.NotCurrent("Diff");
        var removed = new List<IndexDatom>();
        var added = new List<IndexDatom>();
        Partitions(from.State.Eavt, to.State.Eavt, removed, added);
        return (removed, added);
    }

    /// <summary>
    /// The datoms the transactions after <paramref name="before"/> up to <paramref name="after"/> (a
    /// later state of the same line of commits) asserted and retracted, by transaction, then in EAVT
    /// order: the tx-data of those transactions, read off the two states' indices (unchanged nodes
    /// skipped unread). With history kept, a retraction comes from the temporal index with its own
    /// transaction; without history, all that is left of it is that the datom is gone, and it is
    /// given the last of those transactions (and a datom one transaction asserted and retracted left
    /// nothing).
    /// </summary>
    public static List<IndexDatom> TxData(DbState before, DbState after)
    {
        var gone = new List<IndexDatom>();
        var found = new List<IndexDatom>();
        Partitions(before.Eavt, after.Eavt, gone, found);
        if (after.Options.KeepHistory) Partitions(before.TemporalEavt, after.TemporalEavt, new List<IndexDatom>(), found);
        var txData = found.Where(d => d.Tx > before.MaxTx).ToList();
        if (!after.Options.KeepHistory) txData.AddRange(gone.Select(d => new IndexDatom(d.E, d.A, d.V, after.MaxTx, false)));
        // Stable: within a transaction, the EAVT order each list came in.
        return [.. txData.OrderBy(d => d.Tx)];
    }

    private static void Partitions(EavtSet from, EavtSet to, List<IndexDatom> removed, List<IndexDatom> added)
    {
        for (int p = 0; p < Math.Max(from.Limit, to.Limit); p++) TreeDiff<IndexDatom, EavtOrder>.Run(from.Partition(p), to.Partition(p), removed, added);
    }
}
