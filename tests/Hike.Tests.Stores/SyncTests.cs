using Hike.Api;
using Hike.Edn;
using Hike.Testing;
using Hike.Versioning;

namespace Hike.Tests.Stores;

/// <summary>Store-to-store sync between backends: only what the target lacks, heads last, resumable.</summary>
public sealed class SyncTests : IDisposable
{
    private const string Schema = "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}]";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_file_database_syncs_to_postgresql_and_back_copying_only_what_is_missing()
    {
        var file = await FileDatabase("source", 30);
        var pg = Servers.Postgres(Servers.UniqueTable());

        var first = await Database.SyncAsync(file, pg);
        var again = await Database.SyncAsync(file, pg);
        using (var source = await Database.ConnectAsync(file))
        {
            source.Transact("[{:name \"late\"}]");
        }
        var third = await Database.SyncAsync(file, pg);
        var back = Config(Path.Combine(_dir.Path, "back"));
        await Database.SyncAsync(pg, back);

        Assert.True(first.Objects > 0);
        Assert.Equal([K("db"), K("staging")], first.Branches.Order());
        Assert.Equal((0, 0L), (again.Objects, again.Bytes));
        Assert.Empty(again.Branches);
        Assert.Equal([K("db")], third.Branches);
        Assert.True(third.Bytes < first.Bytes, $"{third.Bytes} bytes for one commit, {first.Bytes} for all");
        foreach (var config in new[] { pg, back })
        {
            using var copy = await Database.ConnectAsync(config);
            Assert.Equal(32L, Datalog.Q("[:find (count ?e) . :where [?e :name]]", copy.Db));
            using var staging = await Database.ConnectAsync(config with { Branch = K("staging") });
            Assert.Equal(30L, Datalog.Q("[:find (count ?e) . :where [?e :name]]", staging.Db));
            Assert.Equal(29L, Datalog.Q("[:find (count ?e) . :where [?e :name]]", staging.Db.AsOf((long)Datalog.Q("[:find (max ?tx) . :where [_ :name \"n28\" ?tx]]", staging.Db)!)));
        }
        await Database.DeleteAsync(pg);
    }

    [Fact]
    public async Task A_sync_of_one_branch_moves_only_its_head()
    {
        var file = await FileDatabase("one", 5);
        var redis = Servers.Redis(Guid.NewGuid().ToString());

        var report = await Database.SyncAsync(file, redis, K("staging"));

        Assert.Equal([K("staging")], report.Branches);
        using var copy = await Database.ConnectAsync(redis with { Branch = K("staging") });
        Assert.Equal(5L, Datalog.Q("[:find (count ?e) . :where [?e :name]]", copy.Db));
        Assert.Equal(ErrorCodes.BranchMissing, (await Assert.ThrowsAsync<HikeException>(() => Database.ConnectAsync(redis))).Code);
        Assert.Equal(ErrorCodes.BranchMissing, (await Assert.ThrowsAsync<HikeException>(() => Database.SyncAsync(file, redis, K("nope")))).Code);
        await Database.DeleteAsync(redis with { Branch = K("staging") });
    }

    [Fact]
    public async Task A_file_database_is_published_to_s3_and_downloaded_from_it()
    {
        var file = await FileDatabase("to-s3", 10);
        var s3 = Servers.S3WithPostgresHeads(Servers.UniqueId());

        var published = await Database.SyncAsync(file, s3);
        var again = await Database.SyncAsync(file, s3);
        var back = Config(Path.Combine(_dir.Path, "from-s3"));
        await Database.SyncAsync(s3, back);

        Assert.True(published.Objects > 0);
        Assert.Equal((0, 0L), (again.Objects, again.Bytes));
        using (var copy = await Database.ConnectAsync(back))
        {
            Assert.Equal(11L, Datalog.Q("[:find (count ?e) . :where [?e :name]]", copy.Db));
        }
        Assert.True(await Database.DeleteAsync(s3));
    }

    [Fact]
    public async Task A_sync_cut_short_leaves_the_target_as_it_was_and_running_it_again_finishes_it()
    {
        var file = await FileDatabase("cut", 20);
        var target = SqliteStoreTests.Config(_dir.Path, "cut");
        await Database.SyncAsync(file, target);
        using (var source = await Database.ConnectAsync(file))
        {
            for (int i = 0; i < 10; i++) source.Transact($"[{{:name \"more{i}\"}}]");
        }
        using var cut = new CancellationTokenSource();
        var progress = new SynchronousProgress<SyncProgress>(p =>
        {
            if (p.Done == 1) cut.Cancel();
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Database.SyncAsync(file, target, progress: progress, cancellationToken: cut.Token));
        using (var before = await Database.ConnectAsync(target))
        {
            Assert.Equal(21L, Datalog.Q("[:find (count ?e) . :where [?e :name]]", before.Db));
        }
        var resumed = await Database.SyncAsync(file, target);

        Assert.Contains(K("db"), resumed.Branches);
        using var after = await Database.ConnectAsync(target);
        Assert.Equal(31L, Datalog.Q("[:find (count ?e) . :where [?e :name]]", after.Db));
    }

    [Fact]
    public async Task A_target_that_holds_another_database_is_refused()
    {
        var file = await FileDatabase("mine", 2);
        var other = await FileDatabase("other", 2);

        var error = await Assert.ThrowsAsync<HikeException>(() => Database.SyncAsync(file, other));

        Assert.Equal(ErrorCodes.SyncDiverged, error.Code);
        Assert.Contains("has commits the source lacks", error.Message, StringComparison.Ordinal);
        using var untouched = await Database.ConnectAsync(other);
        Assert.Equal(3L, Datalog.Q("[:find (count ?e) . :where [?e :name]]", untouched.Db));
    }

    /// <summary>A file-store database with <paramref name="names"/> names on :db, the first <paramref name="names"/> - 1 also on :staging, and one more on :db.</summary>
    private async Task<DatabaseConfig> FileDatabase(string name, int names)
    {
        var config = Config(Path.Combine(_dir.Path, name));
        await Database.CreateAsync(config with { InitialTx = EdnReader.Read(Schema) });
        using var conn = await Database.ConnectAsync(config);
        for (int i = 0; i < names; i++) conn.Transact($"[{{:name \"n{i}\"}}]");
        await conn.BranchAsync(K("db"), K("staging"));
        conn.Transact("[{:name \"main only\"}]");
        return config;
    }

    private static DatabaseConfig Config(string path) => new() { Store = StoreConfig.File(path) };

    private static Keyword K(string name) => Keyword.Intern(name);

    /// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread, so the test can cut the sync at a known point.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
