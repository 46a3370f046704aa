using Hike.Api;
using Hike.Db;
using Hike.Edn;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Conformance;

/// <summary>
/// DataScript's transact cases (test/datascript/test/transact.cljc) and Datahike's
/// (test/datahike/test/transact_test.cljc) as facts. Schema attributes are entities here, so the
/// explicit entity ids of those tests are moved to 100 and up.
/// </summary>
public sealed class DataScriptTransactTests
{
    private const string AkaFriend = """
        [{:db/ident :aka :db/cardinality :db.cardinality/many}
         {:db/ident :friend :db/valueType :db.type/ref}]
        """;

    private static Database Untyped(string schema = AkaFriend) => NewDb(schema, SchemaFlexibility.Read);

    [Fact]
    public void Card_one_replaces_and_card_many_accumulates()
    {
        var db = Untyped().DbWith("""
            [[:db/add 100 :name "Ivan"] [:db/add 100 :name "Petr"]
             [:db/add 100 :aka "Devil"] [:db/add 100 :aka "Tupen"]]
            """);
        Assert.Equal(["Petr"], Values(db, 100L, "name"));
        Assert.Equal(["Devil", "Tupen"], Values(db, 100L, "aka"));

        var retracted = db.DbWith("[[:db/retract 100 :name \"Petr\"]]");
        Assert.Empty(Values(retracted, 100L, "name"));
        retracted = retracted.DbWith("[[:db/retract 100 :aka \"Devil\"]]");
        Assert.Equal(["Tupen"], Values(retracted, 100L, "aka"));
    }

    [Fact]
    public void Retracting_a_value_that_is_not_there_changes_nothing()
    {
        var db = Untyped().DbWith("[[:db/add 100 :name \"Ivan\"]]");
        var report = db.With("[[:db/retract 100 :name \"Petr\"]]");
        Assert.Equal(["Ivan"], Values(report.DbAfter, 100L, "name"));
        Assert.All(report.TxData, d => Assert.Equal(report.Tx, d.E));
    }

    [Fact]
    public void Retract_without_a_value_retracts_every_value_of_the_attribute()
    {
        var db = Untyped().DbWith("[{:db/id 100 :name \"Ivan\" :aka [\"X\" \"Y\"]}]");
        var after = db.DbWith("[[:db/retract 100 :aka]]");
        Assert.Empty(Values(after, 100L, "aka"));
        Assert.Equal(["Ivan"], Values(after, 100L, "name"));
    }

    [Fact]
    public void Retract_entity_and_retract_attribute()
    {
        var db = Untyped().DbWith("""
            [{:db/id 100 :name "Ivan" :age 15 :aka ["X" "Y" "Z"] :friend 101}
             {:db/id 101 :name "Petr" :age 37}]
            """);

        foreach (var op in new[] { ":db.fn/retractEntity", ":db/retractEntity" })
        {
            var after = db.DbWith($"[[{op} 100]]");
            Assert.Empty(after.Datoms(IndexType.Eavt, 100L));
            AssertEdn("{:db/id 101 :name \"Petr\" :age 37}", PullAll(after, 101L));
        }

        var noAka = db.DbWith("[[:db.fn/retractAttribute 100 :aka]]");
        AssertEdn("{:db/id 100 :name \"Ivan\" :age 15 :friend {:db/id 101}}", PullAll(noAka, 100L));

        // Retracting an entity also retracts the references to it.
        var noPetr = db.DbWith("[[:db/retractEntity 101]]");
        Assert.Empty(Values(noPetr, 100L, "friend"));
        Assert.Equal(["Ivan"], Values(noPetr, 100L, "name"));
    }

    [Fact]
    public void Retract_functions_on_missing_entities_are_no_ops()
    {
        var db = Untyped();
        var report = db.With("[[:db/retractEntity 100] [:db.fn/retractAttribute 100 :name]]");
        Assert.Equal(Eav(db), Eav(report.DbAfter));
        Assert.Single(report.TxData);
    }

    [Fact]
    public void Nil_elements_of_tx_data_are_skipped()
    {
        // Datahike's transact loop (transaction.cljc, `(nil? entity) (recur report entities)`) skips them.
        var report = Untyped().With("[nil [:db/add 100 :name \"Ivan\"] nil {:db/id 101 :name \"Petr\"} nil]");
        Assert.Equal(["Ivan"], Values(report.DbAfter, 100L, "name"));
        Assert.Equal(["Petr"], Values(report.DbAfter, 101L, "name"));
        Assert.Equal(3, report.TxData.Count);
        Assert.Equal(Eav(Untyped()), Eav(Untyped().With("[nil]").DbAfter));
    }

