using System.Globalization;
using System.Reflection;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace Hike.Bench;

/// <summary>
/// Lucene.Net 4.8, the reference of the full-text benchmark: <c>StandardAnalyzer</c> with its English
/// stop words, BM25 (k1 1.2, b 0.75) when indexing and searching, an <c>FSDirectory</c>, a
/// <c>Commit()</c> per batch, the classic <c>QueryParser</c> on the <c>gloss</c> field, the synset id
/// stored as a <c>StringField</c>, segments merged only with their neighbours (so that ties in score
/// fall in the order of indexing). After the load the index is merged into one segment and committed,
/// and queries run on a <c>DirectoryReader</c> opened over it.
/// </summary>
internal sealed class LuceneTarget : IFullTextTarget
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private static readonly ISet<string> IdOnly = new HashSet<string> { "id" };
    private readonly StandardAnalyzer _analyzer = new(Version);
    private readonly BM25Similarity _similarity = new(1.2f, 0.75f);
    private string _dir = "";
    private FSDirectory? _directory;
    private IndexWriter? _writer;
    private DirectoryReader? _reader;
    private IndexSearcher? _searcher;
    private QueryParser? _parser;

    public string Name => "lucene";

    public string Describe()
    {
        string version = typeof(IndexWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
        return $"Lucene.Net {version.Split('+')[0]}, StandardAnalyzer (LUCENE_48, English stop words), BM25Similarity(k1 1.2, b 0.75) on writer and searcher, " +
            $"FSDirectory, LogByteSizeMergePolicy (ties in score fall in indexing order), IndexWriter.Commit() per batch, after the load ForceMerge(1) + Commit + DirectoryReader.Open ({_reader?.Leaves.Count.ToString(CultureInfo.InvariantCulture) ?? "?"} segments), classic QueryParser on gloss, id a stored StringField";
    }

    public Task OpenAsync(string dir)
    {
        _dir = dir;
        _directory = FSDirectory.Open(dir);
        // Merges of adjacent segments only, so that document numbers follow the order of indexing:
        // Lucene breaks ties in score by document number, and a third of the queries tie at the 10th
        // answer. The default TieredMergePolicy merges segments that are not neighbours, and ties then
        // fall in an order that only its merge history explains, which no other system can reproduce.
        var config = new IndexWriterConfig(Version, _analyzer) { Similarity = _similarity, OpenMode = OpenMode.CREATE, MergePolicy = new LogByteSizeMergePolicy() };
        _writer = new IndexWriter(_directory, config);
        _writer.Commit();
        _parser = new QueryParser(Version, "gloss", _analyzer);
        return Task.CompletedTask;
    }

    public Task IndexAsync(IReadOnlyList<WordNet.Gloss> glosses)
    {
        var writer = _writer ?? throw new InvalidOperationException("not open");
        foreach (var g in glosses)
        {
            writer.AddDocument(new Document
            {
                new StringField("id", g.Id, Field.Store.YES),
                new TextField("gloss", g.Text, Field.Store.NO),
            });
        }
        writer.Commit();
        return Task.CompletedTask;
    }

    public Task FinishLoadingAsync()
    {
        var writer = _writer ?? throw new InvalidOperationException("not open");
        // Merged into one segment and committed, timed with the load: the shape Lucene's default
        // TieredMergePolicy settles this index in by itself (it ends the load with one segment), which
        // LogByteSizeMergePolicy does not (ten, and queries twice as slow); and no merge runs while
        // queries are timed.
        writer.ForceMerge(1);
        writer.Commit();
        _reader?.Dispose();
        _reader = DirectoryReader.Open(_directory!);
        _searcher = new IndexSearcher(_reader) { Similarity = _similarity };
        return Task.CompletedTask;
    }

    public IReadOnlyList<FullTextHit> Search(WordNet.Query query, int k)
    {
        var searcher = _searcher ?? throw new InvalidOperationException("FinishLoadingAsync first");
        var top = searcher.Search(_parser!.Parse(query.Text), k);
        var hits = new FullTextHit[top.ScoreDocs.Length];
        for (int i = 0; i < hits.Length; i++)
        {
            var sd = top.ScoreDocs[i];
            hits[i] = new FullTextHit(searcher.Doc(sd.Doc, IdOnly).Get("id"), sd.Score);
        }
        return hits;
    }

    public long BytesOnDisk() => FullTextBench.FolderBytes(_dir);

    public void Dispose()
    {
        _reader?.Dispose();
        _writer?.Dispose();
        _directory?.Dispose();
        _analyzer.Dispose();
    }
}
