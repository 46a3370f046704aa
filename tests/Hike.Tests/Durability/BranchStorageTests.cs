using Hike.Api;
using Hike.Edn;
using Hike.Index.Stored;
using Hike.Index.Tree;
using Hike.Storage;
using Hike.Testing;
using static Hike.Tests.Durability.DurableFixture;

namespace Hike.Tests.Durability;

/// <summary>Branches in the file store: shared structure, reclaiming deleted branches, readers of branches.</summary>
public sealed class BranchStorageTests
{
    private const string Schema = "[{:db/ident :n :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique :db.unique/identity} {:db/ident :v :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]";

    private static readonly Keyword Main = K("db");

    [Fact]
    public async Task Branches_share_structure_so_a_commit_on_a_branch_stores_only_what_it_changed()
    {
        using var dir = new TempDirectory();
        var config = Config(dir);
        using var main = await Database.CreateAndConnectAsync(config);
        for (int start = 0; start < 40_000; start += 10_000) main.Transact(Entities(start, 10_000, "base"));
        long stored = PackBytes(dir.Path);

        await main.BranchAsync(Main, K("left"));
        await main.BranchAsync(Main, K("right"));
        Assert.Equal(stored, PackBytes(dir.Path));

        using var left = await Database.ConnectAsync(config with { Branch = K("left") });
        using var right = await Database.ConnectAsync(config with { Branch = K("right") });
        left.Transact("[{:n 5 :v \"left\"} {:n 100000 :v \"new on left\"}]");
        right.Transact("[{:n 39999 :v \"right\"}]");
        long grown = PackBytes(dir.Path) - stored;
        // Each commit wrote the paths to what it changed: kilobytes, against megabytes for the database.
        Assert.True(grown < stored / 50, $"two one-entity commits on branches wrote {grown} bytes over {stored}");

        left.Release();
        right.Release();
        main.Release();
        using var leftAgain = await Database.ConnectAsync(config with { Branch = K("left") });
        using var rightAgain = await Database.ConnectAsync(config with { Branch = K("right") });
        using var mainAgain = await Database.ConnectAsync(config);
        Assert.Equal("left", V(leftAgain.Db, 5));
        Assert.Equal("new on left", V(leftAgain.Db, 100000));
        Assert.Equal("base", V(leftAgain.Db, 39999));
        Assert.Equal("right", V(rightAgain.Db, 39999));
        Assert.Equal("base", V(rightAgain.Db, 5));
        Assert.Null(rightAgain.Db.Entid("[:n 100000]"));
        Assert.Equal("base", V(mainAgain.Db, 5));
        Assert.Equal(40_000L, Datalog.Q("[:find (count ?e) . :where [?e :n]]", mainAgain.Db));
        ReadEverything(leftAgain.Db);
        ReadEverything(rightAgain.Db);
    }

    [Fact]
    public async Task Deleting_a_branch_and_collecting_reclaims_what_only_it_reached()
    {
        using var dir = new TempDirectory();
        var config = Config(dir);
        using var main = await Database.CreateAndConnectAsync(config);
        main.Transact(Entities(0, 2_000, "base"));
        await main.GcStorageAsync(DateTime.UtcNow.AddMinutes(1));
        long before = LiveBytes(dir.Path);

        await main.BranchAsync(Main, K("big"));
        using (var big = await Database.ConnectAsync(config with { Branch = K("big") }))
        {
            for (int start = 2_000; start < 20_000; start += 3_000) big.Transact(Entities(start, 3_000, "big"));
        }
        var bigHead = (await main.BranchAsDbAsync(K("big"))).CommitId!.Value;
        long withBranch = LiveBytes(dir.Path);
        Assert.True(withBranch > before * 3, $"{withBranch} bytes with the branch, {before} without");

        // Kept while the branch exists, even when its history is older than the cut-off.
        await main.GcStorageAsync(DateTime.UtcNow.AddMinutes(1));
        Assert.Equal(18_000L + 2_000, Datalog.Q("[:find (count ?e) . :where [?e :n]]", await main.BranchAsDbAsync(K("big"))));

        await main.DeleteBranchAsync(K("big"));
        int deleted = await main.GcStorageAsync(DateTime.UtcNow.AddMinutes(1));
        Assert.True(deleted > 0);
        long after = LiveBytes(dir.Path);
        Assert.True(after <= before, $"{after} bytes live after collecting the deleted branch, {before} before it was made");
        Assert.Equal("commit/missing", (await Assert.ThrowsAsync<HikeException>(() => main.CommitAsDbAsync(bigHead))).Code);
        main.Release();
        using var reopened = await Database.ConnectAsync(config);
        ReadEverything(reopened.Db);
        Assert.Equal(2_000L, Datalog.Q("[:find (count ?e) . :where [?e :n]]", reopened.Db));
        Assert.Equal([Main], await reopened.GetBranchesAsync());
    }

