using Hike.Edn;

namespace Hike.Bench;

/// <summary>What the datoms-table sides (<see cref="SqliteTarget"/>, <see cref="PostgresTarget"/>) share with Hike's ids and schema.</summary>
internal static class DatomsTables
{
    /// <summary>The first transaction id, as Hike's: entity ids below it are user entities.</summary>
    public const long Tx0 = 536870912;

    /// <summary>The transaction's instant, recorded when history is kept.</summary>
    public static readonly Keyword TxInstant = Workload.K("db/txInstant");

    /// <summary>The attribute of the point query, indexed (in AVET) on every side.</summary>
    public static readonly Keyword NameAttr = Workload.K("name");
}
