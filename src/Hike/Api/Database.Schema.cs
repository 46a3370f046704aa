using Hike.Db;
using Hike.Edn;

namespace Hike.Api;

public sealed partial class Database
{
    private static readonly Keyword CountKey = Keyword.Intern("count");
    private static readonly Keyword AvetCountKey = Keyword.Intern("avet-count");
    private static readonly Keyword TemporalCountKey = Keyword.Intern("temporal-count");
    private static readonly Keyword TemporalAvetCountKey = Keyword.Intern("temporal-avet-count");
    private static readonly Keyword PerAttrCountsKey = Keyword.Intern("per-attr-counts");
    private static readonly Keyword PerEntityCountsKey = Keyword.Intern("per-entity-counts");

    /// <summary>
    /// The declared schema as Datahike returns it: attribute keyword to its definition map, e.g.
    /// <c>{:name {:db/ident :name, :db/valueType :db.type/string, :db/cardinality :db.cardinality/one, :db/id 1}}</c>.
    /// </summary>
    public EdnMap Schema()
    {
        var entries = new List<KeyValuePair<object?, object?>>();
        foreach (var a in State.Schema.Attributes)
        {
            if (a.Declared) entries.Add(new(a.Ident, SchemaEntry(a)));
        }
        return EdnMap.Create(entries);
    }

    /// <summary>
    /// Attributes grouped by property, as Datahike's <c>reverse-schema</c>: <c>:db/index</c>,
    /// <c>:db/unique</c>, <c>:db.unique/identity</c>, <c>:db.unique/value</c>, <c>:db.cardinality/many</c>,
    /// <c>:db.type/ref</c>, <c>:db/isComponent</c>, <c>:db/noHistory</c>, <c>:db.type/tuple</c> to sets of attribute keywords.
    /// </summary>
    public EdnMap ReverseSchema()
    {
        var groups = new Dictionary<Keyword, List<object?>>();
        void Put(Keyword key, Keyword ident)
        {
            if (!groups.TryGetValue(key, out var list)) groups[key] = list = [];
            list.Add(ident);
        }
        foreach (var a in State.Schema.Attributes)
        {
            if (!a.Declared) continue;
            if (a.Index) Put(Idents.Index, a.Ident);
            if (a.Unique != Unique.None) Put(Idents.Unique, a.Ident);
            if (a.Unique == Unique.Identity) Put(Idents.UniqueIdentity, a.Ident);
            if (a.Unique == Unique.Value) Put(Idents.UniqueValue, a.Ident);
            if (a.Many) Put(Idents.CardinalityMany, a.Ident);
            if (a.IsRef) Put(DbTypes.ToKeyword(DbType.Ref), a.Ident);
            if (a.IsComponent) Put(Idents.IsComponent, a.Ident);
            if (a.NoHistory) Put(Idents.NoHistory, a.Ident);
            if (a.FullText) Put(Idents.FullText, a.Ident);
            if (a.Type == DbType.Tuple) Put(DbTypes.ToKeyword(DbType.Tuple), a.Ident);
        }
        return EdnMap.Create(groups.Select(g => new KeyValuePair<object?, object?>(g.Key, EdnSet.Create(g.Value))));
    }

    /// <summary>
    /// Counts, as Datahike's <c>metrics</c>: <c>:count</c> (EAVT datoms), <c>:avet-count</c>,
    /// <c>:per-attr-counts</c>, <c>:per-entity-counts</c>, and with history <c>:temporal-count</c> and
    /// <c>:temporal-avet-count</c>. Reads every datom: O(n).
    /// </summary>
    public EdnMap Metrics()
    {
        var perAttr = new Dictionary<Keyword, long>();
        var perEntity = new SortedDictionary<long, long>();
        var schema = State.Schema;
        foreach (var d in State.Eavt)
        {
            var ident = schema[d.A].Ident;
            perAttr[ident] = perAttr.GetValueOrDefault(ident) + 1;
            perEntity[d.E] = perEntity.GetValueOrDefault(d.E) + 1;
        }
        var entries = new List<KeyValuePair<object?, object?>>
        {
            new(PerAttrCountsKey, EdnMap.Create(perAttr.OrderBy(p => p.Key).Select(p => new KeyValuePair<object?, object?>(p.Key, p.Value)))),
            new(PerEntityCountsKey, EdnMap.Create(perEntity.Select(p => new KeyValuePair<object?, object?>(p.Key, p.Value)))),
            new(CountKey, State.Eavt.Count),
            new(AvetCountKey, State.Avet.Count),
        };
        if (State.Options.KeepHistory)
        {
            entries.Add(new(TemporalCountKey, State.TemporalEavt.Count));
            entries.Add(new(TemporalAvetCountKey, State.TemporalAvet.Count));
        }
        return EdnMap.Create(entries);
    }

    private static EdnMap SchemaEntry(DbAttribute a)
    {
        var entries = new List<KeyValuePair<object?, object?>>
        {
            new(Idents.Ident, a.Ident),
            new(Idents.ValueType, DbTypes.ToKeyword(a.Type)),
            new(Idents.Cardinality, a.Many ? Idents.CardinalityMany : Idents.CardinalityOne),
        };
        if (a.Unique != Unique.None) entries.Add(new(Idents.Unique, a.Unique == Unique.Identity ? Idents.UniqueIdentity : Idents.UniqueValue));
        if (a.Index) entries.Add(new(Idents.Index, true));
        if (a.IsComponent) entries.Add(new(Idents.IsComponent, true));
        if (a.NoHistory) entries.Add(new(Idents.NoHistory, true));
        if (a.FullText) entries.Add(new(Idents.FullText, true));
        if (a.Analyzer is { } analyzer) entries.Add(new(Idents.FullTextAnalyzer, analyzer));
        if (a.Doc is not null) entries.Add(new(Idents.Doc, a.Doc));
        if (a.TupleAttrs is not null) entries.Add(new(Idents.TupleAttrs, EdnVector.From(a.TupleAttrs)));
        if (a.TupleType is { } tt) entries.Add(new(Idents.TupleType, DbTypes.ToKeyword(tt)));
        if (a.TupleTypes is not null) entries.Add(new(Idents.TupleTypes, EdnVector.From(a.TupleTypes.Select(t => (object?)DbTypes.ToKeyword(t)))));
        if (a.Preds is not null) entries.Add(new(Idents.AttrPreds, EdnVector.From(a.Preds)));
        entries.Add(new(Idents.DbId, a.Eid));
        return EdnMap.Create(entries);
    }
}
