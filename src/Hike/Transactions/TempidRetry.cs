namespace Hike.Transactions;

/// <summary>
/// Raised inside a transaction when a tempid that was already given a new entity id turns out to
/// upsert to an existing entity; the transaction restarts with that tempid bound from the start.
/// </summary>
internal sealed class TempidRetry(object tempid, long eid) : Exception
{
    public object Tempid { get; } = tempid;

    public long Eid { get; } = eid;
}
