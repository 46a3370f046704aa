using System.Collections;
using Hike.Db;
using Hike.Edn;

namespace Hike.Transactions;

internal sealed partial class TxProcessor
{
    /// <summary>Transacts an entity map; returns the entity id it resolved to.</summary>
    private long ProcessEntityMap(List<KeyValuePair<object?, object?>> entries, object original)
    {
        EnsureStack(original);
        object? id = null;
        bool hasId = false;
        var pairs = new List<KeyValuePair<Keyword, object?>>(entries.Count);
        foreach (var entry in entries)
        {
            var key = AttributeKey(entry.Key, original);
            if (ReferenceEquals(key, Idents.DbId))
            {
                id = entry.Value;
                hasId = true;
            }
            else
            {
                pairs.Add(new(key, entry.Value));
            }
        }
        long eid = ResolveMapEntity(id, hasId, pairs, original);
        foreach (var pair in pairs) ExplodePair(eid, pair.Key, pair.Value, original);
        return eid;
    }

    private long ProcessNestedMap(List<KeyValuePair<object?, object?>> entries, object original, DbAttribute attribute, long parent)
    {
        if (!attribute.IsRef)
        {
            throw Errors.TxSyntax($"Bad entity value {Errors.Show(original)} for {attribute.Ident}: nested maps are only allowed for :db.type/ref attributes");
        }
        return ProcessEntityMap(entries, original);
    }

    /// <summary>A map key as an attribute keyword; C# callers may use strings.</summary>
    private static Keyword AttributeKey(object? key, object op) => key switch
    {
        Keyword k => k,
        string s when s.Length > 0 => Keyword.Intern(s),
        _ => throw Errors.TxSyntax($"Bad entity attribute {Errors.Show(key)} at {Errors.Show(op)}, expected keyword"),
    };

    private static bool IsReverse(Keyword k) => k.Name.Length > 1 && k.Name[0] == '_';

    private static Keyword Forward(Keyword reverse) => Keyword.Intern(reverse.Namespace, reverse.Name[1..]);

    private long ResolveMapEntity(object? id, bool hasId, List<KeyValuePair<Keyword, object?>> pairs, object op)
    {
        var upsert = FindUpsert(pairs, op);
        if (!hasId)
        {
            return upsert?.Eid ?? AllocateEid();
        }
        if (IsCurrentTxMarker(id))
        {
            if (upsert is { } u0) throw Errors.Upsert($"Conflicting upsert: [{u0.Attr} {Errors.Show(u0.Value)}] resolves to {u0.Eid}, but entity already has :db/id {_tx}");
            return _tx;
        }
        if (IsTempid(id))
        {
            return upsert is { } u ? BindUpsert(id!, u.Eid, u.Attr, u.Value) : ResolveTempid(id!);
        }
        long eid = ResolveEntity(id, op);
        if (upsert is { } found && found.Eid != eid)
        {
            throw Errors.Upsert($"Conflicting upsert: [{found.Attr} {Errors.Show(found.Value)}] resolves to {found.Eid}, but entity already has :db/id {eid}");
        }
        return eid;
    }

    /// <summary>
    /// The existing entity an entity map upserts to through its <c>:db.unique/identity</c> attributes
    /// (including composite tuples whose sources the map gives), or null.
    /// </summary>
    private (long Eid, Keyword Attr, object Value)? FindUpsert(List<KeyValuePair<Keyword, object?>> pairs, object op)
    {
        (long Eid, Keyword Attr, object Value)? found = null;
        var schema = CurrentSchema;
        foreach (var pair in pairs)
        {
            if (pair.Value is null || !schema.TryGet(pair.Key, out var attribute) || !attribute.IsUniqueIdentity) continue;
            if (attribute.Many && IsCollectionValue(pair.Value, attribute))
            {
                foreach (var item in (IEnumerable)pair.Value) found = UpsertBy(found, attribute, item, op);
            }
            else
            {
                found = UpsertBy(found, attribute, pair.Value, op);
            }
        }
        foreach (var composite in schema.CompositeIdentities)
        {
            var tuple = ComposeFromMap(composite, pairs, op);
            if (tuple is not null) found = Combine(found, FindByUnique(composite, tuple), composite.Ident, tuple);
        }
        return found;
    }

    /// <summary>Looks up one identity value (a ref resolved to an existing entity first) and combines the result.</summary>
    private (long Eid, Keyword Attr, object Value)? UpsertBy((long Eid, Keyword Attr, object Value)? found, DbAttribute attribute, object? value, object op)
    {
        if (value is null) return found;
        if (attribute.IsRef)
        {
            if (Maps.IsMap(value)) return found;
            value = ResolveExisting(value, op);
            if (value is null) return found;
        }
        return TryCoerce(attribute, value, out var coerced) ? Combine(found, FindByUnique(attribute, coerced), attribute.Ident, coerced) : found;
    }

    private static (long Eid, Keyword Attr, object Value)? Combine((long Eid, Keyword Attr, object Value)? found, long? eid, Keyword attr, object value)
    {
        if (eid is not { } e) return found;
        if (found is { } f && f.Eid != e)
        {
            throw Errors.Upsert($"Conflicting upserts: [{f.Attr} {Errors.Show(f.Value)}] resolves to {f.Eid}, but [{attr} {Errors.Show(value)}] resolves to {e}");
        }
        return (e, attr, value);
    }

