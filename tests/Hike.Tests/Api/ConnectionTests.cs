using Hike.Api;
using Hike.Db;
using Hike.Edn;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Api;

/// <summary>Database lifecycle on the memory store and Datahike's EDN configuration.</summary>
public sealed class ConnectionTests
{
    private static string MemConfig(string id, string more = "") => $"{{:store {{:backend :mem :id \"{id}\"}} {more}}}";

    [Fact]
    public async Task Create_connect_exists_delete()
    {
        string id = Guid.NewGuid().ToString();
        var config = DatabaseConfig.Parse(MemConfig(id));
        Assert.False(await Database.ExistsAsync(config));
        await Database.CreateAsync(config);
        Assert.True(await Database.ExistsAsync(config));
        Assert.Equal("db/exists", (await Assert.ThrowsAsync<HikeException>(() => Database.CreateAsync(config))).Code);

        using (var conn = await Database.ConnectAsync(MemConfig(id)))
        {
            conn.Transact("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
        }
        using (var again = await Database.ConnectAsync(config))
        {
            // A second connection sees what the first committed.
            Assert.True(again.Db.Schema().ContainsKey(K("name")));
        }

        Assert.True(await Database.DeleteAsync(config));
        Assert.False(await Database.ExistsAsync(config));
        Assert.False(await Database.DeleteAsync(config));
        Assert.Equal("db/missing", (await Assert.ThrowsAsync<HikeException>(() => Database.ConnectAsync(config))).Code);
    }

    [Fact]
    public async Task Two_connections_share_one_database()
    {
        string id = Guid.NewGuid().ToString();
        var config = DatabaseConfig.Parse(MemConfig(id, ":schema-flexibility :read"));
        await Database.CreateAsync(config);
        using var a = await Database.ConnectAsync(config);
        using var b = await Database.ConnectAsync(config);
        var seen = new List<long>();
        using var listener = b.Listen(r => seen.Add(r.Tx));
        var report = await a.TransactAsync("[{:db/id 100 :name \"Ivan\"}]");
        Assert.Equal(["Ivan"], Values(b.Db, 100L, "name"));
        Assert.Equal([report.Tx], seen);
        await Database.DeleteAsync(config);
    }

    [Fact]
    public async Task Initial_tx_and_settings_come_from_the_config()
    {
        string id = Guid.NewGuid().ToString();
        var config = DatabaseConfig.Parse(MemConfig(id, """
            :keep-history? false :schema-flexibility :write :name "people"
            :initial-tx [{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]
            """));
        Assert.False(config.KeepHistory);
        Assert.Equal("people", config.Name);
        using var conn = await Database.CreateAndConnectAsync(config);
        Assert.False(conn.Db.KeepsHistory);
        conn.Transact("[{:db/id 100 :name \"Ivan\"}]");
        conn.Transact("[{:db/id 100 :name \"Petr\"}]");
        Assert.Equal(["Petr"], Values(conn.Db, 100L, "name"));
        Assert.Throws<HikeException>(() => conn.Db.History());
        // Connecting without the settings takes the stored ones; contradicting them is an error.
        using (var plain = await Database.ConnectAsync(MemConfig(id))) Assert.False(plain.Db.KeepsHistory);
        var mismatch = await Assert.ThrowsAsync<HikeException>(() => Database.ConnectAsync(MemConfig(id, ":keep-history? true")));
        Assert.Equal("config/invalid", mismatch.Code);
        Assert.Contains(":keep-history?", mismatch.Message);
        await Database.DeleteAsync(config);
    }

    [Fact]
    public async Task A_failing_initial_tx_leaves_no_database()
    {
        var config = DatabaseConfig.Parse(MemConfig(Guid.NewGuid().ToString(), ":initial-tx [{:no-such-attr 1}]"));
        Assert.Equal("transact/schema", (await Assert.ThrowsAsync<HikeException>(() => Database.CreateAsync(config))).Code);
        Assert.False(await Database.ExistsAsync(config));
    }

    [Theory]
    [InlineData("{:store {:backend :mem :id \"x\"} :unknown-key 1}", ":unknown-key")]
    [InlineData("{:store {:backend :mem :id \"x\"} :keep-history? \"yes\"}", ":keep-history?")]
    [InlineData("{:store {:backend :mem :id \"x\"} :schema-flexibility :sometimes}", ":schema-flexibility")]
    [InlineData("[:store]", "map")]
    [InlineData("{:store {:backend :mem :id \"x\" :config [:in-place? true]}}", ":store :config must be a map")]
    [InlineData("{:store {:backend :mem :id \"x\" :config {:in-place? \"yes\"}}}", ":store :config :in-place? must be true or false")]
    [InlineData("{:store {:backend :mem :id \"x\" :config {:fast? true}}}", "Unknown key :fast? in :store :config")]
    [InlineData("{:store {:backend :mem :id \"x\" :config {:encoding {:encryptor {:type :aes}}}}}", ":store :config :encoding is not supported")]
    [InlineData("{:store {:backend :mem :id \"x\" :settings {}}}", "Unknown key :settings in :store")]
    public void Bad_configurations_are_named(string edn, string fragment)
    {
        var error = Assert.Throws<HikeException>(() => DatabaseConfig.Parse(edn));
        Assert.Equal("config/invalid", error.Code);
        Assert.Contains(fragment, error.Message);
    }

    [Fact]
    public async Task Konserve_store_options_of_a_datahike_config_are_accepted_and_ignored()
    {
        // Datahike's doc/cli.md configures the file store with {:config {:in-place? true}} (the CLI tests
        // run that file); konserve's store options (:sync-blob?, :in-place?, :lock-blob?, :no-backup?)
        // do not apply to Hike's stores.
        var file = DatabaseConfig.Parse("{:store {:backend :file :path \"/data/db\" :config {:in-place? true :sync-blob? true}}}");
        Assert.Equal(StoreConfig.File("/data/db"), file.Store);
        string id = Guid.NewGuid().ToString();
        var config = DatabaseConfig.Parse($"{{:store {{:backend :mem :id \"{id}\" :config {{:in-place? false :sync-blob? false :lock-blob? true :no-backup? true}}}}}}");
        Assert.Equal(StoreConfig.Memory(id), config.Store);
        using var conn = await Database.CreateAndConnectAsync(TestBackend.Place(config));
        Assert.Equal(536870913L, conn.Transact("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]").Tx);
    }

    [Fact]
    public void Configurations_round_trip_through_edn()
    {
        var config = DatabaseConfig.Parse(MemConfig("abc", ":keep-history? false :schema-flexibility :read :name \"n\""));
        var again = DatabaseConfig.FromEdn(EdnReader.Read(EdnPrinter.Print(config.ToEdn())));
        Assert.Equal((config.Store.Id, config.KeepHistory, config.SchemaFlexibility, config.Name), (again.Store.Id, again.KeepHistory, again.SchemaFlexibility, again.Name));
    }

    [Fact]
    public async Task A_released_connection_refuses_work_but_its_values_stay_readable()
    {
        using var conn = Connect("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
        conn.Transact("[{:db/id 100 :name \"Ivan\"}]");
        var db = conn.Db;
        conn.Release();
        Assert.Equal("connection/released", Assert.Throws<HikeException>(() => conn.Transact("[]")).Code);
        Assert.Equal("connection/released", (await Assert.ThrowsAsync<HikeException>(() => conn.TransactAsync("[]"))).Code);
        Assert.Equal("connection/released", Assert.Throws<HikeException>(() => conn.Db).Code);
        Assert.Equal(["Ivan"], Values(db, 100L, "name"));
    }

    [Theory]
    [InlineData("{:a 1}", "transact/syntax")]
    [InlineData("\"text\"", "transact/syntax")]
    [InlineData("[42]", "transact/syntax")]
    [InlineData("[[]]", "transact/syntax")]
    [InlineData("[[\"add\" 1 :name \"x\"]]", "transact/syntax")]
    [InlineData("[[:db/add 100 :name]]", "transact/syntax")]
    [InlineData("[[:db/add 100 :name nil]]", "transact/syntax")]
    [InlineData("[[:db/add \"x\" :name]]", "transact/syntax")]
    [InlineData("[[:db/add 1.5 :name \"x\"]]", "entity-id/syntax")]
    [InlineData("[[:db/add 999999 :name \"x\"] [:db/retract 123456 :name \"x\" 1]]", "transact/syntax")]
    [InlineData("[{:db/id 100 :name \"x\" :db/id 200}]", "edn/syntax")]
    [InlineData("[{:name \"x\"} {:db/id -1 :_name -2}]", "transact/syntax")]
    [InlineData("[[:db/retractEntity]]", "transact/syntax")]
    [InlineData("[[:db/cas 100 :name]]", "transact/syntax")]
    [InlineData("[[:db.fn/call]]", "transact/syntax")]
    [InlineData("[{:db/id 100 :db/txInstant 5}]", "transact/schema")]
    public void Malformed_transactions_are_rejected_and_change_nothing(string tx, string code)
    {
        using var conn = Connect("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
        conn.Transact("[{:db/id 100 :name \"Ivan\"}]");
        if (code == "edn/syntax")
        {
            var before = conn.Db;
            Assert.Equal(code, Assert.ThrowsAny<HikeException>(() => conn.Transact(tx)).Code);
            Assert.Same(before, conn.Db);
            return;
        }
        Rejects(conn, tx, code);
    }
}