    [Fact]
    public void Retract_on_a_lookup_ref_or_ident_that_finds_nothing_is_a_no_op()
    {
        // Datahike's apply-db-op :db/retract: `(if-some [e (dbu/entid db e)] ... [report []])`, as for
        // retractEntity and retractAttribute; a ref value goes through entid-strict and must exist.
        var db = NewDb("""
            [{:db/ident :id :db/valueType :db.type/long :db/unique :db.unique/identity :db/cardinality :db.cardinality/one}
             {:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
             {:db/ident :friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}]
            """).DbWith("[{:id 1 :name \"x\"}]");
        var report = db.With("[[:db/retract [:id 98] :name \"x\"] [:db/retract [:id 98] :name] [:db/retract :no-such-ident :name \"x\"]]");
        Assert.Equal(Eav(db), Eav(report.DbAfter));
        Assert.Single(report.TxData);
        var error = Rejects(db, "[[:db/retract [:id 1] :friend [:id 98]]]", "entity-id/missing");
        Assert.Equal("Nothing found for entity id [:id 98]", error.Message);
    }

    [Theory]
    // transact_test.cljc test-cas: the tempid was allocated by the :db/add before it, and is still refused.
    [InlineData("[[:db/add -1 :name \"Ivan\"] [:db.fn/cas -1 :attr nil :val]]", "[:db.fn/cas -1 :attr nil :val]")]
    // validation_test.cljc test-with-validation.
    [InlineData("[[:db/retract -1 :name \"Ivan\"]]", "[:db/retract -1 :name \"Ivan\"]")]
    [InlineData("[[:db/add -1 :name \"Ivan\"] [:db/cas -1 :name \"Ivan\" \"Petr\"]]", "[:db/cas -1 :name \"Ivan\" \"Petr\"]")]
    [InlineData("[[:db/add \"t\" :name \"Ivan\"] [:db/retractEntity \"t\"]]", "[:db/retractEntity \"t\"]")]
    [InlineData("[[:db/add -1 :name \"Ivan\"] [:db.fn/retractEntity -1]]", "[:db.fn/retractEntity -1]")]
    [InlineData("[[:db/add -1 :name \"Ivan\"] [:db.fn/retractAttribute -1 :name]]", "[:db.fn/retractAttribute -1 :name]")]
    [InlineData("[[:db/add -1 :name \"Ivan\"] [:db/retract -1 :name]]", "[:db/retract -1 :name]")]
    [InlineData("[[:db.purge/entity -1]]", "[:db.purge/entity -1]")]
    public void A_tempid_is_allowed_only_in_the_entity_position_of_db_add(string tx, string op)
    {
        var error = Rejects(Untyped(), tx, "transact/syntax");
        Assert.Equal($"Can't use tempid in '{op}'. Tempids are allowed in :db/add only", error.Message);
    }

    [Fact]
    public void Retract_entity_through_a_lookup_ref()
    {
        var db = NewDb("[{:db/ident :name :db/valueType :db.type/string :db/unique :db.unique/identity :db/cardinality :db.cardinality/one}]")
            .DbWith("[{:name \"Ivan\"} {:name \"Petr\"}]");
        var after = db.DbWith("[[:db/retractEntity [:name \"Ivan\"]]]");
        Assert.Null(after.Entid(Read("[:name \"Ivan\"]")!));
        Assert.NotNull(after.Entid(Read("[:name \"Petr\"]")!));
    }

    [Fact]
    public void Tempids_resolve_once_per_transaction_and_refs_between_them()
    {
        var report = Untyped().With("""
            [[:db/add -1 :name "Ivan"] [:db/add -2 :name "Petr"] [:db/add -1 :friend -2] [:db/add "oleg" :friend -1]]
            """);
        long ivan = report.TempIds[-1L], petr = report.TempIds[-2L], oleg = report.TempIds["oleg"];
        Assert.Equal([petr], Values(report.DbAfter, ivan, "friend"));
        Assert.Equal([ivan], Values(report.DbAfter, oleg, "friend"));
        Assert.Equal(3, new HashSet<long> { ivan, petr, oleg }.Count);
        Assert.Equal(report.Tx, report.TempIds[K("db/current-tx")]);
    }

