using Hike.Index;

namespace Hike.Db;

/// <summary>
/// One immutable database value: the three current indices, the three temporal indices (superseded
/// assertions and their retractions, kept when history is on), the schema and the id counters.
/// Every transaction produces a new state sharing all untouched index nodes with the old one.
/// </summary>
internal sealed record DbState
{
    public required EavtSet Eavt { get; init; }

    public required AevtSet Aevt { get; init; }

    public required AvetSet Avet { get; init; }

    public required EavtSet TemporalEavt { get; init; }

    public required AevtSet TemporalAevt { get; init; }

    public required AvetSet TemporalAvet { get; init; }

    public required Schema Schema { get; init; }

    public required DbOptions Options { get; init; }

    /// <summary>The highest entity id in use (user entities start at 1).</summary>
    public long MaxEid { get; init; }

    /// <summary>The id of the last transaction, <see cref="Ids.Tx0"/> when none.</summary>
    public long MaxTx { get; init; } = Ids.Tx0;

    /// <summary>The <c>:db/txInstant</c> of the last transaction, or <see cref="DateTime.MinValue"/>.</summary>
    public DateTime LastTxInstant { get; init; } = DateTime.MinValue;

    public static DbState Empty(DbOptions options) => new()
    {
        Eavt = EavtSet.Empty,
        Aevt = AevtSet.Empty,
        Avet = AvetSet.Empty,
        TemporalEavt = EavtSet.Empty,
        TemporalAevt = AevtSet.Empty,
        TemporalAvet = AvetSet.Empty,
        Schema = Schema.Empty,
        Options = options,
    };
}
