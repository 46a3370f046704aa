using Hike.Edn;

namespace Hike.Api;

public sealed partial class Database
{
    /// <summary>
    /// The values of full-text attribute <paramref name="attribute"/> (one marked <c>:db/fulltext true</c>)
    /// that <paramref name="query"/> matches, best first by BM25, at most <paramref name="limit"/>.
    /// The query is in Lucene's classic syntax: terms, <c>+must</c>, <c>-not</c>, <c>AND</c>/<c>OR</c>/<c>NOT</c>,
    /// <c>"phrases"</c>, <c>prefix*</c> and grouping, analyzed as the attribute's values are. The index
    /// is this value's: an as-of, since, filtered or branched database searches what it holds.
    /// </summary>
    public IReadOnlyList<FullTextResult> Search(Keyword attribute, string query, int limit = 10)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (!View.Schema.TryGet(attribute, out var attr)) throw Errors.FullTextNotIndexed(attribute);
        return [.. View.FullTextSearch(attr, query, limit).Select(m => new FullTextResult(m.Entity, m.Value, m.Tx, m.Score))];
    }

    /// <summary>As <see cref="Search(Keyword, string, int)"/>, the attribute given as text (<c>":gloss"</c> or <c>"gloss"</c>).</summary>
    public IReadOnlyList<FullTextResult> Search(string attribute, string query, int limit = 10)
    {
        ArgumentException.ThrowIfNullOrEmpty(attribute);
        return Search(Keyword.Intern(attribute.TrimStart(':')), query, limit);
    }
}
