using Hike.Api;
using Hike.Db;
using Hike.Edn;

namespace Hike.Bench;

/// <summary>
/// Hike's full-text index: synsets as entities (<c>:synset/id</c>, not indexed for lookup, as FTS5's
/// <c>UNINDEXED</c> id column) with their gloss in a
/// <c>:db/fulltext</c> attribute (the <c>:standard</c> analyzer, as Lucene.Net's <c>StandardAnalyzer</c>),
/// in the embedded file store without history (as the peers keep none), one transaction per batch;
/// queries through <see cref="Database.Search(Keyword, string, int)"/> on the connection's current value,
/// each answer's synset id read from the database.
/// </summary>
internal sealed class HikeFullTextTarget : IFullTextTarget
{
    private static readonly Keyword IdKey = Keyword.Intern("synset/id");
    private static readonly Keyword GlossKey = Keyword.Intern("synset/gloss");
    private string _dir = "";
    private Connection? _conn;

    public string Name => "hike";

    public string Describe() =>
        "Hike, :synset/gloss with :db/fulltext true (:standard analyzer), :synset/id a plain string (no :db/unique, so no AVET entry), embedded file store, :keep-history? false, one transaction per batch, Database.Search on the current value";

    public async Task OpenAsync(string dir)
    {
        _dir = dir;
        var config = new DatabaseConfig
        {
            Store = StoreConfig.File(Path.Combine(dir, "db")),
            KeepHistory = false,
            InitialTx = EdnReader.Read("""
                [{:db/ident :synset/id :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
                 {:db/ident :synset/gloss :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/fulltext true}]
                """),
        };
        _conn = await Database.CreateAndConnectAsync(config);
    }

    public async Task IndexAsync(IReadOnlyList<WordNet.Gloss> glosses)
    {
        var data = new List<object?>(glosses.Count);
        foreach (var g in glosses) data.Add(EdnMap.Of(IdKey, g.Id, GlossKey, g.Text));
        await Conn.TransactAsync(data);
    }

    public Task FinishLoadingAsync() => Task.CompletedTask;

    public IReadOnlyList<FullTextHit> Search(WordNet.Query query, int k)
    {
        var db = Conn.Db;
        var results = db.Search(GlossKey, query.Text, k);
        var hits = new FullTextHit[results.Count];
        for (int i = 0; i < hits.Length; i++)
        {
            var id = db.Datoms(IndexType.Eavt, results[i].Entity, IdKey).First().V;
            hits[i] = new FullTextHit((string)id, results[i].Score);
        }
        return hits;
    }

    public long BytesOnDisk() => Directory.EnumerateFiles(_dir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

    public void Dispose() => _conn?.Dispose();

    private Connection Conn => _conn ?? throw new InvalidOperationException("Open the target first");
}
