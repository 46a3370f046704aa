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
        var a = from.State.Eavt;
        var b = to.State.Eavt;
        for (int p = 0; p < Math.Max(a.Limit, b.Limit); p++) TreeDiff<IndexDatom, EavtOrder>.Run(a.Partition(p), b.Partition(p), removed, added);
        return (removed, added);
    }
}
