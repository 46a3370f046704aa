using Hike.Edn;

namespace Hike.Db;

/// <summary>
/// The schema of one database value: every attribute by id, keyword and defining entity, the
/// idents of all entities (attributes and enums), and which composite tuples each attribute feeds.
/// Immutable; <see cref="SchemaBuilder"/> makes changed copies.
/// </summary>
internal sealed class Schema
{
    public static readonly Schema Empty = CreateEmpty();

    private readonly DbAttribute?[] _byId;
    private readonly Dictionary<Keyword, DbAttribute> _byIdent;
    private readonly Dictionary<long, DbAttribute> _byEid;
    private readonly Dictionary<Keyword, long> _identToEid;
    private readonly Dictionary<long, Keyword> _eidToIdent;
    private readonly Dictionary<int, TupleSource[]> _tupleSources;

    internal Schema(
        DbAttribute?[] byId,
        Dictionary<Keyword, DbAttribute> byIdent,
        Dictionary<long, DbAttribute> byEid,
        Dictionary<Keyword, long> identToEid,
        Dictionary<long, Keyword> eidToIdent,
        int nextAttrId)
    {
        _byId = byId;
        _byIdent = byIdent;
        _byEid = byEid;
        _identToEid = identToEid;
        _eidToIdent = eidToIdent;
        NextAttrId = nextAttrId;
        _tupleSources = BuildTupleSources(byIdent);
        CompositeIdentities = [.. byIdent.Values.Where(a => a.IsComposite && a.IsUniqueIdentity)];
        RefAttributes = [.. byIdent.Values.Where(a => a.IsRef).OrderBy(a => a.Id)];
        HasFullText = byIdent.Values.Any(a => a.FullText);
    }

    /// <summary>True when some attribute is <c>:db/fulltext</c>.</summary>
    public bool HasFullText { get; }

    /// <summary>The id the next new attribute gets.</summary>
    public int NextAttrId { get; }

    /// <summary>The composite tuple attributes that are <c>:db.unique/identity</c> (entity maps upsert through them).</summary>
    public DbAttribute[] CompositeIdentities { get; }

    /// <summary>The attributes of type <c>:db.type/ref</c>, in id order.</summary>
    public DbAttribute[] RefAttributes { get; }

    /// <summary>Every attribute, built-in ones included, in id order.</summary>
    public IEnumerable<DbAttribute> Attributes
    {
        get
        {
            foreach (var a in _byId)
            {
                if (a is not null) yield return a;
            }
        }
    }

    internal DbAttribute?[] ById => _byId;

    internal Dictionary<Keyword, DbAttribute> ByIdent => _byIdent;

    internal Dictionary<long, DbAttribute> ByEid => _byEid;

    internal Dictionary<Keyword, long> IdentToEid => _identToEid;

    internal Dictionary<long, Keyword> EidToIdent => _eidToIdent;

    /// <summary>The attribute with id <paramref name="id"/>; ids in indices always resolve.</summary>
    public DbAttribute this[int id] => _byId[id] ?? throw new KeyNotFoundException($"Unknown attribute id {id}.");

    public bool TryGet(int id, out DbAttribute attribute)
    {
        attribute = id > 0 && id < _byId.Length ? _byId[id]! : null!;
        return attribute is not null;
    }

    public bool TryGet(Keyword ident, out DbAttribute attribute) => _byIdent.TryGetValue(ident, out attribute!);

    public bool TryGetByEid(long eid, out DbAttribute attribute) => _byEid.TryGetValue(eid, out attribute!);

    /// <summary>The entity carrying <c>:db/ident</c> <paramref name="ident"/>, if any.</summary>
    public bool TryGetEid(Keyword ident, out long eid) => _identToEid.TryGetValue(ident, out eid);

    /// <summary>The <c>:db/ident</c> of entity <paramref name="eid"/>, if it has one.</summary>
    public bool TryGetIdent(long eid, out Keyword ident) => _eidToIdent.TryGetValue(eid, out ident!);

    /// <summary>The composite tuples <paramref name="attrId"/> is a source of, with its position in each.</summary>
    public ReadOnlySpan<TupleSource> TupleSourcesOf(int attrId) =>
        _tupleSources.TryGetValue(attrId, out var s) ? s : ReadOnlySpan<TupleSource>.Empty;

    public bool IsTupleSource(int attrId) => _tupleSources.ContainsKey(attrId);

    private static Dictionary<int, TupleSource[]> BuildTupleSources(Dictionary<Keyword, DbAttribute> byIdent)
    {
        var lists = new Dictionary<int, List<TupleSource>>();
        foreach (var a in byIdent.Values)
        {
            if (a.TupleAttrs is null) continue;
            for (int i = 0; i < a.TupleAttrs.Length; i++)
            {
                if (!byIdent.TryGetValue(a.TupleAttrs[i], out var source)) continue;
                if (!lists.TryGetValue(source.Id, out var list)) lists[source.Id] = list = [];
                list.Add(new TupleSource(a.Id, i));
            }
        }
        var result = new Dictionary<int, TupleSource[]>(lists.Count);
        foreach (var (k, v) in lists) result[k] = [.. v];
        return result;
    }

    private static Schema CreateEmpty()
    {
        var byId = new DbAttribute?[SystemAttributes.FirstUserId];
        var byIdent = new Dictionary<Keyword, DbAttribute>();
        foreach (var a in SystemAttributes.All)
        {
            byId[a.Id] = a;
            byIdent[a.Ident] = a;
        }
        return new Schema(byId, byIdent, [], [], [], SystemAttributes.FirstUserId);
    }
}
