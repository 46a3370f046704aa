using Hike.Index.Datoms;
using Hike.Index.Tree;


namespace Hike.Api;

public sealed partial class Database
{
    /// <summary>
    /// The datoms removed and added between <paramref name="from"/> and <paramref name="to"/> (current
    /// values, such as a database before and after some transactions, or two branches). Index nodes
    /// the two share are skipped unread, so the cost grows with the size of the change, not of the
    /// databases. Removed datoms carry the transaction that asserted them.
    /// </summary>
    public static DatabaseDiff Diff(Database from, Database to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (!from.View.IsCurrent || !to.View.IsCurrent) throw Errors.NotCurrent("Diff");
        var removed = new List<IndexDatom>();
        var added = new List<IndexDatom>();
        var a = from.State.Eavt;
        var b = to.State.Eavt;
        for (int p = 0; p < Math.Max(a.Limit, b.Limit); p++) TreeDiff<IndexDatom, EavtOrder>.Run(a.Partition(p), b.Partition(p), removed, added);
        return new DatabaseDiff(
            removed.ConvertAll(d => ToDatom(from.State.Schema, d)),
            added.ConvertAll(d => ToDatom(to.State.Schema, d)));
    }
}
