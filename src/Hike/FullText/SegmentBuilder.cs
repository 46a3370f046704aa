using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Lucene.Net.Analysis;

namespace Hike.FullText;

/// <summary>
/// Builds a <see cref="Segment"/> from documents, analyzing each value with the attribute's analyzer.
/// Documents get doc numbers in the order they are added. Each token is recorded as (term number, doc,
/// position) in one growing buffer; <see cref="Build()"/> sorts the distinct terms by their UTF-8 bytes
/// and groups the tokens by term with a counting sort, which keeps each term's docs and positions in
/// the order they were added. So a document costs its analysis and a dictionary lookup per token, and
/// nothing is allocated per token or per posting. Not thread-safe; the analyzer may be shared.
/// </summary>
internal sealed class SegmentBuilder : IDisposable
{
    private readonly Analyzer _analyzer;
    private readonly AnalyzedValues? _ahead;
    private int[][]? _aheadTerms;   // per part of _ahead, its term numbers to this builder's (-1 until first used)
    private readonly Dictionary<string, int> _terms = new(StringComparer.Ordinal);
    private readonly List<(FullTextDocument Document, FieldLength Length)> _docs = [];
    private int[] _tokens = ArrayPool<int>.Shared.Rent(3 * 256);   // (term, doc, position) per token, in the order analysed
    private int _tokenCount;

    /// <summary>
    /// A builder whose documents are analyzed by <paramref name="analyzer"/>, taking the tokens of
    /// values <paramref name="ahead"/> analysed already (taken: <see cref="AnalyzedValues.Take"/>).
    /// </summary>
    public SegmentBuilder(Analyzer analyzer, AnalyzedValues? ahead = null)
    {
        ArgumentNullException.ThrowIfNull(analyzer);
        _analyzer = analyzer;
        _ahead = ahead;
    }

    /// <summary>Documents added so far.</summary>
    public int Count => _docs.Count;

    /// <summary>A segment of <paramref name="documents"/>, in their order, with the tokens <paramref name="ahead"/> holds for any of them.</summary>
    public static Segment Build(Analyzer analyzer, IEnumerable<FullTextDocument> documents, AnalyzedValues? ahead = null)
    {
        ArgumentNullException.ThrowIfNull(documents);
        using var builder = new SegmentBuilder(analyzer, ahead);
        foreach (var d in documents) builder.Add(d);
        return builder.Build();
    }

    /// <summary>Adds a document, analyzing its value (or taking its analysis from the values analysed ahead); returns its doc number.</summary>
    public int Add(FullTextDocument document)
    {
        ArgumentNullException.ThrowIfNull(document.Value);
        int doc = _docs.Count;
        FieldLength length;
        if (_ahead is not null && _ahead.TryGet(_analyzer, document.Value, out var analysed))
        {
            _aheadTerms ??= new int[_ahead.PartCount][];
            var map = _aheadTerms[analysed.Part];
            if (map is null) Array.Fill(map = _aheadTerms[analysed.Part] = new int[_ahead.TermCount(analysed.Part)], -1);
            for (int i = analysed.Start; i < analysed.Start + analysed.Count; i++)
            {
                var (term, position) = _ahead.Token(analysed.Part, i);
                int number = map[term];
                if (number < 0) map[term] = number = TermNumber(_ahead.Term(analysed.Part, term));
                AddToken(number, doc, position);
            }
            length = analysed.Length;
        }
        else
        {
            var sink = new Sink(this, doc);
            length = FullTextAnalyzers.Analyze(_analyzer, document.Value, ref sink);
        }
        _docs.Add((document, length));
        return doc;
    }

    private int TermNumber(string term)
    {
        if (!_terms.TryGetValue(term, out int number)) _terms[term] = number = _terms.Count;
        return number;
    }

    private void AddToken(int term, int doc, int position)
    {
        PooledInts.EnsureCapacity(ref _tokens, 3 * _tokenCount, 3 * (_tokenCount + 1));
        int at = 3 * _tokenCount++;
        _tokens[at] = term;
        _tokens[at + 1] = doc;
        _tokens[at + 2] = position;
    }

