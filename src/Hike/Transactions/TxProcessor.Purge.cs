using Hike.Db;
using Hike.Edn;
using Hike.Index.Datoms;

namespace Hike.Transactions;

internal sealed partial class TxProcessor
{
    /// <summary><c>[:db/purge e a v]</c>: removes the fact and all its history, leaving no trace.</summary>
    private void OpPurge(object?[] items, object op)
    {
        Arity(items, 4, 4, op);
        StartPurge(op);
        long eid = ResolvePurged(items[1], op);
        if (!CurrentSchema.TryGet(AttributeKey(items[2], op), out var attribute)) return;
        object? value = items[3];
        if (attribute.IsRef && value is not null) value = ResolveExisting(value, op) ?? throw Errors.EntityIdMissing(value);
        if (value is null || !TryCoerce(attribute, value, out var v)) return;
        if (_ix.TryFindFact(eid, attribute.Id, v, out var current)) PurgeCurrent(current, attribute);
        foreach (var d in _ix.TemporalFact(eid, attribute.Id, v)) _ix.DeleteTemporal(d, attribute.InAvet);
    }

    /// <summary><c>[:db.purge/attribute e a]</c>: every value of the attribute on the entity, with history.</summary>
    private void OpPurgeAttribute(object?[] items, object op)
    {
        Arity(items, 3, 3, op);
        StartPurge(op);
        long eid = ResolvePurged(items[1], op);
        if (!CurrentSchema.TryGet(AttributeKey(items[2], op), out var attribute)) return;
        foreach (var d in _ix.Values(eid, attribute.Id)) PurgeCurrent(d, attribute);
        foreach (var d in _ix.TemporalEntity(eid, attribute.Id)) _ix.DeleteTemporal(d, attribute.InAvet);
    }

    /// <summary><c>[:db.purge/entity e]</c>: every datom of the entity, with history.</summary>
    private void OpPurgeEntity(object?[] items, object op)
    {
        Arity(items, 2, 2, op);
        StartPurge(op);
        long eid = ResolvePurged(items[1], op);
        foreach (var d in _ix.EntityDatoms(eid)) PurgeCurrent(d, AttributeOf(d));
        foreach (var d in _ix.TemporalEntity(eid, null)) _ix.DeleteTemporal(d, AttributeOf(d).InAvet);
    }

    /// <summary>
    /// <c>[:db.history.purge/before instant]</c>: forgets every superseded fact whose retraction is
    /// older than <c>instant</c>. Assertions and retractions go in pairs, so the as-of views of later
    /// times are unchanged.
    /// </summary>
    private void OpPurgeHistoryBefore(object?[] items, object op)
    {
        Arity(items, 2, 2, op);
        StartPurge(op);
        if (items[1] is not (DateTime or DateTimeOffset)) throw Errors.TxSyntax($"Expected an instant at {Errors.Show(op)}");
        var before = Instants.ToUtc(items[1]!);
        long cutoff = _before.LastTxAt(before, inclusive: false);
        if (cutoff <= Ids.Tx0) return;
        var all = _ix.AllTemporal();
        int i = 0;
        while (i < all.Count)
        {
            int j = i;
            while (j < all.Count && all[j].SameFact(all[i])) j++;
            PurgeFactHistory(all, i, j, cutoff);
            i = j;
        }
    }

    /// <summary>Within one fact's temporal datoms [from, to), removes each assertion/retraction pair retracted at or before <paramref name="cutoff"/>.</summary>
    private void PurgeFactHistory(List<IndexDatom> all, int from, int to, long cutoff)
    {
        var ordered = all.GetRange(from, to - from);
        // An assertion precedes its retraction even when both are in one transaction.
        ordered.Sort((x, y) => x.Tx != y.Tx ? x.Tx.CompareTo(y.Tx) : y.Added.CompareTo(x.Added));
        var inAvet = CurrentSchema.TryGet(ordered[0].A, out var attribute) && attribute.InAvet;
        var open = new Stack<IndexDatom>();
        foreach (var d in ordered)
        {
            if (d.Added)
            {
                open.Push(d);
            }
            else if (open.Count > 0)
            {
                var assertion = open.Pop();
                if (d.Tx <= cutoff)
                {
                    _ix.DeleteTemporal(assertion, inAvet);
                    _ix.DeleteTemporal(d, inAvet);
                }
            }
        }
    }


    /// <summary>
    /// The entity a purge names. As Datahike, which resolves it in the history database, a lookup ref
    /// also finds an entity whose fact it names was retracted; naming nothing is an error.
    /// </summary>
    private long ResolvePurged(object? e, object op)
    {
        if (ResolveExisting(e, op) is { } eid) return eid;
        if (e is not null && ValueEquality.IsSequential(e) && ResolveLookupRef(e, alsoRetracted: true) is { } retracted) return retracted;
        throw Errors.Purge($"Can't find entity with ID {Errors.Show(e)} to be purged: {Errors.Show(op)}");
    }

    private void PurgeCurrent(in IndexDatom d, DbAttribute attribute)
    {
        _ix.Delete(d, attribute.InAvet);
        AfterChange(d.E, attribute);
    }

    /// <summary>Checks that a purge may run, and notes that this transaction purges (the full-text index is swept at its end).</summary>
    private void StartPurge(object op)
    {
        if (!Options.KeepHistory) throw Errors.Purge($"Purge is only available in temporal databases: {Errors.Show(op)}");
        _purges = true;
    }
}
