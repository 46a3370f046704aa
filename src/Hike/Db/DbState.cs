using Hike.Edn;
using Hike.Index.Datoms;

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

    /// <summary>The secondary indices (<see cref="SecondaryIndexes.Kinds"/>), kept from the datoms by each transaction.</summary>
    public SecondaryIndexes Secondary { get; init; } = SecondaryIndexes.Empty;

    /// <summary>The full-text index of the attributes marked <c>:db/fulltext</c> (one of <see cref="Secondary"/>).</summary>
    public FullTextIndex FullText => (FullTextIndex)Secondary.Of(FullTextKind.Instance);

    public required DbOptions Options { get; init; }

    /// <summary>The commit that stored this state, or null when it was never committed on its own.</summary>
    public CommitInfo? Commit { get; init; }

    /// <summary>
    /// The database this state was read from or derived from (the process's handle on it, compared by
    /// identity only), or null for a state of no database: an empty value, or one built in a test.
    /// </summary>
    public object? Origin { get; init; }

    /// <summary>The highest entity id in use (user entities start at 1).</summary>
    public long MaxEid { get; init; }

    /// <summary>The id of the last transaction, <see cref="Ids.Tx0"/> when none.</summary>
    public long MaxTx { get; init; } = Ids.Tx0;

    /// <summary>The <c>:db/txInstant</c> of the last transaction, or <see cref="DateTime.MinValue"/>.</summary>
    public DateTime LastTxInstant { get; init; } = DateTime.MinValue;

    /// <summary>
    /// The last transaction whose <c>:db/txInstant</c> is before <paramref name="instant"/> (or at
    /// it, when <paramref name="inclusive"/>); <see cref="Ids.Tx0"/> when there is none. Instants
    /// increase with transaction ids, so this is a binary search over the AEVT run of
    /// <c>:db/txInstant</c>, which is ordered by transaction: O(log² n), no index needed.
    /// </summary>
    public long LastTxAt(DateTime instant, bool inclusive)
    {
        var first = new IndexDatom(0, SystemAttributes.TxInstant, ValueOrder.Min, 0, false);
        long lo = Aevt.Rank(first);
        long hi = Aevt.Rank(new IndexDatom(Ids.EMax, SystemAttributes.TxInstant, ValueOrder.Max, Ids.TxMax, true)) - 1;
        long found = Ids.Tx0;
        while (lo <= hi)
        {
            long mid = lo + (hi - lo) / 2;
            var d = Aevt.ElementAt(mid);
            var at = (DateTime)d.V;
            if (at < instant || (inclusive && at == instant))
            {
                found = d.E;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return found;
    }

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