    [Fact]
    public void New_entities_are_numbered_after_the_largest_id_in_use()
    {
        var db = Untyped();
        long first = db.MaxEid + 1;
        var report = db.With("[{:db/id -1 :name \"Ivan\"} {:db/id -2 :name \"Petr\"}]");
        Assert.Equal(first, report.TempIds[-1L]);
        Assert.Equal(first + 1, report.TempIds[-2L]);
        var explicitId = report.DbAfter.DbWith("[[:db/add 500 :name \"Oleg\"]]");
        Assert.Equal(500, explicitId.MaxEid);
        Assert.Equal(501, explicitId.With("[{:name \"Anna\"}]").DbAfter.MaxEid);
    }

    [Fact]
    public void Current_tx_as_entity_and_as_value()
    {
        var report = Untyped("[{:db/ident :created-at :db/valueType :db.type/ref}]").With("""
            [{:name "X" :created-at :db/current-tx}
             {:db/id :db/current-tx :prop1 "prop-value1"}
             [:db/add :db/current-tx :prop2 "prop-value2"]
             [:db/add "datomic.tx" :prop3 "prop-value3"]]
            """);
        long tx = report.Tx;
        Assert.Equal(536870914, tx);
        var entity = report.DbAfter.Datoms(IndexType.Aevt, K("name")).Single().E;
        Assert.Equal([tx], Values(report.DbAfter, entity, "created-at"));
        Assert.Equal(["prop-value1"], Values(report.DbAfter, tx, "prop1"));
        Assert.Equal(["prop-value2"], Values(report.DbAfter, tx, "prop2"));
        Assert.Equal(["prop-value3"], Values(report.DbAfter, tx, "prop3"));
        Assert.Equal(tx, report.TempIds[K("db/current-tx")]);
    }

    [Fact]
    public void Reasserting_an_existing_fact_adds_nothing()
    {
        var db = Untyped().DbWith("[{:db/id 100 :name \"Ivan\" :aka \"X\"}]");
        var report = db.With("[[:db/add 100 :name \"Ivan\"] [:db/add 100 :aka \"X\"]]");
        var data = Assert.Single(report.TxData);
        Assert.Equal(K("db/txInstant"), data.A);
        Assert.Equal(
            db.History().Datoms(IndexType.Eavt, 100L).Count(),
            report.DbAfter.History().Datoms(IndexType.Eavt, 100L).Count());
    }

    [Fact]
    public void Tx_data_holds_the_implicit_retraction_of_a_replaced_card_one_value()
    {
        var db = Untyped().DbWith("[[:db/add 100 :name \"Ivan\"]]");
        var report = db.With("[[:db/add 100 :name \"Petr\"]]");
        var data = report.TxData.Where(d => d.E == 100).Select(d => (d.V, d.Added, d.Tx)).ToList();
        Assert.Equal([("Ivan", false, report.Tx), ("Petr", true, report.Tx)], data.OrderBy(d => d.Added).ToList());
    }

    [Fact]
    public void Adding_and_retracting_one_fact_in_one_transaction()
    {
        var db = Untyped();
        var report = db.With("[[:db/add 100 :name \"Ivan\"] [:db/retract 100 :name \"Ivan\"]]");
        Assert.Empty(Values(report.DbAfter, 100L, "name"));
    }

    [Fact]
    public void Compare_and_swap()
    {
        using var conn = Connect("[{:db/ident :weight :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]");
        conn.Transact("[[:db/add 100 :weight 200]]");
        conn.Transact("[[:db.fn/cas 100 :weight 200 300]]");
        Assert.Equal([300L], Values(conn.Db, 100L, "weight"));
        conn.Transact("[[:db/cas 100 :weight 300 400]]");
        Assert.Equal([400L], Values(conn.Db, 100L, "weight"));
        var error = Rejects(conn, "[[:db.fn/cas 100 :weight 200 210]]", "transact/cas");
        Assert.Contains(":db.fn/cas failed on datom [100 :weight 400], expected 200", error.Message);
    }