    /// <summary>The segment of every document added. The builder can go on adding and build again.</summary>
    public Segment Build()
    {
        int termCount = _terms.Count;
        var pool = ArrayPool<int>.Shared;
        var termStrings = ArrayPool<string>.Shared.Rent(termCount);
        int[] order = pool.Rent(termCount), utf8Starts = pool.Rent(termCount + 1), rank = pool.Rent(termCount), starts = pool.Rent(termCount + 1);
        int[] next = pool.Rent(termCount + 1), docs = pool.Rent(_tokenCount), positions = pool.Rent(_tokenCount);
        byte[]? utf8 = null;
        try
        {
            // The distinct terms in ascending UTF-8 byte order: sorted by their first eight bytes as one
            // number, then each run that shares those by all its bytes.
            int maxBytes = 0;
            foreach (var (term, number) in _terms)
            {
                termStrings[number] = term;
                order[number] = number;
                maxBytes += Encoding.UTF8.GetMaxByteCount(term.Length);
            }
            utf8 = ArrayPool<byte>.Shared.Rent(Math.Max(maxBytes, 1));
            var keys = ArrayPool<ulong>.Shared.Rent(termCount);
            try
            {
                utf8Starts[0] = 0;
                Span<byte> prefix = stackalloc byte[8];
                for (int t = 0; t < termCount; t++)
                {
                    utf8Starts[t + 1] = utf8Starts[t] + Encoding.UTF8.GetBytes(termStrings[t], utf8.AsSpan(utf8Starts[t]));
                    prefix.Clear();
                    var bytes = utf8.AsSpan(utf8Starts[t], utf8Starts[t + 1] - utf8Starts[t]);
                    bytes[..Math.Min(8, bytes.Length)].CopyTo(prefix);
                    keys[t] = BinaryPrimitives.ReadUInt64BigEndian(prefix);
                }
                Array.Sort(keys, order, 0, termCount);
                for (int run = 0; run < termCount;)
                {
                    int end = run + 1;
                    while (end < termCount && keys[end] == keys[run]) end++;
                    if (end - run > 1) order.AsSpan(run, end - run).Sort((a, b) => Utf8Of(a).SequenceCompareTo(Utf8Of(b)));
                    run = end;
                }
            }
            finally
            {
                ArrayPool<ulong>.Shared.Return(keys);
            }
            ReadOnlySpan<byte> Utf8Of(int term) => utf8.AsSpan(utf8Starts[term], utf8Starts[term + 1] - utf8Starts[term]);

            // A counting sort of the tokens by the rank of their term: each term's tokens end up together, in the order added.
            for (int r = 0; r < termCount; r++) rank[order[r]] = r;
            Array.Clear(starts, 0, termCount + 1);
            for (int i = 0; i < _tokenCount; i++) starts[rank[_tokens[3 * i]] + 1]++;
            for (int r = 0; r < termCount; r++) starts[r + 1] += starts[r];
            Array.Copy(starts, next, termCount + 1);
            for (int i = 0; i < _tokenCount; i++)
            {
                int at = next[rank[_tokens[3 * i]]]++;
                docs[at] = _tokens[3 * i + 1];
                positions[at] = _tokens[3 * i + 2];
            }

            long valueBytes = 0;
            foreach (var (document, _) in _docs) valueBytes += document.Value.Length;
            using var writer = new SegmentWriter(docsBytes: (int)Math.Min(valueBytes + 16L * _docs.Count, Array.MaxLength / 2),
                termsBytes: utf8Starts[termCount] + 8 * termCount, postingsBytes: _tokenCount + 8, positionsBytes: _tokenCount + 8);
            foreach (var (document, length) in _docs)
            {
                writer.AddDocument(document.Entity, document.Tx, length, document.Value);
            }
            for (int r = 0; r < termCount; r++)
            {
                // Two strings can have one UTF-8 form (lone surrogates both become U+FFFD): their postings would need
                // interleaving; such terms are vanishingly rare, so the later one is dropped rather than merged.
                if (r > 0 && Utf8Of(order[r]).SequenceEqual(Utf8Of(order[r - 1]))) continue;
                writer.BeginTerm(Utf8Of(order[r]));
                for (int at = starts[r]; at < starts[r + 1];)
                {
                    int doc = docs[at], run = at + 1;
                    while (run < starts[r + 1] && docs[run] == doc) run++;
                    writer.AddPosting(doc, positions.AsSpan(at, run - at));
                    at = run;
                }
                writer.EndTerm();
            }
            return Segment.Written(writer.ToArray());
        }
        finally
        {
            ArrayPool<string>.Shared.Return(termStrings, clearArray: true);
            foreach (var rented in (int[][])[order, utf8Starts, rank, starts, next, docs, positions]) pool.Return(rented);
            if (utf8 is not null) ArrayPool<byte>.Shared.Return(utf8);
        }
    }

    /// <summary>Returns the token buffer to the pool; the builder is not used after.</summary>
    public void Dispose()
    {
        if (_tokens.Length == 0) return;
        ArrayPool<int>.Shared.Return(_tokens);
        _tokens = [];
    }

    private readonly struct Sink(SegmentBuilder builder, int doc) : ITermSink
    {
        public void Add(ReadOnlySpan<char> term, int position)
        {
            var lookup = builder._terms.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!lookup.TryGetValue(term, out int number))
            {
                number = builder._terms.Count;
                lookup[term] = number;
            }
            builder.AddToken(number, doc, position);
        }
    }
}
