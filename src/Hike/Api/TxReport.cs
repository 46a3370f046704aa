using System.Text;
using Hike.Edn;
using Hike.Writing;

namespace Hike.Api;

/// <summary>
/// The outcome of a transaction: the database before and after, the datoms it asserted and
/// retracted (including the implicit retractions of replaced cardinality-one values), the entity ids
/// its tempids resolved to (with <c>:db/current-tx</c> mapped to the transaction id), and the
/// metadata it was given. Immutable.
/// </summary>
public sealed class TxReport : IEdnPrintable
{
    private readonly Func<IReadOnlyList<Datom>> _txData;
    private IReadOnlyList<Datom>? _converted;

    internal TxReport(Database dbBefore, Database dbAfter, Func<IReadOnlyList<Datom>> txData, IReadOnlyDictionary<object, long> tempIds, object? txMeta, WriteOutcome? outcome = null)
    {
        Outcome = outcome;
        DbBefore = dbBefore;
        DbAfter = dbAfter;
        _txData = txData;
        TempIds = tempIds;
        TxMeta = txMeta;
    }

    /// <summary>The database the transaction was applied to.</summary>
    public Database DbBefore { get; }

    /// <summary>The database the transaction produced.</summary>
    public Database DbAfter { get; }

    /// <summary>The datoms asserted and retracted, in the order the transaction produced them (converted on first use).</summary>
    public IReadOnlyList<Datom> TxData => _converted ??= _txData();

    /// <summary>Tempid (string, negative number, or <c>:db/current-tx</c>) to entity id.</summary>
    public IReadOnlyDictionary<object, long> TempIds { get; }

    /// <summary>The transaction metadata given with the transaction, if any.</summary>
    public object? TxMeta { get; }

    /// <summary>What the writer committed, when the report is of a commit (not of <see cref="Database.With"/>).</summary>
    internal WriteOutcome? Outcome { get; }

    /// <summary>The transaction's id (also of one a server committed together with others, whose <see cref="DbAfter"/> is their commit's).</summary>
    public long Tx => Outcome?.Result.TxData is [var first, ..] ? first.Tx : DbAfter.MaxTx;

    /// <summary>
    /// The report as its map, as Datahike prints it: <c>{:db-before #datahike/DB {…}, :db-after #datahike/DB {…},
    /// :tx-data [#datahike/Datom [1 :name "Ivan" 536870913 true] …], :tempids {…}, :tx-meta nil}</c>.
    /// </summary>
    public override string ToString() => EdnPrinter.Print(this);

    /// <summary>The map the report prints as (see <see cref="ToString"/>), its databases as <see cref="Database"/> values.</summary>
    public EdnMap ToEdn() => DbPrinting.Form(this);

    /// <inheritdoc />
    void IEdnPrintable.PrintEdn(StringBuilder sb) => EdnPrinter.Print(sb, DbPrinting.Form(this));
}
