using Hike.Db;
using Hike.Edn;
using Hike.Index.Codec;
using Hike.Index.Datoms;

namespace Hike.Transactions;

internal sealed partial class TxProcessor
{
    /// <summary><c>[:db/add e a v]</c></summary>
    private void OpAdd(object?[] items, object op)
    {
        Arity(items, 4, 4, op);
        var key = AttributeKey(items[2], op);
        if (IsReverse(key))
        {
            var forward = GetAttribute(Forward(key), op);
            if (!forward.IsRef) throw Errors.TxSyntax($"Bad attribute {key}: reverse attribute name requires {{:db/valueType :db.type/ref}} in schema");
            long target = ResolveEntity(items[1], op);
            Add(ResolveRefValue(items[3], forward, target, op), forward, target, op);
            return;
        }
        var attribute = GetAttribute(key, op);
        object? value = items[3];
        if (value is null) throw Errors.TxSyntax($"Cannot store nil as a value at {Errors.Show(op)}");
        long eid;
        if (IsTempid(items[1]) && attribute.IsUniqueIdentity && UpsertTarget(attribute, value, op) is { } found)
        {
            eid = BindUpsert(items[1]!, found.Eid, attribute.Ident, found.Value);
        }
        else
        {
            eid = ResolveEntity(items[1], op);
        }
        if (attribute.IsRef) value = ResolveRefValue(value, attribute, eid, op);
        Add(eid, attribute, value, op);
    }

    private (long Eid, object Value)? UpsertTarget(DbAttribute attribute, object value, object op)
    {
        object? v = attribute.IsRef ? ResolveExisting(value, op) : value;
        if (v is null || !TryCoerce(attribute, v, out var coerced)) return null;
        return FindByUnique(attribute, coerced) is { } e ? (e, coerced) : null;
    }

    /// <summary>
    /// <c>[:db/retract e a]</c> and <c>[:db/retract e a v]</c>. As Datahike, an entity that resolves to
    /// nothing (a lookup ref or ident matching nothing) has nothing to retract, but a ref value that
    /// resolves to nothing is an error (Datahike's entid-strict).
    /// </summary>
    private void OpRetract(object?[] items, object op)
    {
        Arity(items, 3, 4, op);
        if (ResolveExisting(items[1], op) is not { } eid) return;
        var key = AttributeKey(items[2], op);
        if (!CurrentSchema.TryGet(key, out var attribute))
        {
            if (Options.SchemaFlexibility == SchemaFlexibility.Read) return;
            throw Errors.UnknownAttribute(key, Errors.Show(op));
        }
        if (attribute.IsComposite) throw Errors.TupleWrite(op);
        if (items.Length == 3)
        {
            foreach (var d in _ix.Values(eid, attribute.Id)) Retract(d, attribute);
            return;
        }
        object? value = items[3];
        if (value is null) throw Errors.TxSyntax($"Cannot retract nil as a value at {Errors.Show(op)}");
        if (attribute.IsRef)
        {
            // A tempid no :db/add allocated names an entity with no facts yet: nothing to retract.
            if (IsTempid(value)) value = _tempids.TryGetValue(TempidKey(value), out long t) ? t : null;
            else value = ResolveExisting(value, op) ?? throw Errors.EntityIdMissing(value);
            if (value is null) return;
        }
        if (TryCoerce(attribute, value, out var v) && _ix.TryFindFact(eid, attribute.Id, v, out var existing)) Retract(existing, attribute);
    }

    /// <summary><c>[:db.fn/retractAttribute e a]</c>: all values, cascading into components.</summary>
    private void OpRetractAttribute(object?[] items, object op)
    {
        Arity(items, 3, 3, op);
        long? eid = ResolveExisting(items[1], op);
        if (eid is null) return;
        var key = AttributeKey(items[2], op);
        if (!CurrentSchema.TryGet(key, out var attribute)) return;
        var components = new List<long>();
        foreach (var d in _ix.Values(eid.Value, attribute.Id))
        {
            Retract(d, attribute);
            if (attribute.IsComponent) components.Add((long)d.V);
        }
        var visited = new HashSet<long>();
        foreach (var c in components) RetractEntity(c, visited);
    }

    /// <summary><c>[:db/retractEntity e]</c>: the entity's datoms, references to it, and its components.</summary>
    private void OpRetractEntity(object?[] items, object op)
    {
        Arity(items, 2, 2, op);
        long? eid = ResolveExisting(items[1], op);
        if (eid is not null) RetractEntity(eid.Value, []);
    }

    private void RetractEntity(long e, HashSet<long> visited)
    {
        var pending = new Stack<long>();
        pending.Push(e);
        while (pending.Count > 0)
        {
            long current = pending.Pop();
            if (!visited.Add(current)) continue;
            foreach (var d in _ix.EntityDatoms(current))
            {
                var attribute = AttributeOf(d);
                Retract(d, attribute);
                if (attribute.IsComponent && d.V is long component) pending.Push(component);
            }
            foreach (var refAttr in CurrentSchema.RefAttributes)
            {
                foreach (var d in _ix.Referencing(refAttr.Id, current)) Retract(d, refAttr);
            }
        }
    }

