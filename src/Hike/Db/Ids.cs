namespace Hike.Db;

/// <summary>Datahike's id space: user entities above <see cref="E0"/>, transactions above <see cref="Tx0"/>.</summary>
internal static class Ids
{
    /// <summary>The entity id before the first user entity (which is 1).</summary>
    public const long E0 = 0;

    /// <summary>The transaction id before the first transaction (which is 536870913).</summary>
    public const long Tx0 = Index.Datoms.EavtOrder.TransactionEntities;

    /// <summary>Upper bound of entity ids in range scans.</summary>
    public const long EMax = long.MaxValue;

    /// <summary>Upper bound of transaction ids in range scans.</summary>
    public const long TxMax = long.MaxValue;
}
