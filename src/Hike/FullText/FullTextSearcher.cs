
namespace Hike.FullText;

/// <summary>
/// Evaluates <see cref="FullTextQuery"/> values over a list of segments, each with the documents
/// visible to it, and ranks by BM25 as Lucene.Net 4.8 does (<see cref="Bm25"/>).
/// <para>
/// The collection statistics count visible documents only: the document count N, the total of their
/// tokens (hence the average length) and each term's document frequency. Lucene counts a deleted
/// document until a merge drops it; Hike, whose documents become invisible through retraction and
/// as-of, counts what the database value shows, so a search scores as Lucene would over an index of
/// just the visible documents, whatever the segments' history.
/// </para>
/// <para>
/// Ties in score fall in doc order, as in Lucene: segment order (oldest first) then doc number, which
/// is insertion order because merges keep it; on a corpus loaded in order that is Lucene's order too.
/// </para>
/// Made for one database value (it computes N and the average length once); thread-safe for searching,
/// as each search builds its own scorers.
/// </summary>
internal sealed class FullTextSearcher
{
    private readonly SegmentView[] _segments;
    private readonly float[] _lengthCache;

    /// <summary>A searcher over <paramref name="segments"/> in doc order (oldest first). O(documents) the first time a visible-docs set is used, O(segments) after.</summary>
    public FullTextSearcher(IReadOnlyList<SegmentView> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        _segments = [.. segments];
        long docCount = 0, tokens = 0;
        foreach (var view in _segments)
        {
            var segment = view.Segment;
            if (view.Visible is null)
            {
                docCount += segment.DocCount;
                tokens += segment.TotalTokens;
                continue;
            }
            if (view.Visible.DocCount != segment.DocCount) throw new ArgumentException("A visible-docs set must range over its segment's documents", nameof(segments));
            docCount += view.Visible.Count;
            tokens += view.Visible.TokensOf(segment);
        }
        DocCount = docCount;
        TotalTokens = tokens;
        _lengthCache = Bm25.LengthCache(Bm25.AverageLength(tokens, docCount));
    }

    /// <summary>Visible documents (BM25's N).</summary>
    public long DocCount { get; }

    /// <summary>Tokens of the visible documents (Lucene's <c>sumTotalTermFreq</c>).</summary>
    public long TotalTokens { get; }

    /// <summary>The segments, in the order hits name them by index.</summary>
    public IReadOnlyList<SegmentView> Segments => _segments;

    /// <summary>The value of the document a hit names.</summary>
    public string Value(FullTextHit hit) => _segments[hit.Segment].Segment.Value(hit.Doc);

