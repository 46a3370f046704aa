using Hike.Db;
using Hike.Edn;

namespace Hike.Transactions;

/// <summary>
/// Datahike's declaration of a full-text secondary index,
/// <c>{:db/ident :idx/x :db.secondary/type :scriptum :db.secondary/attrs [:a :b] :db.secondary/config {…}}</c>,
/// read as what it means here: each named attribute becomes <c>:db/fulltext true</c> (with
/// <c>:db.fulltext/analyzer</c> when the config names an <c>:analyzer</c>). Hike keeps the index in the
/// database itself, so the declaration's own ident and Scriptum's storage settings (<c>:path</c>, …)
/// have nothing to name; vector and columnar indices (<c>:proximum</c>, <c>:stratum</c>) are refused.
/// </summary>
internal static class SecondaryIndexDeclaration
{
    private static readonly Keyword TypeKey = Keyword.Intern("db.secondary/type");
    private static readonly Keyword AttrsKey = Keyword.Intern("db.secondary/attrs");
    private static readonly Keyword ConfigKey = Keyword.Intern("db.secondary/config");
    private static readonly Keyword AnalyzerKey = Keyword.Intern("analyzer");

    /// <summary>The schema maps an entity map that declares a secondary index stands for; null for any other map.</summary>
    public static List<object?>? Rewrite(List<KeyValuePair<object?, object?>> entries, object original)
    {
        if (!entries.Any(e => ReferenceEquals(e.Key, TypeKey))) return null;
        object? type = null, attrs = null, config = null;
        foreach (var (key, value) in entries)
        {
            if (ReferenceEquals(key, TypeKey)) type = value;
            else if (ReferenceEquals(key, AttrsKey)) attrs = value;
            else if (ReferenceEquals(key, ConfigKey)) config = value;
            else if (!ReferenceEquals(key, Idents.Ident)) throw Errors.TxSchema($"Unknown key {Errors.Show(key)} in the secondary index declaration {Errors.Show(original)}");
        }
        if (type is not Keyword { Namespace: null, Name: "fulltext" or "scriptum" })
        {
            throw Errors.TxSchema($":db.secondary/type {Errors.Show(type)} is not supported: Hike keeps full-text indices (:fulltext, or Datahike's :scriptum) in the database; declare other attributes' indices with their schema");
        }
        if (attrs is not IEnumerable<object?> named || attrs is string || !named.Any() || named.Any(a => a is not Keyword))
        {
            throw Errors.TxSchema($":db.secondary/attrs must be a vector of attribute keywords, got {Errors.Show(attrs)}");
        }
        object? analyzer = config is null ? null : (Maps.ToEntries(config) ?? throw Errors.TxSchema($":db.secondary/config must be a map, got {Errors.Show(config)}"))
            .FirstOrDefault(e => ReferenceEquals(e.Key, AnalyzerKey)).Value;
        return [.. named.Select(a => analyzer is null
            ? (object?)EdnMap.Of(Idents.Ident, a, Idents.FullText, true)
            : EdnMap.Of(Idents.Ident, a, Idents.FullText, true, Idents.FullTextAnalyzer, analyzer))];
    }
}
