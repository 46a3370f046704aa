using System.Collections.Concurrent;
using System.Text;
using Hike.Api;
using Hike.Edn;
using Hike.Index.Stored;
using Hike.Storage;
using Hike.Testing;
using Hike.Tests.Durability;
using Hike.Versioning;

namespace Hike.Tests.Storage;

/// <summary>
/// A durable database on a configured backend other than the file store, through the backend registry:
/// the lifecycle, credentials kept out of what is printed and stored, and the one-pack-per-commit layout
/// of a store that cannot append in place.
/// </summary>
public sealed class StoreBackendTests
{
    private static readonly Keyword Name = Keyword.Intern("name");

    [Fact]
    public async Task A_configured_backend_creates_connects_reopens_and_deletes_its_database()
    {
        var backend = Register();
        var config = DatabaseConfig.Parse(Config(backend, "life"));

        Assert.False(await Database.ExistsAsync(config));
        await Database.CreateAsync(config);
        Assert.True(await Database.ExistsAsync(config));
        Assert.Equal(ErrorCodes.DbExists, (await Assert.ThrowsAsync<HikeException>(() => Database.CreateAsync(config))).Code);
        using (var conn = await Database.ConnectAsync(config))
        {
            conn.Transact("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one} {:name \"Ada\"}]");
        }
        using (var again = await Database.ConnectAsync(config))
        {
            Assert.Equal("Ada", Datalog.Q("[:find ?n . :where [_ :name ?n]]", again.Db));
        }

        Assert.True(await Database.DeleteAsync(config));
        Assert.False(await Database.ExistsAsync(config));
        Assert.False(backend.Stores.ContainsKey("life"));
        Assert.Equal(ErrorCodes.DbMissing, (await Assert.ThrowsAsync<HikeException>(() => Database.ConnectAsync(config))).Code);
    }

    [Fact]
    public async Task Credentials_are_neither_printed_nor_stored_with_the_database()
    {
        var backend = Register();
        var config = DatabaseConfig.Parse(Config(backend, "secret"));

        await Database.CreateAsync(config);
        var exists = await Assert.ThrowsAsync<HikeException>(() => Database.CreateAsync(config));

        string stored = Encoding.UTF8.GetString(backend.Stores["secret"].Get(StoreLayout.ConfigKey)!);
        Assert.Contains(":name \"secret\"", stored, StringComparison.Ordinal);
        Assert.Contains("redis://host:1/0", stored, StringComparison.Ordinal);
        foreach (var text in new[] { stored, config.Store.ToString(), exists.Message })
        {
            Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
            Assert.DoesNotContain("pw@", text, StringComparison.Ordinal);
            Assert.DoesNotContain("AKIA", text, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("hunter2", EdnPrinter.Print(config.ToEdn()), StringComparison.Ordinal);
        // The caller's own config keeps them: it is what connects.
        Assert.Equal("hunter2", config.Store.Options[Keyword.Intern("password")]);
        await Database.DeleteAsync(config);
    }

    [Fact]
    public async Task A_small_commit_in_a_store_that_cannot_append_in_place_writes_one_pack_and_the_head()
    {
        var backend = Register();
        var config = DatabaseConfig.Parse(Config(backend, "packs"));
        await Database.CreateAsync(config);
        using var conn = await Database.ConnectAsync(config);
        conn.Transact("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
        var store = backend.Stores["packs"];
        int packs = store.List(Packs.Prefix).Count();

        for (int i = 0; i < 3; i++)
        {
            int writes = store.Writes;
            conn.Transact($"[{{:name \"n{i}\"}}]");
            Assert.Equal(2, store.Writes - writes);
        }

        // Each commit's pack is an object of its own, and every one reads back.
        Assert.Equal(packs + 3, store.List(Packs.Prefix).Count());
        using var reopened = await Database.ConnectAsync(config);
        Assert.Equal(3L, Datalog.Q("[:find (count ?e) . :where [?e :name]]", reopened.Db));
        conn.Dispose();
        reopened.Dispose();
        await Database.DeleteAsync(config);
    }

    [Fact]
    public async Task An_unknown_backend_a_missing_backend_package_and_a_jdbc_store_without_dbtype_are_config_errors()
    {
        async Task<HikeException> Create(string store) =>
            await Assert.ThrowsAsync<HikeException>(() => Database.CreateAsync(DatabaseConfig.Parse($"{{:store {store}}}")));

        var unknown = await Create("{:backend :nosuch :id \"x\"}");
        // A kind whose package the application does not reference (every real one is referenced here, through the test process).
        StoreBackends.ProvidedBy("absent-kv", "Hike.Storage.AbsentKv");
        var missing = await Create("{:backend :absent-kv :id \"x\" :secret \"hunter2\"}");
        var jdbc = await Create("{:backend :jdbc :id \"x\" :host \"h\"}");

        Assert.All(new[] { unknown, missing, jdbc }, e => Assert.Equal(ErrorCodes.ConfigInvalid, e.Code));
        Assert.StartsWith("Unknown :store :backend :nosuch", unknown.Message, StringComparison.Ordinal);
        Assert.Equal("The :absent-kv backend needs the Hike.Storage.AbsentKv package: add a reference to it", missing.Message);
        Assert.StartsWith(":store :dbtype must name the :jdbc database", jdbc.Message, StringComparison.Ordinal);
    }

    private static string Config(KeyValueBackend backend, string name) =>
        $"{{:store {{:backend :{backend.Kind} :id \"{name}-id\" :name \"{name}\" :password \"hunter2\" :access-key \"AKIA1\" :uri \"redis://user:pw@host:1/0\"}}}}";

    private static KeyValueBackend Register()
    {
        var backend = new KeyValueBackend($"kv-{Guid.NewGuid():N}");
        StoreBackends.Register(backend);
        return backend;
    }

    /// <summary>A backend of in-memory stores that replace values whole, as an object store does; a store per <c>:name</c>.</summary>
    private sealed class KeyValueBackend(string kind) : IStoreBackend
    {
        public ConcurrentDictionary<string, CountingStore> Stores { get; } = new(StringComparer.Ordinal);

        public string Kind => kind;

        public IStoreLocation Locate(StoreConfig store) =>
            new Location(this, store.Options.TryGetValue(Name, out var name) && name is string s ? s : throw Errors.Config(":store :name is required"));

        private sealed class Location(KeyValueBackend backend, string name) : IStoreLocation
        {
            public string Key => $"{backend.Kind}/{name}";

            public string Description => $":{backend.Kind} {Errors.Show(name)}";

            public bool MayExist() => backend.Stores.ContainsKey(name);

            public IKeyValueStore Open() => backend.Stores.GetOrAdd(name, _ => new CountingStore(new MemoryStore(appendsInPlace: false)));

            public void Vacate(IKeyValueStore store, IReadOnlyList<string> keyFolders)
            {
                if (!store.List("").Any()) backend.Stores.TryRemove(name, out _);
            }
        }
    }
}
