using Hike.Api;
using Hike.Index.Stored;
using Hike.Storage;
using static Hike.Tests.Durability.DurableFixture;

namespace Hike.Tests.Durability;

/// <summary>The full-text index in the store: reopened by another process, shared by branches, kept by GC, small per commit, damage reported.</summary>
public sealed class FullTextDurabilityTests
{
    private const string Schema = "[{:db/ident :gloss :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/fulltext true}]";

    private static long Bytes(MemoryStore store) => store.List("").Sum(key => store.Size(key) ?? 0);

    private static string Words(int i) => $"gloss number {i} about {(i % 2 == 0 ? "even" : "odd")} things and item{i}";

    [Fact]
    public async Task A_reopened_database_searches_what_was_committed_and_branches_share_and_diverge()
    {
        var store = new MemoryStore(appendsInPlace: true);
        using (var conn = Create(store, Config() with { InitialTx = Hike.Edn.EdnReader.Read(Schema) }))
        {
            for (int batch = 0; batch < 25; batch++)
            {
                conn.Transact(Hike.Edn.EdnReader.Read("[" + string.Concat(Enumerable.Range(batch * 10, 10).Select(i => $"{{:gloss \"{Words(i)}\"}} ")) + "]"));
            }
            long first = conn.Db.QValue<long>("[:find ?e . :in $ ?v :where [?e :gloss ?v]]", Words(0));
            conn.Transact($"[[:db/retract {first} :gloss \"{Words(0)}\"]]");
            await conn.BranchAsync("db", "draft");
        }
        using (var reader = Open(store))
        {
            var db = reader.Db;
            Assert.Equal(124, db.Search("gloss", "even", 1000).Count);
            Assert.Equal(Words(7), Assert.Single(db.Search("gloss", "item7")).Value);
            // 25 commits of one small segment each, merged as the tiered policy says: fewer segments than commits.
            Assert.True(db.State.Schema.TryGet(Hike.Edn.Keyword.Intern("gloss"), out var gloss));
            Assert.InRange(db.State.FullText.Of(gloss.Id).Length, 1, 24);
        }
        using (var draft = Open(store, Config() with { Branch = Hike.Edn.Keyword.Intern("draft") }))
        {
            draft.Transact("[{:gloss \"only on the draft branch\"}]");
            Assert.Single(draft.Db.Search("gloss", "draft"));
        }
        using (var main = Open(store))
        {
            Assert.Empty(main.Db.Search("gloss", "draft"));
            await main.GcStorageAsync(DateTime.UtcNow);
            Assert.Equal(124, main.Db.Search("gloss", "even", 1000).Count);
        }
        using var again = Open(store);
        Assert.Equal(124, again.Db.Search("gloss", "even", 1000).Count);
    }

    [Fact]
    public async Task A_reader_in_another_process_searches_what_the_writer_committed()
    {
        using var dir = new Hike.Testing.TempDirectory();
        var config = new DatabaseConfig { Store = StoreConfig.File(dir.Path), InitialTx = Hike.Edn.EdnReader.Read(Schema) };
        using var writer = await Database.CreateAndConnectAsync(config);
        writer.Transact("[{:gloss \"a quiet forest path\"} {:gloss \"city lights at night\"}]");
        Assert.Equal(["hit a quiet forest path", "hits 1"], Search(dir.Path, "forest"));
        writer.Transact("[{:gloss \"forest fire in the dry forest\"}]");
        Assert.Equal(["hit forest fire in the dry forest", "hit a quiet forest path", "hits 2"], Search(dir.Path, "forest"));
    }

    private static List<string> Search(string dir, string query)
    {
        using var reader = new Hike.Testing.ChildProcess("search", dir, ":gloss", query);
        var lines = new List<string>();
        for (var line = reader.NextLine(TimeSpan.FromSeconds(60)); line is not null; line = reader.NextLine(TimeSpan.FromSeconds(60))) lines.Add(line);
        Assert.Equal(0, reader.WaitForExit(TimeSpan.FromSeconds(60)));
        return lines;
    }

    [Fact]
    public void A_bit_flip_in_a_segment_is_a_corruption_naming_it_never_an_empty_answer()
    {
        var disk = new MemoryStore();
        Hike.Index.Tree.NodeAddress address;
        using (var conn = Create(disk, Config() with { InitialTx = Hike.Edn.EdnReader.Read(Schema) }))
        {
            conn.Transact("[{:gloss \"a quiet forest path\"} {:gloss \"city lights at night\"}]");
            // A later commit, so that the damaged pack is not the head's (whose pack is checked whole on opening).
            conn.Transact("[{:gloss \"another gloss\"}]");
            Assert.True(conn.Db.State.Schema.TryGet(Hike.Edn.Keyword.Intern("gloss"), out var gloss));
            address = conn.Db.State.FullText.Of(gloss.Id)[0].Address!.Value;
        }
        var (pack, offset, length) = Packs.Locate(address);
        var bytes = disk.Get(Packs.Key(pack))!;
        bytes[offset + length / 2] ^= 0x04;
        disk.Put(Packs.Key(pack), bytes);
        using var reopened = Open(disk);
        var error = Assert.Throws<CorruptionException>(() => reopened.Db.Search("gloss", "forest"));
        Assert.Equal(Packs.Describe(address), error.Key);
    }

    [Fact]
    public void A_one_value_commit_on_a_large_index_writes_little()
    {
        var store = new MemoryStore(appendsInPlace: true);
        using var conn = Create(store, Config() with { InitialTx = Hike.Edn.EdnReader.Read(Schema) });
        for (int batch = 0; batch < 20; batch++)
        {
            conn.Transact(Hike.Edn.EdnReader.Read("[" + string.Concat(Enumerable.Range(batch * 500, 500).Select(i => $"{{:gloss \"{Words(i)}\"}} ")) + "]"));
        }
        long before = Bytes(store);
        conn.Transact("[{:gloss \"one more gloss about odd things\"}]");
        long written = Bytes(store) - before;
        Assert.InRange(written, 1, 64 * 1024);
    }

    [Fact]
    public async Task Creating_a_branch_of_a_large_index_writes_a_head_not_the_index()
    {
        var store = new MemoryStore(appendsInPlace: true);
        using var conn = Create(store, Config() with { InitialTx = Hike.Edn.EdnReader.Read(Schema) });
        for (int batch = 0; batch < 20; batch++)
        {
            conn.Transact(Hike.Edn.EdnReader.Read("[" + string.Concat(Enumerable.Range(batch * 500, 500).Select(i => $"{{:gloss \"{Words(i)}\"}} ")) + "]"));
        }
        long before = Bytes(store);

        await conn.BranchAsync("db", "draft");

        Assert.InRange(Bytes(store) - before, 1, 1024);
        using var draft = Open(store, Config() with { Branch = Hike.Edn.Keyword.Intern("draft") });
        Assert.Equal(5_000, draft.Db.Search("gloss", "even", 10_000).Count);
    }
}
