using Hike.Edn;

namespace Hike.Api;

/// <summary>
/// What <see cref="Connection.LoadEntitiesAsync"/> loaded: how many transactions it committed, how
/// many datoms it read, and the id each source entity and transaction got here. Immutable.
/// </summary>
public sealed class LoadReport
{
    internal LoadReport(int transactions, long datoms, IReadOnlyDictionary<long, long> entityIds)
    {
        Transactions = transactions;
        Datoms = datoms;
        EntityIds = entityIds;
    }

    /// <summary>The transactions committed: one per source transaction.</summary>
    public int Transactions { get; }

    /// <summary>
    /// The source transactions not loaded again because an interrupted load of the same stream had
    /// committed them already (the load continued after them).
    /// </summary>
    public int Skipped { get; init; }

    /// <summary>The datoms read from the input (derived composite-tuple datoms included, though the database recomputes those).</summary>
    public long Datoms { get; }

    /// <summary>Source entity id (and source transaction id) to the id it has in this database.</summary>
    public IReadOnlyDictionary<long, long> EntityIds { get; }

    /// <summary>As <c>hike load-entities</c> prints it: <c>{:transactions n :datoms n}</c>, with <c>:skipped n</c> when a resumed load skipped some.</summary>
    public EdnMap ToEdn() => Skipped == 0
        ? EdnMap.Of(Keyword.Intern("transactions"), (long)Transactions, Keyword.Intern("datoms"), Datoms)
        : EdnMap.Of(Keyword.Intern("transactions"), (long)Transactions, Keyword.Intern("datoms"), Datoms, Keyword.Intern("skipped"), (long)Skipped);
}