    [Fact]
    public void Compare_and_swap_with_nil_means_no_value()
    {
        using var conn = Connect("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
        conn.Transact("[[:db/cas 100 :name nil \"Ivan\"]]");
        Assert.Equal(["Ivan"], Values(conn.Db, 100L, "name"));
        Rejects(conn, "[[:db/cas 100 :name nil \"Petr\"]]", "transact/cas");
    }

    [Fact]
    public void Compare_and_swap_on_a_card_many_attribute_checks_membership()
    {
        using var conn = Connect("[{:db/ident :label :db/valueType :db.type/keyword :db/cardinality :db.cardinality/many}]");
        conn.Transact("[[:db/add 100 :label :x] [:db/add 100 :label :y]]");
        conn.Transact("[[:db/cas 100 :label :y :z]]");
        Assert.Equal([K("x"), K("y"), K("z")], Values(conn.Db, 100L, "label"));
        Rejects(conn, "[[:db/cas 100 :label :s :t]]", "transact/cas");
    }

    [Fact]
    public void Compare_and_swap_on_refs_accepts_lookup_refs()
    {
        using var conn = Connect("""
            [{:db/ident :name :db/valueType :db.type/string :db/unique :db.unique/identity :db/cardinality :db.cardinality/one}
             {:db/ident :friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}]
            """);
        conn.Transact("[{:db/id 100 :name \"Ivan\"} {:db/id 101 :name \"Petr\"} {:db/id 102 :name \"Oleg\" :friend 100}]");
        conn.Transact("[[:db/cas [:name \"Oleg\"] :friend [:name \"Ivan\"] [:name \"Petr\"]]]");
        Assert.Equal([101L], Values(conn.Db, 102L, "friend"));
    }

    [Fact]
    public void Transaction_functions_by_call_and_by_name()
    {
        var functions = new FunctionRegistry();
        TxFunction incAge = (db, args) =>
        {
            long age = (long)db.Datoms(IndexType.Eavt, args[0], K("age")).Single().V;
            return Read($"[[:db/add {args[0]} :age {age + (long)args[1]!}]]");
        };
        functions.RegisterTxFunction(K("inc-age"), incAge);
        using var conn = Connect("[{:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]", functions);
        conn.Transact("[{:db/id 100 :age 31}]");
        conn.Transact(new object[] { EdnVector.Create(K("db.fn/call"), incAge, 100L, 1L) });
        Assert.Equal([32L], Values(conn.Db, 100L, "age"));
        conn.Transact("[[:inc-age 100 10]]");
        Assert.Equal([42L], Values(conn.Db, 100L, "age"));
    }

    [Fact]
    public void Transaction_functions_see_the_transaction_so_far()
    {
        var functions = new FunctionRegistry();
        functions.RegisterTxFunction(K("copy-name"), (db, args) =>
        {
            var name = db.Datoms(IndexType.Eavt, args[0], K("name")).Single().V;
            return new object[] { EdnVector.Create(K("db/add"), args[1], K("name"), name) };
        });
        using var conn = Connect("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]", functions);
        conn.Transact("[[:db/add 100 :name \"Ivan\"] [:copy-name 100 101]]");
        Assert.Equal(["Ivan"], Values(conn.Db, 101L, "name"));
    }

    [Fact]
    public void A_failing_transaction_function_is_reported_and_changes_nothing()
    {
        var functions = new FunctionRegistry();
        functions.RegisterTxFunction(K("boom"), (_, _) => throw new InvalidOperationException("no luck"));
        functions.RegisterTxFunction(K("not-data"), (_, _) => 42L);
        using var conn = Connect("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]", functions);
        var error = Rejects(conn, "[[:db/add 100 :name \"Ivan\"] [:boom]]", "transact/fn");
        Assert.Contains("no luck", error.Message);
        Rejects(conn, "[[:not-data]]", "transact/fn");
        var unknown = Rejects(conn, "[[:no-such-fn 1]]", "transact/syntax");
        Assert.Contains(":no-such-fn", unknown.Message);
    }

    [Fact]
    public void Transaction_metadata_lands_on_the_transaction_entity()
    {
        using var conn = Connect("[{:db/ident :source :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]", flexibility: SchemaFlexibility.Write);
        var report = conn.Transact("[]", Read("{:source \"import\"}"));
        Assert.Equal(["import"], Values(conn.Db, report.Tx, "source"));
        Assert.Equal(Read("{:source \"import\"}"), report.TxMeta);
        var second = conn.Transact(Read("{:tx-data [] :tx-meta {:source \"api\"}}"));
        Assert.Equal(["api"], Values(conn.Db, second.Tx, "source"));
    }

    [Fact]
    public void Tx_instant_may_be_set_but_must_increase()
    {
        using var conn = Connect("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
        var at = new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var report = conn.Transact("[[:db/add 100 :name \"Ivan\"]]", EdnMap.Of(K("db/txInstant"), at));
        Assert.Equal([at], Values(conn.Db, report.Tx, "db/txInstant").Cast<DateTime>());
        Rejects(conn, new object[] { EdnVector.Create(K("db/add"), "datomic.tx", K("db/txInstant"), at) }, "transact/tx-instant");
        Rejects(conn, new object[] { EdnVector.Create(K("db/add"), "datomic.tx", K("db/txInstant"), at.AddDays(-1)) }, "transact/tx-instant");
        conn.Transact(new object[] { EdnVector.Create(K("db/add"), "datomic.tx", K("db/txInstant"), at.AddDays(1)) });
        var later = conn.Transact("[[:db/add 100 :name \"Petr\"]]");
        Assert.True((DateTime)Values(conn.Db, later.Tx, "db/txInstant").Single() > at.AddDays(1));
    }

    [Fact]
    public void Without_history_only_given_transaction_instants_are_recorded()
    {
        var db = NewDb("[{:db/ident :source :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]", keepHistory: false);
        var plain = db.With("[[:db/add 100 :source \"a\"]]");
        Assert.Empty(Values(plain.DbAfter, plain.Tx, "db/txInstant"));
        var at = new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var withMeta = plain.DbAfter.With("[[:db/add 100 :source \"b\"]]", EdnMap.Of(K("db/txInstant"), at, K("source"), "import"));
        Assert.Equal([at], Values(withMeta.DbAfter, withMeta.Tx, "db/txInstant").Cast<DateTime>());
        Assert.Equal(["import"], Values(withMeta.DbAfter, withMeta.Tx, "source"));
    }

    [Fact]
    public void Unique_violations_and_conflicting_upserts_change_nothing()
    {
        using var conn = Connect("""
            [{:db/ident :name :db/valueType :db.type/string :db/unique :db.unique/identity :db/cardinality :db.cardinality/one}
             {:db/ident :email :db/valueType :db.type/string :db/unique :db.unique/value :db/cardinality :db.cardinality/one}]
            """);
        conn.Transact("[{:db/id 100 :name \"Ivan\" :email \"@1\"} {:db/id 200 :name \"Petr\" :email \"@2\"}]");
        var value = Rejects(conn, "[[:db/add 200 :email \"@1\"]]", "transact/unique");
        Assert.Contains("because of unique constraint", value.Message);
        Rejects(conn, "[{:db/id -1 :email \"@1\"}]", "transact/unique");
        Rejects(conn, "[[:db/add 300 :email \"@9\"] [:db/add 301 :email \"@9\"]]", "transact/unique");
        var upsert = Rejects(conn, "[{:name \"Ivan\" :email \"@2\"} ]", "transact/unique");
        Assert.Contains("@2", upsert.Message);
        Rejects(conn, "[{:db/id 200 :name \"Ivan\"}]", "transact/upsert");
        Rejects(conn, "[{:db/id -1 :name \"Ivan\"} {:db/id -1 :name \"Petr\"}]", "transact/upsert");
    }

    [Fact]
    public void Listeners_see_every_report_until_disposed()
    {
        using var conn = Connect("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
        var seen = new List<TxReport>();
        var listener = conn.Listen(seen.Add);
        var r1 = conn.Transact("[[:db/add 100 :name \"Ivan\"]]");
        Assert.Same(r1, Assert.Single(seen));
        Assert.Same(conn.Db, r1.DbAfter);
        listener.Dispose();
        conn.Transact("[[:db/add 100 :name \"Petr\"]]");
        Assert.Single(seen);
    }

    [Fact]
    public void Reports_hold_the_database_before_and_after()
    {
        using var conn = Connect("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
        var before = conn.Db;
        var report = conn.Transact("[[:db/add 100 :name \"Ivan\"]]");
        Assert.Same(before, report.DbBefore);
        Assert.Empty(Values(report.DbBefore, 100L, "name"));
        Assert.Equal(["Ivan"], Values(report.DbAfter, 100L, "name"));
        Assert.Equal(before.MaxTx + 1, report.Tx);
    }

    [Fact]
    public async Task Concurrent_transactions_run_one_at_a_time_and_lose_nothing()
    {
        using var conn = Connect("[{:db/ident :n :db/valueType :db.type/long :db/cardinality :db.cardinality/many}]");
        var tasks = Enumerable.Range(0, 200).Select(i => Task.Run(() => conn.TransactAsync($"[[:db/add 100 :n {i}]]")));
        var reports = await Task.WhenAll(tasks);
        Assert.Equal(200, reports.Select(r => r.Tx).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (long)i), Values(conn.Db, 100L, "n").Cast<long>().Order());
    }
}