    /// <summary>
    /// Asserts (e, attribute, value): a no-op when the fact holds; for cardinality one, the previous
    /// value is retracted first. Checks type, uniqueness and attribute predicates.
    /// </summary>
    private void Add(long e, DbAttribute attribute, object value, object op, bool computedTuple = false)
    {
        if (attribute.IsComposite && !computedTuple)
        {
            throw Errors.TupleWrite(op);
        }
        if (!TryCoerce(attribute, value, out var v))
        {
            if (TupleProblem(attribute, value) is { } problem) throw Errors.TxSchema($"{problem} at {Errors.Show(op)}");
            throw Errors.TxSchema($"Bad entity value {Errors.Show(value)} at {Errors.Show(op)}, value does not match schema definition. Must be conform to: {DbTypes.ToKeyword(attribute.Type)}");
        }
        EnsureStorable(attribute.Ident, v);
        if (attribute.Preds is not null) CheckAttributePredicates(attribute, v);
        AdvanceMaxEid(e);
        if (!attribute.Many)
        {
            if (_ix.TryFirst(e, attribute.Id, out var existing))
            {
                if (ValueOrder.CompareValues(existing.V, v) == 0) return;
                CheckUnique(e, attribute, v);
                Retract(existing, attribute);
            }
            else
            {
                CheckUnique(e, attribute, v);
            }
        }
        else
        {
            if (_ix.TryFindFact(e, attribute.Id, v, out _)) return;
            CheckUnique(e, attribute, v);
        }
        var datom = new IndexDatom(e, attribute.Id, v, _tx, true);
        _ix.Insert(datom, attribute.InAvet);
        _txData.Add(datom);
        AfterChange(e, attribute);
    }

    /// <summary>Retracts a stored datom, keeping it and its retraction in the temporal indices when history is on.</summary>
    private void Retract(in IndexDatom stored, DbAttribute attribute)
    {
        _ix.Delete(stored, attribute.InAvet);
        var retraction = stored.With(_tx, false);
        if (Options.KeepHistory && !attribute.NoHistory && attribute.Id != SystemAttributes.TxInstant)
        {
            _ix.InsertTemporal(stored, attribute.InAvet);
            _ix.InsertTemporal(retraction, attribute.InAvet);
        }
        _txData.Add(retraction);
        AfterChange(stored.E, attribute);
    }

    private void CheckUnique(long e, DbAttribute attribute, object v)
    {
        if (attribute.Unique == Unique.None) return;
        if (_ix.TryFindOwner(attribute.Id, v, e, out var owner))
        {
            throw Errors.Unique($"Cannot add {Show(new IndexDatom(e, attribute.Id, v, _tx, true))} because of unique constraint: {Show(owner)}");
        }
    }

    private void CheckAttributePredicates(DbAttribute attribute, object value)
    {
        foreach (var pred in attribute.Preds!)
        {
            bool holds;
            try
            {
                holds = _callbacks is not null && _callbacks.CheckAttributePredicate(pred, value);
            }
            catch (Exception e) when (e is not (HikeException or OutOfMemoryException))
            {
                throw Errors.AttrPred($"Predicate {pred} of attribute {attribute.Ident} threw on value {Errors.Show(value)}: {e.Message}", e);
            }
            if (!holds) throw Errors.AttrPred($"Value {Errors.Show(value)} of attribute {attribute.Ident} failed predicate {pred}");
        }
    }

    private void AfterChange(long e, DbAttribute attribute)
    {
        if (CurrentSchema.IsTupleSource(attribute.Id)) QueueTuples(e, attribute.Id);
        if (SystemAttributes.DefinesSchema(attribute.Id)) RefreshSchemaEntity(e);
    }

    /// <summary>A datom as Datahike prints it, with the attribute's keyword.</summary>
    private string Show(in IndexDatom d) =>
        Errors.Show(EdnPrinter.DatomForm(d.E, CurrentSchema.TryGet(d.A, out var a) ? a.Ident : d.A, d.V, d.Tx, d.Added));

    /// <summary>
    /// Refuses a coerced value a durable store could not write, naming the attribute: the memory store
    /// never encodes values, so without this check a value would be accepted there and fail (with the
    /// whole group commit) in a file store. Coercion leaves only scalars of storable types, and EDN
    /// collections whose contents it does not look into.
    /// </summary>
    internal static void EnsureStorable(Keyword attribute, object value)
    {
        if (value is EdnSequence or EdnMap or EdnSet && ValueCodec.Unstorable(value) is { } why)
        {
            throw Errors.TxSchema($"Cannot store value {Errors.Show(value)} of attribute {attribute}: {why}");
        }
    }

    /// <summary>
    /// The attribute of a stored datom. An attribute whose definition this transaction retracted is
    /// still known as it was, so its values can be retracted in the same transaction (as Datahike).
    /// </summary>
    private DbAttribute AttributeOf(in IndexDatom d)
    {
        if (CurrentSchema.TryGet(d.A, out var attribute) || _before.Schema.TryGet(d.A, out attribute)) return attribute;
        throw Errors.TxSchema($"Cannot change {Show(d)}: its attribute was defined and removed in this transaction");
    }
}
