using Hike.FullText;
using Hike.Index.Datoms;

namespace Hike.Db;

internal sealed partial class DbView
{
    /// <summary>
    /// The values of full-text attribute <paramref name="attribute"/> this view sees that
    /// <paramref name="query"/> (Lucene's classic syntax) matches, best first by BM25, at most
    /// <paramref name="limit"/> of them.
    /// </summary>
    public List<FullTextMatch> FullTextSearch(DbAttribute attribute, string query, int limit)
    {
        if (!attribute.FullText) throw Errors.FullTextNotIndexed(attribute.Ident);
        var parsed = FullTextQueryParser.Parse(query, FullTextIndex.AnalyzerOf(attribute));
        var searcher = new FullTextSearcher(FullTextSegments(attribute));
        var hits = searcher.Search(parsed, limit);
        var matches = new List<FullTextMatch>(hits.Count);
        foreach (var hit in hits) matches.Add(new FullTextMatch(hit.Entity, searcher.Value(hit), hit.Tx, hit.Score));
        return matches;
    }

    /// <summary>An upper bound on the values <paramref name="query"/> matches in this view, from the index statistics (for the query planner).</summary>
    public long FullTextEstimate(DbAttribute attribute, string query)
    {
        if (!attribute.FullText) throw Errors.FullTextNotIndexed(attribute.Ident);
        var parsed = FullTextQueryParser.Parse(query, FullTextIndex.AnalyzerOf(attribute));
        return new FullTextSearcher(FullTextSegments(attribute)).EstimateMatches(parsed);
    }

    /// <summary>
    /// The segments of full-text attribute <paramref name="attribute"/> with the documents this view
    /// sees: the current value's, or those current as of its time point, asserted after its
    /// <c>since</c>, and kept by its filter. A history view has no full-text answer (a document is a
    /// value, not an assertion or retraction): <c>fulltext/history</c>.
    /// </summary>
    public IReadOnlyList<SegmentView> FullTextSegments(DbAttribute attribute)
    {
        if (IsHistory) throw Errors.FullTextHistory(attribute.Ident);
        var segments = State.FullText.Of(attribute.Id);
        var views = new SegmentView[segments.Length];
        for (int s = 0; s < views.Length; s++)
        {
            var segment = segments[s];
            views[s] = new SegmentView(segment.Segment, IsCurrent ? segment.CurrentlyVisible() : VisibleDocs.Where(segment.DocCount, doc => Sees(segment, doc, attribute.Id)));
        }
        return views;
    }

    private bool Sees(FullTextSegment segment, int doc, int attrId)
    {
        if (HasAsOf ? !segment.CurrentAsOf(doc, AsOfTx) : segment.Retracted.ContainsKey(doc)) return false;
        if (HasSince && segment.Segment.Tx(doc) <= SinceTx) return false;
        return Filter is null || Filter(new IndexDatom(segment.Segment.Entity(doc), attrId, segment.Segment.Value(doc), segment.Segment.Tx(doc), true));
    }
}
