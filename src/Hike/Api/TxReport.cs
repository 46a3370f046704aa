namespace Hike.Api;

/// <summary>
/// The outcome of a transaction: the database before and after, the datoms it asserted and
/// retracted (including the implicit retractions of replaced cardinality-one values), the entity ids
/// its tempids resolved to (with <c>:db/current-tx</c> mapped to the transaction id), and the
/// metadata it was given. Immutable.
/// </summary>
public sealed class TxReport
{
    internal TxReport(Database dbBefore, Database dbAfter, IReadOnlyList<Datom> txData, IReadOnlyDictionary<object, long> tempIds, object? txMeta)
    {
        DbBefore = dbBefore;
        DbAfter = dbAfter;
        TxData = txData;
        TempIds = tempIds;
        TxMeta = txMeta;
    }

    /// <summary>The database the transaction was applied to.</summary>
    public Database DbBefore { get; }

    /// <summary>The database the transaction produced.</summary>
    public Database DbAfter { get; }

    /// <summary>The datoms asserted and retracted, in the order the transaction produced them.</summary>
    public IReadOnlyList<Datom> TxData { get; }

    /// <summary>Tempid (string, negative number, or <c>:db/current-tx</c>) to entity id.</summary>
    public IReadOnlyDictionary<object, long> TempIds { get; }

    /// <summary>The transaction metadata given with the transaction, if any.</summary>
    public object? TxMeta { get; }

    /// <summary>The transaction's id.</summary>
    public long Tx => DbAfter.MaxTx;
}
