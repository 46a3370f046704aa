using Hike.Edn;

namespace Hike.Db;

/// <summary>
/// A mutable working copy of a <see cref="Schema"/> for one transaction. Copies the underlying
/// tables on the first change only, so a transaction that touches no schema allocates nothing.
/// Not thread-safe.
/// </summary>
internal sealed class SchemaBuilder
{
    private readonly Schema _origin;
    private DbAttribute?[]? _byId;
    private Dictionary<Keyword, DbAttribute>? _byIdent;
    private Dictionary<long, DbAttribute>? _byEid;
    private Dictionary<Keyword, long>? _identToEid;
    private Dictionary<long, Keyword>? _eidToIdent;
    private int _nextAttrId;
    private Schema? _current;

    public SchemaBuilder(Schema origin)
    {
        _origin = origin;
        _current = origin;
        _nextAttrId = origin.NextAttrId;
    }

    /// <summary>True once anything changed.</summary>
    public bool Changed => _byId is not null;

    /// <summary>The schema as changed so far (built on demand, cached until the next change).</summary>
    public Schema Current => _current ??= Build();

    /// <summary>
    /// Gives an undeclared attribute an id (<c>:schema-flexibility :read</c>, first use). Returns the
    /// new attribute: any value, cardinality one.
    /// </summary>
    public DbAttribute AddImplicit(Keyword ident)
    {
        Mutate();
        var attribute = new DbAttribute { Id = _nextAttrId++, Ident = ident };
        Put(attribute);
        return attribute;
    }

    /// <summary>Installs or replaces the attribute defined by entity <paramref name="definition"/>.Eid.</summary>
    public void Define(DbAttribute definition)
    {
        Mutate();
        if (_byEid!.TryGetValue(definition.Eid, out var old) && old.Ident != definition.Ident) _byIdent!.Remove(old.Ident);
        Put(definition);
    }

    /// <summary>The id to give a newly declared attribute: its implicit id if it was used under :read, else a fresh one.</summary>
    public int IdFor(Keyword ident)
    {
        if (Current.TryGet(ident, out var existing)) return existing.Id;
        Mutate();
        return _nextAttrId++;
    }

    /// <summary>Removes the attribute defined by entity <paramref name="eid"/> (its datoms must already be gone).</summary>
    public void Undefine(long eid)
    {
        if (!Current.TryGetByEid(eid, out var old)) return;
        Mutate();
        _byEid!.Remove(eid);
        _byIdent!.Remove(old.Ident);
        _byId![old.Id] = null;
    }

    public void SetIdent(long eid, Keyword ident)
    {
        if (Current.TryGetIdent(eid, out var existing) && existing == ident) return;
        Mutate();
        if (_eidToIdent!.TryGetValue(eid, out var old)) _identToEid!.Remove(old);
        _eidToIdent[eid] = ident;
        _identToEid![ident] = eid;
    }

    public void RemoveIdent(long eid)
    {
        if (!Current.TryGetIdent(eid, out var old)) return;
        Mutate();
        _eidToIdent!.Remove(eid);
        _identToEid!.Remove(old);
    }

    private void Put(DbAttribute attribute)
    {
        if (attribute.Id >= _byId!.Length) Array.Resize(ref _byId, Math.Max(attribute.Id + 1, _byId.Length * 2));
        _byId[attribute.Id] = attribute;
        _byIdent![attribute.Ident] = attribute;
        if (attribute.Eid != 0) _byEid![attribute.Eid] = attribute;
    }

    private void Mutate()
    {
        _current = null;
        if (_byId is not null) return;
        _byId = (DbAttribute?[])_origin.ById.Clone();
        _byIdent = new Dictionary<Keyword, DbAttribute>(_origin.ByIdent);
        _byEid = new Dictionary<long, DbAttribute>(_origin.ByEid);
        _identToEid = new Dictionary<Keyword, long>(_origin.IdentToEid);
        _eidToIdent = new Dictionary<long, Keyword>(_origin.EidToIdent);
    }

    private Schema Build() =>
        _byId is null
            ? _origin
            : new Schema(_byId.ToArray(), new(_byIdent!), new(_byEid!), new(_identToEid!), new(_eidToIdent!), _nextAttrId);
}
