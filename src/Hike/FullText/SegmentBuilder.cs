using System.Runtime.InteropServices;
using Lucene.Net.Analysis;

namespace Hike.FullText;

/// <summary>
/// Builds a <see cref="Segment"/> from documents, analyzing each value with the attribute's analyzer.
/// Documents get doc numbers in the order they are added. Not thread-safe; the analyzer may be shared.
/// Costs one analysis per document and one sort of the distinct terms.
/// </summary>
internal sealed class SegmentBuilder
{
    private readonly Analyzer _analyzer;
    private readonly Dictionary<string, TermPostings> _terms = new(StringComparer.Ordinal);
    private readonly List<(FullTextDocument Document, FieldLength Length)> _docs = [];

    /// <summary>A builder whose documents are analyzed by <paramref name="analyzer"/>.</summary>
    public SegmentBuilder(Analyzer analyzer)
    {
        ArgumentNullException.ThrowIfNull(analyzer);
        _analyzer = analyzer;
    }

    /// <summary>Documents added so far.</summary>
    public int Count => _docs.Count;

    /// <summary>A segment of <paramref name="documents"/>, in their order.</summary>
    public static Segment Build(Analyzer analyzer, IEnumerable<FullTextDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var builder = new SegmentBuilder(analyzer);
        foreach (var d in documents) builder.Add(d);
        return builder.Build();
    }

    /// <summary>Adds a document, analyzing its value; returns its doc number.</summary>
    public int Add(FullTextDocument document)
    {
        ArgumentNullException.ThrowIfNull(document.Value);
        int doc = _docs.Count;
        var sink = new Sink(this, doc);
        var length = FullTextAnalyzers.Analyze(_analyzer, document.Value, ref sink);
        _docs.Add((document, length));
        return doc;
    }

    /// <summary>The segment of every document added. The builder can go on adding and build again.</summary>
    public Segment Build()
    {
        var terms = new (byte[] Utf8, TermPostings Postings)[_terms.Count];
        int i = 0;
        foreach (var (term, postings) in _terms) terms[i++] = (SegmentWriter.Utf8(term), postings);
        Array.Sort(terms, static (a, b) => a.Utf8.AsSpan().SequenceCompareTo(b.Utf8));

        using var writer = new SegmentWriter();
        foreach (var (document, length) in _docs)
        {
            writer.AddDocument(document.Entity, document.Tx, length, SegmentWriter.Utf8(document.Value));
        }
        for (int t = 0; t < terms.Length; t++)
        {
            // Two strings can have one UTF-8 form (lone surrogates both become U+FFFD): their postings would need
            // interleaving; such terms are vanishingly rare, so the later one is dropped rather than merged.
            if (t > 0 && terms[t].Utf8.AsSpan().SequenceEqual(terms[t - 1].Utf8)) continue;
            var p = terms[t].Postings;
            writer.BeginTerm(terms[t].Utf8);
            var positions = CollectionsMarshal.AsSpan(p.Positions);
            int at = 0;
            for (int d = 0; d < p.Docs.Count; d++)
            {
                int freq = p.Freqs[d];
                writer.AddPosting(p.Docs[d], positions.Slice(at, freq));
                at += freq;
            }
            writer.EndTerm();
        }
        return Segment.Decode(writer.ToArray());
    }

    /// <summary>One term's postings while building: docs ascending, the term's frequency in each, and all positions in a row.</summary>
    private sealed class TermPostings
    {
        public readonly List<int> Docs = [];
        public readonly List<int> Freqs = [];
        public readonly List<int> Positions = [];
    }

    private readonly struct Sink(SegmentBuilder builder, int doc) : ITermSink
    {
        public void Add(ReadOnlySpan<char> term, int position)
        {
            var lookup = builder._terms.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!lookup.TryGetValue(term, out var postings))
            {
                postings = new TermPostings();
                lookup[term] = postings;
            }
            if (postings.Docs.Count == 0 || postings.Docs[^1] != doc)
            {
                postings.Docs.Add(doc);
                postings.Freqs.Add(0);
            }
            postings.Freqs[^1]++;
            postings.Positions.Add(position);
        }
    }
}
