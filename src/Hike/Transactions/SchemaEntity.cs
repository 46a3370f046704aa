using Hike.Db;
using Hike.Edn;
using Hike.Index.Datoms;

namespace Hike.Transactions;

/// <summary>What the schema datoms of one entity say: its ident and, when it defines one, an attribute.</summary>
internal sealed class SchemaEntity
{
    public Keyword? Ident { get; private set; }

    public bool IsAttribute { get; private set; }

    public bool HasValueType { get; private set; }

    public bool HasCardinality { get; private set; }

    public object? InvalidValueType { get; private set; }

    public object? InvalidCardinality { get; private set; }

    public object? InvalidUnique { get; private set; }

    private DbType _type;
    private bool _many;
    private Unique _unique;
    private bool _index;
    private bool _isComponent;
    private bool _noHistory;
    private bool _fullText;
    private Keyword? _analyzer;
    private string? _doc;
    private Keyword[]? _tupleAttrs;
    private DbType? _tupleType;
    private DbType[]? _tupleTypes;
    private List<Symbol>? _preds;

    /// <summary>Reads the schema datoms among <paramref name="datoms"/> (one entity's datoms).</summary>
    public static SchemaEntity Read(List<IndexDatom> datoms)
    {
        var def = new SchemaEntity();
        foreach (var d in datoms) def.Apply(d);
        if (def._tupleAttrs is not null && !def.HasValueType) def._type = DbType.Tuple;
        return def;
    }

    public DbAttribute ToAttribute(int id, long eid) => new()
    {
        Id = id,
        Ident = Ident!,
        Eid = eid,
        Type = _type,
        Many = _many,
        Unique = _unique,
        Index = _index,
        IsComponent = _isComponent,
        NoHistory = _noHistory,
        FullText = _fullText,
        Analyzer = _analyzer,
        Doc = _doc,
        TupleAttrs = _tupleAttrs,
        TupleType = _tupleType,
        TupleTypes = _tupleTypes,
        Preds = _preds?.ToArray(),
    };

    private void Apply(in IndexDatom d)
    {
        switch (d.A)
        {
            case SystemAttributes.Ident:
                Ident = d.V as Keyword;
                break;
            case SystemAttributes.ValueType:
                IsAttribute = HasValueType = true;
                if (DbTypes.TryParse(d.V, out var type)) _type = type;
                else InvalidValueType = d.V;
                break;
            case SystemAttributes.Cardinality:
                IsAttribute = HasCardinality = true;
                if (ReferenceEquals(d.V, Idents.CardinalityMany)) _many = true;
                else if (!ReferenceEquals(d.V, Idents.CardinalityOne)) InvalidCardinality = d.V;
                break;
            case SystemAttributes.Unique:
                IsAttribute = true;
                if (ReferenceEquals(d.V, Idents.UniqueIdentity)) _unique = Unique.Identity;
                else if (ReferenceEquals(d.V, Idents.UniqueValue)) _unique = Unique.Value;
                else InvalidUnique = d.V;
                break;
            case SystemAttributes.Index:
                IsAttribute = true;
                _index = d.V is true;
                break;
            case SystemAttributes.IsComponent:
                IsAttribute = true;
                _isComponent = d.V is true;
                break;
            case SystemAttributes.NoHistory:
                IsAttribute = true;
                _noHistory = d.V is true;
                break;
            case SystemAttributes.FullText:
                IsAttribute = true;
                _fullText = d.V is true;
                break;
            case SystemAttributes.FullTextAnalyzer:
                IsAttribute = true;
                _analyzer = d.V as Keyword;
                break;
            case SystemAttributes.Doc:
                _doc = d.V as string;
                break;
            case SystemAttributes.TupleAttrs:
                IsAttribute = true;
                _tupleAttrs = d.V is EdnVector v ? v.OfType<Keyword>().ToArray() : null;
                break;
            case SystemAttributes.TupleType:
                IsAttribute = true;
                _tupleType = DbTypes.TryParse(d.V, out var tt) ? tt : null;
                break;
            case SystemAttributes.TupleTypes:
                IsAttribute = true;
                _tupleTypes = d.V is EdnVector tv ? tv.Select(x => DbTypes.TryParse(x, out var t) ? t : DbType.Any).ToArray() : null;
                break;
            case SystemAttributes.AttrPreds:
                IsAttribute = true;
                if (d.V is Symbol s) (_preds ??= []).Add(s);
                break;
        }
    }
}