    [Fact]
    public async Task A_reader_of_another_store_handle_follows_branches_the_writer_creates_moves_and_deletes()
    {
        using var dir = new TempDirectory();
        var config = DurableFixture.Config() with { InitialTx = EdnReader.Read(Schema) };
        using var writer = Create(new FileStore(dir.Path), config);
        writer.Transact("[{:n 1 :v \"one\"}]");
        await writer.BranchAsync(Main, K("feature"));
        // A second handle on the folder, as another process has.
        using var reader = Open(new FileStore(dir.Path), config with { Branch = K("feature") });
        Assert.Equal("one", V(reader.Db, 1));
        Assert.Contains(K("feature"), await reader.GetBranchesAsync());

        using var featureWriter = new Connection(WriterOf(writer), config with { Branch = K("feature") });
        featureWriter.Transact("[{:n 1 :v \"changed\"}]");
        Assert.Equal("changed", V(reader.Db, 1));
        Assert.Equal(featureWriter.Db.CommitId, reader.Db.CommitId);

        await writer.DeleteBranchAsync(K("feature"));
        Assert.Equal("branch/missing", Assert.Throws<HikeException>(() => reader.Db).Code);
    }

    [Fact]
    public async Task The_main_branch_is_the_one_the_database_was_created_with_whichever_branch_opens_it_first()
    {
        // Datahike's delete-branch! refuses :db whoever asks (versioning.cljc); a process whose first
        // connection is to another branch must not take that branch for the main one.
        using var dir = new TempDirectory();
        var config = Config(dir);
        using (var creator = await Database.CreateAndConnectAsync(config))
        {
            creator.Transact("[{:n 1 :v \"one\"}]");
            await creator.BranchAsync(Main, K("feature"));
        }
        using var feature = await Database.ConnectAsync(config with { Branch = K("feature") });
        Assert.Equal("branch/default", (await Assert.ThrowsAsync<HikeException>(() => feature.DeleteBranchAsync(Main))).Code);
        using var main = await Database.ConnectAsync(config);
        Assert.Equal("one", V(main.Db, 1));
        feature.Release();
        await main.DeleteBranchAsync(K("feature"));
        Assert.Equal(new HashSet<Keyword> { Main }, await main.GetBranchesAsync());
    }

    private static Hike.Writing.DatabaseRuntime WriterOf(Connection conn) =>
        (Hike.Writing.DatabaseRuntime)conn.Db.State.Origin!;

    private static DatabaseConfig Config(TempDirectory dir)
    {
        Directory.Delete(dir.Path);
        return new DatabaseConfig { Store = StoreConfig.File(dir.Path), InitialTx = EdnReader.Read(Schema), CacheBytes = 1 << 20 };
    }

    private static string Entities(int start, int count, string v)
    {
        var sb = new System.Text.StringBuilder("[");
        for (int i = start; i < start + count; i++) sb.Append($"{{:n {i} :v \"{v}\"}}");
        return sb.Append(']').ToString();
    }

    private static object? V(Database db, long n) => db.Pull("[:v]", $"[:n {n}]")?[K("v")];

    private static long PackBytes(string path) => Directory.GetFiles(Path.Combine(path, "packs")).Sum(f => new FileInfo(f).Length);

    /// <summary>The bytes of the objects in the packs that garbage collection has not released.</summary>
    private static long LiveBytes(string path)
    {
        using var store = new FileStore(path);
        long live = 0;
        foreach (var key in store.List(Packs.Prefix))
        {
            foreach (var (offset, length) in SegmentObjects(store, key))
            {
                if (store.GetRange(key, offset, length)!.AsSpan().IndexOfAnyExcept((byte)0) >= 0) live += length;
            }
        }
        return live;
    }
}