    /// <summary>A composite tuple's value from the map's own source values; null unless the map gives them all.</summary>
    private EdnVector? ComposeFromMap(DbAttribute composite, List<KeyValuePair<Keyword, object?>> pairs, object op)
    {
        var items = new object?[composite.TupleAttrs!.Length];
        for (int i = 0; i < items.Length; i++)
        {
            object? value = null;
            foreach (var pair in pairs)
            {
                if (ReferenceEquals(pair.Key, composite.TupleAttrs[i]))
                {
                    value = pair.Value;
                    break;
                }
            }
            if (value is null || !CurrentSchema.TryGet(composite.TupleAttrs[i], out var source)) return null;
            if (source.IsRef)
            {
                value = ResolveExisting(value, op);
                if (value is null) return null;
            }
            if (!TryCoerce(source, value, out var coerced)) return null;
            items[i] = coerced;
        }
        return EdnVector.Wrap(items);
    }

    private void ExplodePair(long eid, Keyword key, object? value, object op)
    {
        if (ReferenceEquals(key, Idents.Ensure))
        {
            (_ensures ??= []).Add((eid, value));
            return;
        }
        if (IsReverse(key))
        {
            var forward = GetAttribute(Forward(key), op);
            if (!forward.IsRef)
            {
                throw Errors.TxSyntax($"Bad attribute {key}: reverse attribute name requires {{:db/valueType :db.type/ref}} in schema");
            }
            foreach (var item in ReverseValues(value))
            {
                long source = ResolveRefValue(item, forward, eid, op);
                Add(source, forward, eid, op);
            }
            return;
        }
        var attribute = GetAttribute(key, op);
        if (value is null) throw Errors.TxSyntax($"Cannot store nil as a value at {Errors.Show(op)}");
        if (attribute.Many && IsCollectionValue(value, attribute))
        {
            foreach (var item in (IEnumerable)value) AddValue(eid, attribute, item, op);
        }
        else
        {
            AddValue(eid, attribute, value, op);
        }
    }

    private void AddValue(long eid, DbAttribute attribute, object? value, object op)
    {
        if (value is null) throw Errors.TxSyntax($"Cannot store nil as a value at {Errors.Show(op)}");
        if (attribute.IsRef)
        {
            Add(eid, attribute, ResolveRefValue(value, attribute, eid, op), op);
        }
        else
        {
            Add(eid, attribute, value, op);
        }
    }

    /// <summary>
    /// True when a card-many value is a collection of values rather than one value. For a ref, a
    /// two-element vector whose first element names a <c>:db.unique/identity</c> attribute is one
    /// lookup ref, as in Datahike.
    /// </summary>
    private bool IsCollectionValue(object value, DbAttribute attribute)
    {
        if (attribute.Type is DbType.Tuple or DbType.Bytes or DbType.FloatArray or DbType.DoubleArray) return false;
        if (attribute.IsRef && IsLookupRefShape(value) && ((IEnumerable)value).Cast<object?>().First() is Keyword first
            && CurrentSchema.TryGet(first, out var lookupAttr) && lookupAttr.IsUniqueIdentity)
        {
            return false;
        }
        return ValueEquality.IsSequential(value) || value is EdnSet || (value is IEnumerable && value is not string && !Maps.IsMap(value) && value is not Array);
    }

    /// <summary>The entities given for a reverse attribute: one reference, a lookup ref, or a collection of them.</summary>
    private static IEnumerable<object?> ReverseValues(object? value)
    {
        if (value is null) return [];
        if (IsLookupRefShape(value) || !(ValueEquality.IsSequential(value) || value is EdnSet)) return [value];
        return ((IEnumerable)value).Cast<object?>();
    }

    private static bool IsLookupRefShape(object value)
    {
        if (!ValueEquality.IsSequential(value)) return false;
        var items = ((IEnumerable)value).Cast<object?>().Take(3).ToArray();
        return items.Length == 2 && items[0] is Keyword;
    }

    /// <summary>The attribute named <paramref name="ident"/>; under <c>:read</c> an unknown one is created on first use.</summary>
    private DbAttribute GetAttribute(Keyword ident, object op)
    {
        if (CurrentSchema.TryGet(ident, out var attribute)) return attribute;
        if (ReferenceEquals(ident, Idents.DbId)) throw Errors.TxSyntax($"Bad entity attribute :db/id at {Errors.Show(op)}");
        if (Options.SchemaFlexibility == SchemaFlexibility.Read && !SystemAttributes.IsSystem(ident)) return _schema.AddImplicit(ident);
        throw Errors.UnknownAttribute(ident, Errors.Show(op));
    }

    private static bool TryCoerce(DbAttribute attribute, object? value, out object coerced)
    {
        if (IsShapedTuple(attribute) && value is not null)
        {
            bool ok = ValueCoercion.TryCoerceTuple(value, attribute.TupleType, attribute.TupleTypes, attribute.TupleAttrs?.Length, out var tuple);
            coerced = tuple;
            return ok;
        }
        return ValueCoercion.TryCoerce(attribute.Type, value, out coerced);
    }

    /// <summary>Why <paramref name="value"/> does not fit a tuple attribute, or null.</summary>
    private static string? TupleProblem(DbAttribute attribute, object? value) =>
        IsShapedTuple(attribute) ? ValueCoercion.CoerceTuple(value, attribute.TupleType, attribute.TupleTypes, attribute.TupleAttrs?.Length, out _) : null;

    private static bool IsShapedTuple(DbAttribute attribute) =>
        attribute.Type == DbType.Tuple && (attribute.TupleTypes is not null || attribute.TupleType is not null || attribute.TupleAttrs is not null);
}
