using Hike.Api;
using Hike.Db;
using Hike.Edn;

namespace Hike.Tests.Conformance;

/// <summary>Datahike's time-variance cases (test/datahike/test/time_variance_test.cljc) as facts, read through datoms.</summary>
public sealed class DatahikeTimeVarianceTests
{
    private const string InitialTx = """
        [{:db/ident :name :db/valueType :db.type/string :db/unique :db.unique/identity :db/index true :db/cardinality :db.cardinality/one}
         {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
         {:name "Alice" :age 25}
         {:name "Bob" :age 35}]
        """;

    private static readonly Keyword Age = Keyword.Intern("age");
    private static readonly Keyword Name = Keyword.Intern("name");

    private static async Task<Connection> Setup(string flexibility = ":write", string initialTx = InitialTx)
    {
        var config = DatabaseConfig.Parse($"{{:store {{:backend :mem :id \"{Guid.NewGuid()}\"}} :keep-history? true :schema-flexibility {flexibility}}}") with { InitialTx = EdnReader.Read(initialTx) };
        return await Database.CreateAndConnectAsync(TestBackend.Place(config));
    }

    private static HashSet<long> Ages(Database db, object e) =>
        db.Datoms(IndexType.Eavt, e, Age).Select(d => (long)d.V).ToHashSet();

    private static HashSet<(long, bool)> AgeOps(Database db, object e) =>
        db.Datoms(IndexType.Eavt, e, Age).Select(d => ((long)d.V, d.Added)).ToHashSet();

    [Fact]
    public async Task History_keeps_replaced_and_retracted_values()
    {
        using var conn = await Setup();
        long tx0 = conn.Db.MaxTx;
        var alice = EdnReader.Read("[:name \"Alice\"]")!;
        long tx1 = conn.Transact("[{:db/id [:name \"Alice\"] :age 30}]").Tx;
        Assert.Equal([30L], Ages(conn.Db, alice));
        Assert.Equal([30L, 25L], Ages(conn.Db.History(), 3L));
        conn.Transact("[[:db/retractEntity [:name \"Alice\"]]]");
        Assert.Null(conn.Db.Entid(alice));
        Assert.Equal([30L, 25L], Ages(conn.Db.History(), 3L));
        Assert.Equal([25L], Ages(conn.Db.History().AsOf(tx0), 3L));
        Assert.Equal([25L], Ages(conn.Db.AsOf(tx0).History(), 3L));
        // test-base-history: history since tx-id1 (the transaction before the retraction) holds only 30's retraction.
        Assert.Equal([30L], Ages(conn.Db.History().Since(tx1), 3L));
        Assert.Equal([30L], Ages(conn.Db.Since(tx1).History(), 3L));
        Assert.Equal(
            new HashSet<(long, bool)> { (25, true), (25, false), (30, true), (30, false) },
            AgeOps(conn.Db.History(), 3L));
    }

    [Fact]
    public async Task As_of_a_date_or_a_transaction_shows_the_values_then()
    {
        using var conn = await Setup();
        Thread.Sleep(10);
        var firstDate = DateTime.UtcNow;
        Thread.Sleep(10);
        long txId = 536870914;
        Assert.Equal([25L], Ages(conn.Db.AsOf(firstDate), 3L));
        Assert.Equal([25L], Ages(conn.Db.AsOf(txId), 3L));
        Assert.Equal(536870913, conn.Db.AsOf(txId).MaxTx);
        conn.Transact("[[:db/retractEntity [:name \"Alice\"]]]");
        Assert.Empty(Ages(conn.Db.AsOf(txId), 3L));
        Assert.Equal([25L], Ages(conn.Db.AsOf(txId - 1), 3L));
    }

    [Fact]
    public async Task Since_a_date_or_a_transaction_shows_only_later_assertions()
    {
        // test-since-db, as changed by Datahike #713: since 536870913 is #{[30]} once 536870914 set the age.
        using var conn = await Setup();
        Thread.Sleep(10);
        var firstDate = DateTime.UtcNow;
        Thread.Sleep(10);
        Assert.Empty(conn.Db.Since(firstDate).Datoms(IndexType.Aevt, Age));
        conn.Transact("[{:db/id [:name \"Alice\"] :age 30}]");
        Assert.Equal([30L], conn.Db.Since(firstDate).Datoms(IndexType.Aevt, Age).Select(d => (long)d.V));
        Assert.Equal([30L], conn.Db.Since(536870913).Datoms(IndexType.Aevt, Age).Select(d => (long)d.V));
        Assert.Equal(536870913L, conn.Db.Since(536870913).SinceTx);
        // since-pred is the complement of as-of-pred, so since a transaction excludes it.
        Assert.Empty(conn.Db.Since(536870914).Datoms(IndexType.Aevt, Age));
    }

    [Fact]
    public async Task As_of_the_instant_of_a_transaction_includes_it_and_since_that_instant_excludes_it()
    {
        // Datahike's as-of-pred is "*including* the time-point" (date<=) and since-pred its complement (#713).
        using var conn = await Setup();
        var second = conn.Transact("[{:db/id [:name \"Alice\"] :age 30}]");
        var at = (DateTime)second.DbAfter.Datoms(IndexType.Eavt, second.Tx, Keyword.Intern("db/txInstant")).Single().V;
        Assert.Equal([30L], Ages(conn.Db.AsOf(at), 3L));
        Assert.Equal(second.Tx, conn.Db.AsOf(at).AsOfTx);
        Assert.Equal([25L], Ages(conn.Db.AsOf(at.AddMilliseconds(-1)), 3L));
        Assert.Empty(conn.Db.Since(at).Datoms(IndexType.Aevt, Age));
        Assert.Equal([30L], conn.Db.Since(at.AddMilliseconds(-1)).Datoms(IndexType.Aevt, Age).Select(d => (long)d.V));
        // As of a transaction id includes that transaction too.
        Assert.Equal([30L], Ages(conn.Db.AsOf(second.Tx), 3L));
        Assert.Equal([25L], Ages(conn.Db.AsOf(second.Tx - 1), 3L));
    }