    /// <summary>
    /// The visible documents <paramref name="query"/> matches, best first (ties in doc order), at most
    /// <paramref name="limit"/> of them (<see cref="int.MaxValue"/> for all). O(postings of its terms +
    /// matches · log limit).
    /// </summary>
    public List<FullTextHit> Search(FullTextQuery query, int limit)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var collector = new TopHits(limit);
        if (DocCount == 0) return collector.Result();
        var stats = new Dictionary<string, TermStats>(StringComparer.Ordinal);
        for (int s = 0; s < _segments.Length; s++)
        {
            var scorer = CreateScorer(query, s, stats);
            if (scorer is null) continue;
            var segment = _segments[s].Segment;
            for (int doc = scorer.NextDoc(); doc != DocScorer.NoMoreDocs; doc = scorer.NextDoc())
            {
                collector.Collect(s, doc, scorer.Score(), segment);
            }
        }
        return collector.Result();
    }

    /// <summary>
    /// An upper bound on the documents <paramref name="query"/> matches, from the statistics alone (no
    /// postings read), for a query planner: a term's document frequency, a phrase's rarest term's, a
    /// prefix's terms' summed, a conjunction's smallest, a disjunction's sum; at most <see cref="DocCount"/>.
    /// </summary>
    public long EstimateMatches(FullTextQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var stats = new Dictionary<string, TermStats>(StringComparer.Ordinal);
        return Math.Min(DocCount, Estimate(query, stats));
    }

    private long Estimate(FullTextQuery query, Dictionary<string, TermStats> stats) => query switch
    {
        FullTextTerm term => Stats(term.Term, stats).DocFreq,
        FullTextPhrase phrase => phrase.Terms.Length == 0 ? 0 : phrase.Terms.Min(t => Stats(t, stats).DocFreq),
        FullTextPrefix prefix => PrefixEstimate(prefix.Prefix),
        FullTextBoolean boolean => BooleanEstimate(boolean, stats),
        _ => DocCount,
    };

    private long BooleanEstimate(FullTextBoolean boolean, Dictionary<string, TermStats> stats)
    {
        long must = long.MaxValue, should = 0;
        bool anyMust = false;
        foreach (var clause in boolean.Clauses)
        {
            if (clause.Occur == FullTextOccur.Must)
            {
                anyMust = true;
                must = Math.Min(must, Estimate(clause.Query, stats));
            }
            else if (clause.Occur == FullTextOccur.Should)
            {
                should = Math.Min(DocCount, should + Estimate(clause.Query, stats));
            }
        }
        return anyMust ? must : should;
    }

    private long PrefixEstimate(string prefix)
    {
        var utf8 = System.Text.Encoding.UTF8.GetBytes(prefix);
        long sum = 0;
        foreach (var view in _segments)
        {
            var (start, end) = view.Segment.PrefixRange(utf8);
            for (int t = start; t < end && sum < DocCount; t++) sum += view.Segment.DocFreq(t);
        }
        return sum;
    }

    /// <summary>How many visible documents hold <paramref name="term"/> (an analyzed term).</summary>
    public long DocFreq(string term) => Stats(term, new Dictionary<string, TermStats>(StringComparer.Ordinal)).DocFreq;

    private DocScorer? CreateScorer(FullTextQuery query, int s, Dictionary<string, TermStats> stats)
    {
        var view = _segments[s];
        switch (query)
        {
            case FullTextTerm term:
            {
                var st = Stats(term.Term, stats);
                int ord = st.Ordinals[s];
                if (ord < 0) return null;
                return new TermScorer(view.Segment.Postings(ord), view.Visible, view.Segment.Norms, Bm25.WeightValue(Bm25.Idf(st.DocFreq, DocCount)), _lengthCache);
            }
            case FullTextPhrase phrase:
                return CreatePhraseScorer(phrase, s, stats);
            case FullTextPrefix prefix:
                return CreatePrefixScorer(prefix, view);
            case FullTextBoolean boolean:
            {
                List<DocScorer>? required = null, optional = null, prohibited = null;
                foreach (var clause in boolean.Clauses)
                {
                    var sub = CreateScorer(clause.Query, s, stats);
                    switch (clause.Occur)
                    {
                        case FullTextOccur.Must:
                            if (sub is null) return null;
                            (required ??= []).Add(sub);
                            break;
                        case FullTextOccur.MustNot:
                            if (sub is not null) (prohibited ??= []).Add(sub);
                            break;
                        default:
                            if (sub is not null) (optional ??= []).Add(sub);
                            break;
                    }
                }
                if (required is null && optional is null) return null;
                if (required is { Count: 1 } && optional is null && prohibited is null) return required[0];
                if (required is null && optional is { Count: 1 } && prohibited is null) return optional[0];
                return new BooleanScorer(required?.ToArray() ?? [], optional?.ToArray() ?? [], prohibited?.ToArray() ?? []);
            }
            default:
                throw new ArgumentException($"Unknown full-text query {query.GetType().Name}", nameof(query));
        }
    }

    private PhraseScorer? CreatePhraseScorer(FullTextPhrase phrase, int s, Dictionary<string, TermStats> stats)
    {
        if (phrase.Terms.IsEmpty) return null;
        var view = _segments[s];
        // A phrase's idf is the sum of its terms' idfs, added in float in the phrase's order (Lucene's IdfExplain).
        float idf = 0f;
        var cursors = new PostingsCursor[phrase.Terms.Length];
        var offsets = new int[phrase.Terms.Length];
        bool missing = false;
        for (int i = 0; i < phrase.Terms.Length; i++)
        {
            var st = Stats(phrase.Terms[i], stats);
            idf += Bm25.Idf(st.DocFreq, DocCount);
            int ord = st.Ordinals[s];
            if (ord < 0) missing = true;
            else cursors[i] = view.Segment.Postings(ord);
            offsets[i] = phrase.Positions[i];
        }
        if (missing) return null;
        return new PhraseScorer(cursors, offsets, view.Visible, view.Segment.Norms, Bm25.WeightValue(idf), _lengthCache);
    }

    private static BitSetScorer? CreatePrefixScorer(FullTextPrefix prefix, SegmentView view)
    {
        var segment = view.Segment;
        var (start, end) = segment.PrefixRange(SegmentWriter.Utf8(prefix.Prefix));
        if (start == end) return null;
        var bits = new ulong[(segment.DocCount + 63) >> 6];
        bool any = false;
        for (int t = start; t < end; t++)
        {
            var cursor = segment.Postings(t);
            while (cursor.MoveNext())
            {
                if (!view.IsVisible(cursor.Doc)) continue;
                bits[cursor.Doc >> 6] |= 1UL << cursor.Doc;
                any = true;
            }
        }
        return any ? new BitSetScorer(bits, segment.DocCount, 1f) : null;
    }

    /// <summary>A term's ordinal in each segment (-1 where absent) and its visible document frequency, computed once per search.</summary>
    private TermStats Stats(string term, Dictionary<string, TermStats> cache)
    {
        if (cache.TryGetValue(term, out var found)) return found;
        var utf8 = SegmentWriter.Utf8(term);
        var ordinals = new int[_segments.Length];
        long df = 0;
        for (int s = 0; s < _segments.Length; s++)
        {
            var view = _segments[s];
            int ord = ordinals[s] = view.Segment.FindTerm(utf8);
            if (ord < 0) continue;
            if (view.Visible is null)
            {
                df += view.Segment.DocFreq(ord);
                continue;
            }
            var cursor = view.Segment.Postings(ord);
            while (cursor.MoveNext())
            {
                if (view.Visible.Contains(cursor.Doc)) df++;
            }
        }
        var stats = new TermStats(ordinals, df);
        cache[term] = stats;
        return stats;
    }

    private sealed record TermStats(int[] Ordinals, long DocFreq);

    /// <summary>The best <c>limit</c> hits: a heap whose root is the worst kept (lowest score, latest doc among equals).</summary>
    private sealed class TopHits(int limit)
    {
        private readonly List<FullTextHit> _heap = [];

        public void Collect(int segment, int doc, float score, Segment source)
        {
            if (_heap.Count == limit)
            {
                // Docs come in ascending order, so an equal score loses to the earlier doc already kept.
                if (score <= _heap[0].Score) return;
                _heap[0] = Hit(segment, doc, score, source);
                SiftDown(0);
                return;
            }
            _heap.Add(Hit(segment, doc, score, source));
            SiftUp(_heap.Count - 1);
        }

        public List<FullTextHit> Result()
        {
            _heap.Sort(static (a, b) => Better(a, b) ? -1 : Better(b, a) ? 1 : 0);
            return _heap;
        }

        private static FullTextHit Hit(int segment, int doc, float score, Segment source) =>
            new(segment, doc, source.Entity(doc), source.Tx(doc), score);

        /// <summary>True when <paramref name="a"/> ranks before <paramref name="b"/>: higher score, then earlier doc.</summary>
        private static bool Better(FullTextHit a, FullTextHit b) =>
            a.Score != b.Score ? a.Score > b.Score : a.Segment != b.Segment ? a.Segment < b.Segment : a.Doc < b.Doc;

        private void SiftUp(int i)
        {
            while (i > 0)
            {
                int parent = (i - 1) >> 1;
                if (!Better(_heap[parent], _heap[i])) break;
                (_heap[parent], _heap[i]) = (_heap[i], _heap[parent]);
                i = parent;
            }
        }

        private void SiftDown(int i)
        {
            int n = _heap.Count;
            while (true)
            {
                int worst = i, l = 2 * i + 1, r = l + 1;
                if (l < n && Better(_heap[worst], _heap[l])) worst = l;
                if (r < n && Better(_heap[worst], _heap[r])) worst = r;
                if (worst == i) return;
                (_heap[worst], _heap[i]) = (_heap[i], _heap[worst]);
                i = worst;
            }
        }
    }
}
