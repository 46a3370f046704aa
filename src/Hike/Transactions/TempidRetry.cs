namespace Hike.Transactions;

/// <summary>
/// Raised inside a transaction when a tempid that was already given a new entity id turns out to
/// upsert to an existing entity. The transaction restarts with every tempid bound as far as it got
/// (<see cref="Tempids"/>) and this one bound to the upserted entity, as DataScript retries.
/// </summary>
internal sealed class TempidRetry(object tempid, long eid, Dictionary<object, long> tempids, HashSet<object> upserted) : Exception
{
    public object Tempid { get; } = tempid;

    public long Eid { get; } = eid;

    public Dictionary<object, long> Tempids { get; } = tempids;

    public HashSet<object> Upserted { get; } = upserted;
}
