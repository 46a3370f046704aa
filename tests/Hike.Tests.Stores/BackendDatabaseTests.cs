using Hike.Api;
using Hike.Edn;
using Hike.Index.Stored;
using Hike.Storage;
using Hike.Testing;
using Hike.Versioning;

namespace Hike.Tests.Stores;

/// <summary>A whole database on each networked backend: its life, its commits' writes, its writer lease, its credentials.</summary>
public sealed class BackendDatabaseTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    /// <summary>The backends; <c>s3</c> keeps its heads in a PostgreSQL head store, <c>s3-unfenced</c> is <c>:fencing :none</c>.</summary>
    public static TheoryData<string> Backends => ["sqlite", "postgresql", "redis", "s3", "s3-unfenced"];

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
    public async Task Deleting_a_database_leaves_what_is_not_its_own(string backend)
    {
        var config = Config(backend);
        await Database.CreateAsync(config);
        using (var conn = await Database.ConnectAsync(config))
        {
            conn.Transact("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one} {:name \"Ada\"}]");
        }
        using (var store = StoreBackends.Locate(config.Store).Open())
        {
            // Another program's values beside the database, one under a name Hike itself could use.
            store.Put("notes/mine", "keep me"u8);
            store.Put("heads/not-a-head", "keep me too"u8);
        }

        Assert.True(await Database.DeleteAsync(config));

        Assert.False(await Database.ExistsAsync(config));
        using var after = StoreBackends.Locate(config.Store).Open();
        Assert.Equal(["heads/not-a-head", "notes/mine"], after.List("").Order(StringComparer.Ordinal));
        Assert.Equal("keep me", System.Text.Encoding.UTF8.GetString(after.Get("notes/mine")!));
        foreach (var key in after.List("").ToList()) after.Delete(key);
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
        var before = store.List("").ToDictionary(k => k, store.Get);

        conn.Transact("[{:name \"Ada\"}]");

        var after = store.List("").ToDictionary(k => k, store.Get);
        var added = after.Keys.Except(before.Keys).ToList();
        var changed = before.Keys.Where(k => !after[k].AsSpan().SequenceEqual(before[k])).ToList();
        Assert.Single(added);
        Assert.StartsWith(Packs.Prefix, added[0], StringComparison.Ordinal);
        Assert.Equal([StoreLayout.HeadKey(Keyword.Intern("db"))], changed);
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
        Assert.Contains(StoreBackends.Locate(config.Store).Description, refused.Message, StringComparison.Ordinal);
        conn.Dispose();
        // The last connection closed gives the lease back.
        using (other.AcquireWriterLock())
        {
        }
        await Database.DeleteAsync(config);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Garbage_collection_deletes_a_deleted_branchs_packs_and_keeps_what_the_heads_reach(string backend)
    {
        var config = Config(backend);
        await Database.CreateAsync(config);
        using var conn = await Database.ConnectAsync(config);
        conn.Transact("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
        for (int i = 0; i < 5; i++) conn.Transact($"[{{:name \"main{i}\"}}]");
        await conn.BranchAsync(Hike.Edn.Keyword.Intern("db"), Hike.Edn.Keyword.Intern("scratch"));
        using (var scratch = await Database.ConnectAsync(config with { Branch = Hike.Edn.Keyword.Intern("scratch") }))
        {
            for (int i = 0; i < 5; i++) scratch.Transact($"[{{:name \"scratch{i}\"}}]");
        }
        await conn.DeleteBranchAsync(Hike.Edn.Keyword.Intern("scratch"));
        using var store = StoreBackends.Locate(config.Store).Open();
        int before = store.List(Packs.Prefix).Count();

        int deleted = await conn.GcStorageAsync(DateTime.UtcNow.AddMinutes(1));

        Assert.True(deleted > 0);
        Assert.True(store.List(Packs.Prefix).Count() <= before - 5, $"{store.List(Packs.Prefix).Count()} of {before} segments left");
        using var reopened = await Database.ConnectAsync(config);
        Assert.Equal(5L, Datalog.Q("[:find (count ?e) . :where [?e :name]]", reopened.Db));
        Tests.Durability.DurableFixture.ReadEverything(reopened.Db);
        conn.Dispose();
        reopened.Dispose();
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

    [Fact]
    public async Task A_reader_whose_role_may_only_select_opens_queries_and_follows_the_writer_but_cannot_write()
    {
        string table = Servers.UniqueTable();
        var config = Servers.Postgres(table);
        await Database.CreateAsync(config);
        using var writer = await Database.ConnectAsync(config);
        writer.Transact("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one} {:name \"Ada\"}]");
        string role = $"r{Guid.NewGuid():N}";
        Servers.AdminSql($"CREATE ROLE {role} LOGIN; GRANT SELECT ON \"{table}\" TO {role}");
        var readOnly = config with { Store = config.Store with { Options = config.Store.Options.With(Hike.Edn.Keyword.Intern("user"), role) } };

        // Another process's reader: it opens the store itself, as a process with only these rights would.
        var (reader, _) = StoreDatabases.OpenIn(StoreBackends.Locate(readOnly.Store).Open(), readOnly);
        using var readerConn = new Connection(reader, readOnly);
        Assert.Equal("Ada", Datalog.Q("[:find ?n . :where [_ :name ?n]]", readerConn.Db));
        writer.Transact("[{:name \"Grace\"}]");
        Assert.Equal(2L, Datalog.Q("[:find (count ?n) . :where [_ :name ?n]]", readerConn.Db));
        // While the writer holds the lease the reader is another writer; once it is gone, the role's rights refuse it.
        var locked = Assert.Throws<HikeException>(() => readerConn.Transact("[{:name \"Eve\"}]"));
        writer.Dispose();
        using var reader2 = new Connection(StoreDatabases.OpenIn(StoreBackends.Locate(readOnly.Store).Open(), readOnly).Runtime, readOnly);
        var refused = Assert.Throws<HikeException>(() => reader2.Transact("[{:name \"Eve\"}]"));

        Assert.Equal(ErrorCodes.DbWriterLocked, locked.Code);
        Assert.Equal(ErrorCodes.StorageIo, refused.Code);
        Assert.Contains("permission denied", refused.ToString(), StringComparison.Ordinal);
        Assert.Equal(2L, Datalog.Q("[:find (count ?n) . :where [_ :name ?n]]", reader2.Db));
        readerConn.Dispose();
        reader2.Dispose();
        await Database.DeleteAsync(config);
        Servers.AdminSql($"DROP ROLE {role}");
    }

    private DatabaseConfig Config(string backend) => backend switch
    {
        "sqlite" => SqliteStoreTests.Config(_dir.Path, Servers.UniqueTable()),
        "postgresql" => Servers.Postgres(Servers.UniqueTable()),
        "redis" => Servers.Redis(Guid.NewGuid().ToString()),
        "s3" => Servers.S3WithPostgresHeads(Servers.UniqueId()),
        _ => Servers.S3(Servers.UniqueId(), ":fencing :none"),
    };
}
