using Hike.FullText;
using Lucene.Net.Analysis;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Lucene.Net.QueryParsers.Classic;

namespace Hike.Tests.FullText;

/// <summary>
/// Lucene.Net 4.8 itself, for comparison: an in-memory index of texts (one document each, in order,
/// one segment) searched with <see cref="BM25Similarity"/> and its classic query parser.
/// </summary>
internal sealed class LuceneReference : IDisposable
{
    private readonly RAMDirectory _directory = new();
    private readonly DirectoryReader _reader;
    private readonly IndexSearcher _searcher;
    private readonly Analyzer _analyzer;

    /// <summary>Indexes <paramref name="texts"/>; document i stores i as its id.</summary>
    public LuceneReference(Analyzer analyzer, IReadOnlyList<string> texts)
    {
        _analyzer = analyzer;
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, analyzer) { Similarity = new BM25Similarity() };
        using (var writer = new IndexWriter(_directory, config))
        {
            for (int i = 0; i < texts.Count; i++)
            {
                writer.AddDocument(new Document
                {
                    new StoredField("id", i),
                    new TextField(FullTextAnalyzers.FieldName, texts[i], Field.Store.NO),
                });
            }
            writer.ForceMerge(1);
            writer.Commit();
        }
        _reader = DirectoryReader.Open(_directory);
        _searcher = new IndexSearcher(_reader) { Similarity = new BM25Similarity() };
    }

    /// <summary>The top <paramref name="n"/> (text index, score) for a query in classic syntax.</summary>
    public List<(int Id, float Score)> Search(string query, int n)
    {
        var parsed = new QueryParser(LuceneVersion.LUCENE_48, FullTextAnalyzers.FieldName, _analyzer).Parse(query);
        var top = _searcher.Search(parsed, n);
        return [.. top.ScoreDocs.Select(d => (_searcher.Doc(d.Doc).GetField("id").GetInt32Value()!.Value, d.Score))];
    }

    /// <summary>The (term, position) pairs Lucene's indexer recorded for document <paramref name="doc"/>, by position then term.</summary>
    public List<(string Term, int Position)> IndexedPositions(int doc)
    {
        var result = new List<(string, int)>();
        var terms = MultiFields.GetTerms(_reader, FullTextAnalyzers.FieldName);
        if (terms is null) return result;
        var termsEnum = terms.GetEnumerator();
        while (termsEnum.MoveNext())
        {
            var positions = termsEnum.DocsAndPositions(null, null);
            if (positions.Advance(doc) != doc) continue;
            for (int i = 0; i < positions.Freq; i++) result.Add((termsEnum.Term.Utf8ToString(), positions.NextPosition()));
        }
        return [.. result.OrderBy(p => p.Item2).ThenBy(p => p.Item1, StringComparer.Ordinal)];
    }

    public void Dispose()
    {
        _reader.Dispose();
        _directory.Dispose();
    }
}