    [Fact]
    public async Task No_history_attributes_leave_no_history()
    {
        using var conn = await Setup(initialTx: """
            [{:db/ident :name :db/cardinality :db.cardinality/one :db/valueType :db.type/string :db/unique :db.unique/identity}
             {:db/ident :age :db/cardinality :db.cardinality/one :db/valueType :db.type/long :db/noHistory true}
             {:name "Alice" :age 25}
             {:name "Bob" :age 35}]
            """);
        Assert.Equal(2, conn.Db.History().Datoms(IndexType.Aevt, Age).Count());
        conn.Transact("[[:db/retractEntity [:name \"Alice\"]]]");
        Assert.Equal([35L], conn.Db.History().Datoms(IndexType.Aevt, Age).Select(d => (long)d.V));
        Assert.Equal(["Alice", "Alice", "Bob"], conn.Db.History().Datoms(IndexType.Aevt, Name).Select(d => (string)d.V).Order());
    }

    [Fact]
    public async Task Upserts_leave_exactly_datahikes_history()
    {
        using var conn = await Setup(":read");
        Assert.Equal([(3L, Age, (object)25L, 536870913L, true)], conn.Db.History().Datoms(IndexType.Aevt, Age, 3L).Select(Tuple));
        conn.Transact("[[:db/add [:name \"Alice\"] :age 30]]");
        conn.Transact("[[:db/add [:name \"Alice\"] :age 35]]");
        conn.Transact("[[:db/add [:name \"Alice\"] :age 25]]");
        conn.Transact("[[:db/retract [:name \"Alice\"] :age 25]]");
        Assert.Empty(conn.Db.Datoms(IndexType.Eavt, 3L, Age));
        var expected = """
            #{[1 :db/cardinality :db.cardinality/one 536870913 true]
              [1 :db/ident :name 536870913 true]
              [1 :db/index true 536870913 true]
              [1 :db/unique :db.unique/identity 536870913 true]
              [1 :db/valueType :db.type/string 536870913 true]
              [2 :db/cardinality :db.cardinality/one 536870913 true]
              [2 :db/ident :age 536870913 true]
              [2 :db/valueType :db.type/long 536870913 true]
              [3 :age 25 536870913 true]
              [3 :age 25 536870914 false]
              [3 :age 25 536870916 true]
              [3 :age 25 536870917 false]
              [3 :age 30 536870914 true]
              [3 :age 30 536870915 false]
              [3 :age 35 536870915 true]
              [3 :age 35 536870916 false]
              [3 :name "Alice" 536870913 true]
              [4 :age 35 536870913 true]
              [4 :name "Bob" 536870913 true]}
            """;
        var want = ((EdnSet)EdnReader.Read(expected)!).Select(x => ((EdnVector)x!).ToArray()).Select(v => ((long)v[0]!, (Keyword)v[1]!, v[2]!, (long)v[3]!, (bool)v[4]!)).ToHashSet();
        foreach (var index in new[] { IndexType.Eavt, IndexType.Aevt })
        {
            var got = conn.Db.History().Datoms(index).Where(d => d.E < 536870912).Select(Tuple).ToHashSet();
            Assert.Equal(want, got);
        }
        var avet = conn.Db.History().Datoms(IndexType.Avet).Where(d => d.E < 536870912).Select(Tuple).ToHashSet();
        Assert.Contains((3L, Name, (object)"Alice", 536870913L, true), avet);
        Assert.Contains((2L, Keyword.Intern("db/ident"), (object)Age, 536870913L, true), avet);
    }

    [Fact]
    public async Task An_assertion_and_a_retraction_of_one_fact_in_one_transaction_resolve_in_order()
    {
        using var conn = await Setup();
        // Added then retracted in one transaction: absent afterwards, both in history.
        var r1 = conn.Transact("[[:db/add [:name \"Bob\"] :age 40] [:db/retract [:name \"Bob\"] :age 40]]");
        Assert.Empty(conn.Db.Datoms(IndexType.Eavt, 4L, Age));
        Assert.Empty(conn.Db.AsOf(r1.Tx).Datoms(IndexType.Eavt, 4L, Age));
        Assert.Contains((40L, true), AgeOps(conn.Db.History(), 4L));
        Assert.Contains((40L, false), AgeOps(conn.Db.History(), 4L));
        // Retracted then asserted again in one transaction: present afterwards, as of then, and after a later change.
        conn.Transact("[[:db/add [:name \"Alice\"] :age 50]]");
        var r3 = conn.Transact("[[:db/retract [:name \"Alice\"] :age 50] [:db/add [:name \"Alice\"] :age 50]]");
        Assert.Equal([50L], Ages(conn.Db, 3L));
        conn.Transact("[[:db/add [:name \"Alice\"] :age 51]]");
        Assert.Equal([50L], Ages(conn.Db.AsOf(r3.Tx), 3L));
        Assert.Equal([51L], Ages(conn.Db, 3L));
    }

    private static (long, Keyword, object, long, bool) Tuple(Datom d) => (d.E, d.A, d.V, d.Tx, d.Added);
}
