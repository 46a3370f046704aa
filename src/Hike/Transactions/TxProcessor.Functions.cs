using System.Collections;
using Hike.Db;
using Hike.Edn;

namespace Hike.Transactions;

internal sealed partial class TxProcessor
{
    /// <summary><c>[:db/cas e a old new]</c>: asserts <c>new</c> only if the current value is <c>old</c> (nil: no value).</summary>
    private void OpCas(object?[] items, object op)
    {
        Arity(items, 5, 5, op);
        long eid = ResolveExisting(items[1], op) ?? throw Errors.EntityIdMissing(items[1]);
        var attribute = GetAttribute(AttributeKey(items[2], op), op);
        object? expected = items[3];
        object? next = items[4];
        if (next is null) throw Errors.TxSyntax($"Cannot store nil as a value at {Errors.Show(op)}");
        if (attribute.IsRef && expected is not null) expected = ResolveExisting(expected, op) ?? (object)expected;
        object? expectedValue = null;
        if (expected is not null && !TryCoerce(attribute, expected, out expectedValue!)) expectedValue = expected;
        var current = _ix.Values(eid, attribute.Id);
        bool ok = expectedValue is null
            ? current.Count == 0
            : current.Exists(d => ValueOrder.CompareValues(d.V, expectedValue) == 0);
        if (!ok)
        {
            object? found = current.Count switch
            {
                0 => null,
                1 => current[0].V,
                _ => EdnSet.Create(current.Select(d => d.V)),
            };
            throw Errors.Cas($":db.fn/cas failed on datom [{eid} {attribute.Ident} {Errors.Show(found)}], expected {Errors.Show(expected)}");
        }
        if (attribute.IsRef) next = ResolveRefValue(next, attribute, eid, op);
        Add(eid, attribute, next, op);
    }

    /// <summary><c>[:db.fn/call f args...]</c> with a function value.</summary>
    private void OpCall(object?[] items, object op)
    {
        if (items.Length < 2 || items[1] is null) throw Errors.TxSyntax($"Expected a function at {Errors.Show(op)}");
        CallFunction(items[1]!, items.AsSpan(2).ToArray(), op);
    }

    /// <summary>Calls a transaction function on a snapshot of the transaction so far and transacts what it returns.</summary>
    private void CallFunction(object function, object?[] args, object op)
    {
        if (_callbacks is null) throw Errors.TxFunction($"No transaction functions are available for {Errors.Show(op)}");
        var snapshot = _ix.Checkpoint(_before with { Schema = CurrentSchema, MaxEid = _maxEid });
        object? result;
        try
        {
            result = _callbacks.InvokeFunction(function, DbView.Of(snapshot), args);
        }
        catch (HikeException)
        {
            throw;
        }
        catch (Exception e) when (e is not (TempidRetry or OutOfMemoryException))
        {
            throw Errors.TxFunction($"Transaction function {Errors.Show(op)} failed: {e.Message}", e);
        }
        if (result is null) return;
        if (result is not IEnumerable || result is string || Maps.IsMap(result))
        {
            throw Errors.TxFunction($"Transaction function {Errors.Show(op)} returned {Errors.Show(result)}, expected a sequence of tx-data");
        }
        ProcessAll(result);
    }

    /// <summary>
    /// Adds the transaction entity's datoms: <c>:db/txInstant</c> (now, or the caller's, which must be
    /// later than the previous transaction's; without history only the caller's) and the caller's
    /// metadata. Returns the instant.
    /// </summary>
    private DateTime ApplyTxMeta(object? txMeta)
    {
        var txInstantAttr = CurrentSchema[SystemAttributes.TxInstant];
        List<KeyValuePair<object?, object?>>? meta = null;
        if (txMeta is not null)
        {
            meta = Maps.ToEntries(txMeta) ?? throw Errors.TxSyntax($"Bad transaction metadata {Errors.Show(txMeta)}, expected a map");
        }
        object? userInstant = null;
        if (meta is not null)
        {
            foreach (var entry in meta)
            {
                if (ReferenceEquals(AttributeKey(entry.Key, txMeta!), Idents.TxInstant)) userInstant = entry.Value;
            }
        }
        if (userInstant is not null) Add(_tx, txInstantAttr, userInstant, txMeta!);
        DateTime instant;
        if (_ix.TryFirst(_tx, SystemAttributes.TxInstant, out var set))
        {
            instant = (DateTime)set.V;
            if (instant <= _before.LastTxInstant)
            {
                throw Errors.TxInstant($"Time-conflict: :db/txInstant {Errors.Show(instant)} is not after the previous transaction's {Errors.Show(_before.LastTxInstant)}");
            }
        }
        else
        {
            var now = new DateTime(_now.Ticks - _now.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
            instant = now > _before.LastTxInstant ? now : _before.LastTxInstant.AddMilliseconds(1);
            // As Datahike, a database without history records no transaction instants of its own.
            if (Options.KeepHistory) Add(_tx, txInstantAttr, instant, Idents.TxInstant);
        }
        if (meta is not null)
        {
            var entity = new List<KeyValuePair<object?, object?>>(meta.Count + 1) { new(Idents.DbId, _tx) };
            foreach (var entry in meta)
            {
                if (!ReferenceEquals(AttributeKey(entry.Key, txMeta!), Idents.TxInstant)) entity.Add(entry);
            }
            if (entity.Count > 1) ProcessEntityMap(entity, txMeta!);
        }
        return instant;
    }

    /// <summary>Checks every <c>:db/ensure</c> entity spec named in the transaction against the result.</summary>
    private void CheckEnsures(DbState after)
    {
        if (_ensures is null) return;
        var view = DbView.Of(after);
        foreach (var (eid, spec) in _ensures)
        {
            long specEid = spec is not null ? view.Entid(spec) ?? throw Errors.Ensure($"Entity spec {Errors.Show(spec)} not found") : throw Errors.Ensure("Entity spec is nil");
            var missing = new List<object?>();
            foreach (var d in view.EntityAttrDatoms(specEid, SystemAttributes.EntityAttrs))
            {
                if (d.V is Keyword attr && (!after.Schema.TryGet(attr, out var a) || view.FirstValue(eid, a.Id) is null)) missing.Add(attr);
            }
            if (missing.Count > 0)
            {
                throw Errors.Ensure($"Entity {eid} missing attributes {Errors.Show(EdnSet.Create(missing))} of spec {Errors.Show(spec)}");
            }
            var failed = new List<object?>();
            foreach (var d in view.EntityAttrDatoms(specEid, SystemAttributes.EntityPreds))
            {
                if (d.V is Symbol pred && (_callbacks is null || !_callbacks.CheckEntityPredicate(pred, view, eid))) failed.Add(pred);
            }
            if (failed.Count > 0)
            {
                throw Errors.Ensure($"Entity {eid} failed predicates {Errors.Show(EdnVector.From(failed))} of spec {Errors.Show(spec)}");
            }
        }
    }
}
