using System.Collections;
using Hike.Db;
using Hike.Edn;

namespace Hike.Transactions;

internal sealed partial class TxProcessor
{
    /// <summary>True for a tempid: a negative number or a string (other than the current-tx markers).</summary>
    private static bool IsTempid(object? e) =>
        e switch
        {
            string s => !IsCurrentTxMarker(s),
            long l => l < 0,
            _ => e is not null && Numbers.IsIntegral(e) && Numbers.FitsLong(e) && Numbers.ToLongUnchecked(e) < 0,
        };

    private static bool IsCurrentTxMarker(object? e) =>
        e is string s ? s is "datomic.tx" or "datahike.tx" or ":db/current-tx" : ReferenceEquals(e, Idents.CurrentTx);

    /// <summary>The key a tempid is remembered under (negative numbers of any integral type become long).</summary>
    private static object TempidKey(object e) => e is string ? e : Numbers.ToLongUnchecked(e);

    /// <summary>The entity id a tempid stands for, allocating a new entity the first time it is seen.</summary>
    private long ResolveTempid(object e)
    {
        var key = TempidKey(e);
        if (_tempids.TryGetValue(key, out long eid)) return eid;
        if (_retry is not null && _retry.Tempids.TryGetValue(key, out eid))
        {
            if (_retry.Upserted.Contains(key)) (_upserted ??= new(ValueEquality.Instance)).Add(key);
            AdvanceMaxEid(eid);
        }
        else
        {
            eid = AllocateEid();
        }
        _tempids[key] = eid;
        return eid;
    }

    private long AllocateEid() => ++_maxEid;

    /// <summary>
    /// Binds a tempid that was found to upsert to <paramref name="eid"/>. A tempid already given a
    /// fresh id restarts the transaction with the binding; one already upserted elsewhere conflicts.
    /// </summary>
    private long BindUpsert(object e, long eid, Keyword attr, object value)
    {
        var key = TempidKey(e);
        if (!_tempids.ContainsKey(key) && _retry is not null && _retry.Tempids.ContainsKey(key)) ResolveTempid(e);
        if (_tempids.TryGetValue(key, out long existing))
        {
            if (existing == eid) return eid;
            if (_upserted is null || !_upserted.Contains(key)) throw new TempidRetry(key, eid, new Dictionary<object, long>(_tempids, ValueEquality.Instance), _upserted is null ? new HashSet<object>(ValueEquality.Instance) : new HashSet<object>(_upserted, ValueEquality.Instance));
            throw Errors.Upsert($"Conflicting upsert: {Errors.Show(key)} resolves both to {existing} and {eid} (through [{attr} {Errors.Show(value)}])");
        }
        _tempids[key] = eid;
        (_upserted ??= new(ValueEquality.Instance)).Add(key);
        return eid;
    }

    /// <summary>
    /// Resolves an entity position of an operation: an id, tempid, lookup ref, ident or the current
    /// transaction. Lookup refs and idents see the transaction's own earlier changes.
    /// </summary>
    private long ResolveEntity(object? e, object op)
    {
        switch (e)
        {
            case long l when l >= 0:
                return l;
            case Keyword k:
                if (ReferenceEquals(k, Idents.CurrentTx)) return _tx;
                return CurrentSchema.TryGetEid(k, out long ie) ? ie : throw Errors.EntityIdMissing(k);
            case null:
                throw Errors.TxSyntax($"Entity id is nil at {Errors.Show(op)}");
        }
        if (IsCurrentTxMarker(e)) return _tx;
        if (IsTempid(e)) return ResolveTempid(e);
        if (Numbers.IsIntegral(e) && Numbers.FitsLong(e)) return Numbers.ToLongUnchecked(e);
        if (ValueEquality.IsSequential(e)) return ResolveLookupRef(e) ?? throw Errors.EntityIdMissing(e);
        throw Errors.EntityIdSyntax(e);
    }

    /// <summary>As <see cref="ResolveEntity"/> for positions that must name an existing entity (no tempids).</summary>
    private long? ResolveExisting(object? e, object op)
    {
        if (e is string s && !IsCurrentTxMarker(s)) return _tempids.TryGetValue(s, out long t) ? t : null;
        if (IsTempid(e)) return _tempids.TryGetValue(TempidKey(e!), out long t2) ? t2 : null;
        if (e is Keyword k && !ReferenceEquals(k, Idents.CurrentTx)) return CurrentSchema.TryGetEid(k, out long ie) ? ie : null;
        if (e is not null && ValueEquality.IsSequential(e)) return ResolveLookupRef(e);
        return ResolveEntity(e, op);
    }

    /// <summary>
    /// Resolves a lookup ref <c>[attr value]</c> against the in-transaction state, and with
    /// <paramref name="alsoRetracted"/> against its history too; null when nothing matches.
    /// </summary>
    private long? ResolveLookupRef(object lookupRef, bool alsoRetracted = false)
    {
        var items = ((IEnumerable)lookupRef).Cast<object?>().ToArray();
        if (items.Length != 2 || items[0] is not Keyword attrIdent) throw Errors.LookupRefSyntax(lookupRef);
        if (!CurrentSchema.TryGet(attrIdent, out var attribute) || attribute.Unique == Unique.None) throw Errors.LookupRefUnique(lookupRef);
        if (items[1] is null) return null;
        object? value = items[1];
        if (attribute.IsRef)
        {
            var target = ResolveExisting(value, lookupRef);
            if (target is null) return null;
            value = target.Value;
        }
        if (!TryCoerce(attribute, value, out var coerced)) return null;
        if (_ix.TryFindOwner(attribute.Id, coerced, -1, out var owner)) return owner.E;
        return alsoRetracted && _ix.TryFindRetractedOwner(attribute.Id, coerced, out long retracted) ? retracted : null;
    }

    /// <summary>The entity currently holding unique (<paramref name="attribute"/>, <paramref name="value"/>), if any.</summary>
    private long? FindByUnique(DbAttribute attribute, object value) =>
        _ix.TryFindOwner(attribute.Id, value, -1, out var owner) ? owner.E : null;

    /// <summary>
    /// Resolves the value of a ref attribute: an id, tempid, lookup ref, ident keyword, the current
    /// transaction, or a nested entity map (transacted first, its id returned).
    /// </summary>
    private long ResolveRefValue(object? value, DbAttribute attribute, long parent, object op)
    {
        if (Maps.ToEntries(value) is { } nested)
        {
            return ProcessNestedMap(nested, value!, attribute, parent);
        }
        if (value is Keyword k && !ReferenceEquals(k, Idents.CurrentTx))
        {
            return CurrentSchema.TryGetEid(k, out long ie) ? ie : throw Errors.EntityIdMissing(k);
        }
        return ResolveEntity(value, op);
    }

    private void AdvanceMaxEid(long e)
    {
        if (e > _maxEid && e < Ids.Tx0) _maxEid = e;
    }
}
