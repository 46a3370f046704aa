using Hike.Edn;

namespace Hike.Server.Formats;

/// <summary>
/// Transaction data that came as JSON, given back the types JSON cannot carry by the database's schema,
/// as Datahike's server does (<c>datahike.json/xf-data-for-tx</c>): in maps, a value of a long attribute
/// becomes a long, of a keyword attribute (<c>:db/ident</c>, <c>:db/valueType</c>, <c>:db/cardinality</c>,
/// <c>:db/unique</c>, the tuple attributes and the user's <c>:db.type/keyword</c> ones) a keyword, of a symbol attribute a symbol, and a lookup ref
/// <c>["attr", v]</c> for a ref or <c>:db/id</c> gets its attribute as a keyword; in vectors
/// <c>["db/add", e, "attr", v]</c> the operation and the attribute become keywords too.
/// </summary>
internal static class JsonTxData
{
    private static readonly Keyword DbId = Keyword.Intern("db/id");
    private static readonly Keyword ValueTypeKey = Keyword.Intern("db/valueType");
    private static readonly HashSet<Keyword> BuiltInKeywordAttributes =
    [
        Keyword.Intern("db/ident"), ValueTypeKey, Keyword.Intern("db/cardinality"), Keyword.Intern("db/unique"),
        Keyword.Intern("db/tupleAttrs"), Keyword.Intern("db/tupleType"), Keyword.Intern("db/tupleTypes"),
    ];

    /// <summary><paramref name="txData"/> (a sequence of maps and vectors) re-typed by <paramref name="schema"/> (Datahike's schema map).</summary>
    public static object? Retype(object? txData, EdnMap schema)
    {
        if (txData is not IEnumerable<object?> items || txData is EdnMap) return txData;
        var types = new AttributeTypes(schema);
        return EdnVector.From(items.Select<object?, object?>(item => item switch
        {
            EdnMap map => RetypeMap(map, types),
            EdnSequence op => RetypeOperation(op, types),
            _ => throw ServerErrors.BadRequest($"Transaction data holds maps and vectors only, not {EdnPrinter.Print(item)}"),
        }));
    }

    private static EdnMap RetypeMap(EdnMap map, AttributeTypes types) => EdnMap.Create(map.Select(kv =>
    {
        var attribute = kv.Key as Keyword;
        object? value = attribute == DbId ? LookupRef(kv.Value, types) : Retype(attribute, kv.Value, types);
        return new KeyValuePair<object?, object?>(kv.Key, value);
    }));

    private static EdnVector RetypeOperation(EdnSequence op, AttributeTypes types)
    {
        if (op.Count < 2) return EdnVector.From(op);
        var parts = op.ToList();
        parts[0] = Keywordize(parts[0]);
        parts[1] = LookupRef(parts[1], types);
        if (parts.Count > 2) parts[2] = Keywordize(parts[2]);
        if (parts.Count > 3) parts[3] = Retype(parts[2] as Keyword, parts[3], types);
        return EdnVector.From(parts);
    }

    private static object? Retype(Keyword? attribute, object? value, AttributeTypes types) => types.Of(attribute) switch
    {
        "ref" => value is EdnSequence ? LookupRefs(value, types) : value,
        "long" => Each(value, v => v is string s && long.TryParse(s, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long l) ? l : v),
        "keyword" => Each(value, Keywordize),
        "symbol" => Each(value, v => v is string s ? Symbol.Intern(s) : v),
        _ => value,
    };

    /// <summary>A ref's value: a lookup ref, or a vector of ids and lookup refs (cardinality many).</summary>
    private static object? LookupRefs(object? value, AttributeTypes types) =>
        value is EdnSequence { Count: 2 } pair && pair[0] is string ? LookupRef(pair, types) : Each(value, v => LookupRef(v, types));

    /// <summary><c>["attr", v]</c> as a lookup ref: the attribute a keyword, the value re-typed by it.</summary>
    private static object? LookupRef(object? value, AttributeTypes types)
    {
        if (value is not EdnSequence { Count: 2 } pair || Keywordize(pair[0]) is not Keyword attribute) return value;
        return EdnVector.Create(attribute, Retype(attribute, pair[1], types));
    }

    private static object? Each(object? value, Func<object?, object?> retype) =>
        value is EdnSequence many ? EdnVector.From(many.Select(retype)) : retype(value);

    private static object? Keywordize(object? value) => value is string s ? Keyword.Intern(s.TrimStart(':')) : value;

    /// <summary>Attributes by the kind of value JSON must be re-typed to: "ref", "long", "keyword" or "symbol".</summary>
    private sealed class AttributeTypes
    {
        private readonly Dictionary<Keyword, string> _kinds = [];

        public AttributeTypes(EdnMap schema)
        {
            foreach (var attribute in BuiltInKeywordAttributes) _kinds[attribute] = "keyword";
            foreach (var (key, value) in schema)
            {
                if (key is not Keyword attribute || value is not EdnMap definition || definition.Get(ValueTypeKey) is not Keyword type) continue;
                if (type.FullName switch { "db.type/ref" => "ref", "db.type/long" => "long", "db.type/keyword" => "keyword", "db.type/symbol" => "symbol", _ => null } is { } kind)
                {
                    _kinds[attribute] = kind;
                }
            }
        }

        public string? Of(Keyword? attribute) => attribute is not null && _kinds.TryGetValue(attribute, out var kind) ? kind : null;
    }
}
