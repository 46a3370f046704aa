using Hike.Versioning;

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
        var (removed, added) = DbDiff.Run(from.View, to.View);
        return new DatabaseDiff(
            removed.ConvertAll(d => ToDatom(from.State.Schema, d)),
            added.ConvertAll(d => ToDatom(to.State.Schema, d)));
    }
}
