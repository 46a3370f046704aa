using Hike.Transactions;

namespace Hike.Api;

public sealed partial class Database
{
    /// <summary>
    /// A database with <paramref name="datoms"/> (assertions) added straight to the indices, without
    /// transaction processing: no tempids, upserts, transaction entity or history — DataScript's
    /// <c>init-db</c>, for bulk imports. Values are checked against the schema; a second value of a
    /// cardinality-one attribute or a taken unique value is an error. O(n log n).
    /// </summary>
    public Database WithDatoms(IEnumerable<Datom> datoms)
    {
        ArgumentNullException.ThrowIfNull(datoms);
        if (!View.IsCurrent) throw Errors.NotCurrent("WithDatoms");
        var state = BulkLoader.Load(State, datoms.Select(static d => d.Added
            ? (d.E, d.A, d.V, d.Tx)
            : throw Errors.TxSyntax($"Only assertions can be bulk-loaded, got {d}")));
        return new Database(Db.DbView.Of(state), Functions, QueryLimits);
    }
}
