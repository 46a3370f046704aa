using Hike.Db;
using Hike.Edn;
using Hike.FullText;

namespace Hike.Api;

public sealed partial class Database
{
    /// <summary>
    /// The values of full-text attribute <paramref name="attribute"/> (one marked <c>:db/fulltext true</c>)
    /// that <paramref name="query"/> matches, best first by BM25, at most <paramref name="limit"/>; with
    /// <paramref name="highlight"/>, each result's <see cref="FullTextResult.Highlighted"/> marks the words
    /// that matched. The query is in Lucene's classic syntax: terms, <c>+must</c>, <c>-not</c>,
    /// <c>AND</c>/<c>OR</c>/<c>NOT</c>, <c>"phrases"</c>, <c>prefix*</c> and grouping, analyzed as the
    /// attribute's values are. The index is this value's: an as-of, since, filtered or branched database
    /// searches what it holds.
    /// </summary>
    public IReadOnlyList<FullTextResult> Search(Keyword attribute, string query, int limit = 10, FullTextHighlight? highlight = null)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (!View.Schema.TryGet(attribute, out var attr)) throw Errors.FullTextNotIndexed(attribute);
        var matches = View.FullTextSearch(attr, query, limit);
        if (highlight is null) return [.. matches.Select(m => new FullTextResult(m.Entity, m.Value, m.Tx, m.Score))];
        var analyzer = FullTextIndex.AnalyzerOf(attr);
        var parsed = FullTextQueryParser.Parse(query, analyzer);
        return [.. matches.Select(m => new FullTextResult(m.Entity, m.Value, m.Tx, m.Score)
        {
            Highlighted = FullTextHighlighter.Highlight(analyzer, parsed, m.Value, highlight.Before, highlight.After),
        })];
    }

    /// <summary>As <see cref="Search(Keyword, string, int, FullTextHighlight?)"/>, the attribute given as text (<c>":gloss"</c> or <c>"gloss"</c>).</summary>
    public IReadOnlyList<FullTextResult> Search(string attribute, string query, int limit = 10, FullTextHighlight? highlight = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(attribute);
        return Search(Keyword.Intern(attribute.TrimStart(':')), query, limit, highlight);
    }
}
