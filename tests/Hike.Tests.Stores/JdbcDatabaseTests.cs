using Hike.Api;
using Hike.Index.Stored;
using Hike.Storage;
using Hike.Testing;

namespace Hike.Tests.Stores;

/// <summary>A whole database on each <c>:jdbc</c> backend: its life, its commits' writes, its writer lease, its credentials.</summary>
public sealed class JdbcDatabaseTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public static TheoryData<string> Backends => ["sqlite", "postgresql"];

    public void Dispose() => _dir.Dispose();

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_database_is_created_written_reopened_and_deleted(string backend)
    {
        var config = Config(backend);
        await Database.CreateAsync(config);
        using (var conn = await Database.ConnectAsync(config))
        {
            conn.Transact("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}]");
            for (int i = 0; i < 20; i++) conn.Transact($"[{{:name \"n{i}\"}}]");
            conn.Transact("[[:db/retract [:name \"n3\"] :name \"n3\"]]");
        }
        using (var again = await Database.ConnectAsync(config))
        {
            Assert.Equal(19L, Datalog.Q("[:find (count ?e) . :where [?e :name]]", again.Db));
            Assert.Equal(20L, Datalog.Q("[:find (count ?e) . :where [?e :name]]", again.Db.History()));
        }

        Assert.True(await Database.DeleteAsync(config));
        Assert.False(await Database.ExistsAsync(config));
        Assert.False(StoreBackends.Locate(config.Store).MayExist());
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_small_commit_writes_its_pack_and_its_head_and_nothing_else(string backend)
    {
        var config = Config(backend);
        await Database.CreateAsync(config);
        using var conn = await Database.ConnectAsync(config);
        conn.Transact("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
        using var store = StoreBackends.Locate(config.Store).Open();
        var before = store.List("").ToHashSet();

        conn.Transact("[{:name \"Ada\"}]");

        var added = store.List("").Except(before).ToList();
        Assert.Single(added);
        Assert.StartsWith(Packs.Prefix, added[0], StringComparison.Ordinal);
        conn.Dispose();
        await Database.DeleteAsync(config);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_second_writer_on_the_store_is_refused_while_the_first_holds_the_lease(string backend)
    {
        var config = Config(backend);
        await Database.CreateAsync(config);
        using var conn = await Database.ConnectAsync(config);
        conn.Transact("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");

        // Another process's writer: a store of its own over the same table.
        using var other = StoreBackends.Locate(config.Store).Open();
        var refused = Assert.Throws<HikeException>(other.AcquireWriterLock);

        Assert.Equal(ErrorCodes.DbWriterLocked, refused.Code);
        Assert.Contains($":jdbc {backend}", refused.Message, StringComparison.Ordinal);
        conn.Dispose();
        // The last connection closed gives the lease back.
        using (other.AcquireWriterLock())
        {
        }
        await Database.DeleteAsync(config);
    }

    [Fact]
    public async Task The_password_is_neither_stored_nor_in_messages()
    {
        var config = Servers.Postgres(Servers.UniqueTable());
        var withPassword = config with { Store = config.Store with { Options = config.Store.Options.With(Hike.Edn.Keyword.Intern("password"), "hunter2") } };
        await Database.CreateAsync(withPassword);
        var exists = await Assert.ThrowsAsync<HikeException>(() => Database.CreateAsync(withPassword));
        using var store = StoreBackends.Locate(config.Store).Open();

        Assert.DoesNotContain("hunter2", System.Text.Encoding.UTF8.GetString(store.Get("config")!), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", exists.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", withPassword.Store.ToString(), StringComparison.Ordinal);
        await Database.DeleteAsync(config);
    }

    private DatabaseConfig Config(string backend) => backend == "sqlite"
        ? SqliteStoreTests.Config(_dir.Path, Servers.UniqueTable())
        : Servers.Postgres(Servers.UniqueTable());
}
