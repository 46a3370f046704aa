using Hike.Api;
using Hike.Db;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Conformance;

/// <summary>Datahike's purge cases (test/datahike/test/purge_test.cljc) as facts.</summary>
public sealed class DatahikePurgeTests
{
    private const string Schema = """
        [{:db/ident :name :db/valueType :db.type/string :db/unique :db.unique/identity :db/cardinality :db.cardinality/one}
         {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
         {:name "Alice" :age 25} {:name "Bob" :age 35} {:name "Charlie" :age 45}]
        """;

    private static readonly object Alice = Read("[:name \"Alice\"]")!;

    private static Connection Setup()
    {
        var conn = Connect(Schema);
        conn.Transact("[{:db/id [:name \"Alice\"] :age 30}]");
        return conn;
    }

    private static HashSet<long> Ages(Database db, long e) => db.Datoms(IndexType.Eavt, e, K("age")).Select(d => (long)d.V).ToHashSet();

    [Fact]
    public void Purging_a_fact_removes_it_from_current_and_history()
    {
        using var conn = Setup();
        long alice = conn.Db.Entid(Alice)!.Value;
        Assert.Equal([25L, 30L], Ages(conn.Db.History(), alice));
        conn.Transact("[[:db/purge [:name \"Alice\"] :age 30]]");
        Assert.Empty(Ages(conn.Db, alice));
        Assert.Equal([25L], Ages(conn.Db.History(), alice));
        Assert.DoesNotContain(conn.Db.History().Datoms(IndexType.Eavt, alice), d => d.V is 30L);
    }

    [Fact]
    public void Purging_an_attribute_removes_every_value_and_its_history()
    {
        using var conn = Setup();
        long alice = conn.Db.Entid(Alice)!.Value;
        conn.Transact("[[:db.purge/attribute [:name \"Alice\"] :age]]");
        Assert.Empty(Ages(conn.Db, alice));
        Assert.Empty(Ages(conn.Db.History(), alice));
        Assert.Equal(["Alice"], Values(conn.Db, alice, "name"));
    }

    [Fact]
    public void Purging_an_entity_removes_all_of_it()
    {
        using var conn = Setup();
        long alice = conn.Db.Entid(Alice)!.Value;
        conn.Transact("[[:db.purge/entity [:name \"Alice\"]]]");
        Assert.Empty(conn.Db.Datoms(IndexType.Eavt, alice));
        Assert.Empty(conn.Db.History().Datoms(IndexType.Eavt, alice));
        Assert.Null(conn.Db.Entid(Alice));
        Assert.NotNull(conn.Db.Entid(Read("[:name \"Bob\"]")!));
        // Purged values leave AVET too.
        Assert.Empty(conn.Db.History().Datoms(IndexType.Avet, K("name"), "Alice"));
    }

    [Fact]
    public void A_retracted_entity_is_found_by_its_lookup_ref_and_purged_from_history()
    {
        // purge_test test-purge-entity "retract entity from current index and purge from history":
        // the lookup ref resolves in the history database, so a retracted entity is still purged.
        using var conn = Setup();
        long bob = conn.Db.Entid(Read("[:name \"Bob\"]")!)!.Value;
        conn.Transact("[[:db/retractEntity [:name \"Bob\"]]]");
        Assert.NotEmpty(conn.Db.History().Datoms(IndexType.Eavt, bob));
        conn.Transact("[[:db.purge/entity [:name \"Bob\"]]]");
        Assert.Empty(conn.Db.History().Datoms(IndexType.Eavt, bob));
        Assert.Empty(conn.Db.History().Datoms(IndexType.Avet, K("name"), "Bob"));
    }

    [Theory]
    [InlineData("[[:db.purge/entity [:name \"Nobody\"]]]", "[:name \"Nobody\"]")]
    [InlineData("[[:db.purge/attribute [:name \"Nobody\"] :age]]", "[:name \"Nobody\"]")]
    [InlineData("[[:db/purge [:name \"Nobody\"] :age 25]]", "[:name \"Nobody\"]")]
    [InlineData("[[:db.purge/entity :no/such-ident]]", ":no/such-ident")]
    public void Purging_an_entity_that_is_not_there_is_an_error(string txData, string named)
    {
        // purge_test test-purge-entity "purge something that is not present in the database".
        using var conn = Setup();
        var before = conn.Db.History().Datoms(IndexType.Eavt).Count();
        var error = Rejects(conn, txData, "transact/purge");
        Assert.Contains($"Can't find entity with ID {named} to be purged", error.Message);
        Assert.Equal(before, conn.Db.History().Datoms(IndexType.Eavt).Count());
    }

    [Fact]
    public void Purging_history_before_an_instant_keeps_current_facts()
    {
        using var conn = Setup();
        long alice = conn.Db.Entid(Alice)!.Value;
        Thread.Sleep(5);
        var cutoff = DateTime.UtcNow;
        Thread.Sleep(5);
        conn.Transact("[{:db/id [:name \"Bob\"] :age 36}]");
        long bob = conn.Db.Entid(Read("[:name \"Bob\"]")!)!.Value;
        conn.Transact(new object[] { Hike.Edn.EdnVector.Create(K("db.history.purge/before"), cutoff) });
        Assert.Equal([30L], Ages(conn.Db.History(), alice));
        Assert.Equal([35L, 36L], Ages(conn.Db.History(), bob));
        Assert.Equal([30L], Ages(conn.Db, alice));
    }

    [Fact]
    public async Task Purge_needs_a_temporal_database()
    {
        var config = new DatabaseConfig { KeepHistory = false, InitialTx = Read(Schema), Store = StoreConfig.Memory() };
        using var conn = await Database.CreateAndConnectAsync(TestBackend.Place(config));
        var error = Rejects(conn, "[[:db/purge [:name \"Alice\"] :age 25]]", "transact/purge");
        Assert.Contains("temporal", error.Message);
    }
}
