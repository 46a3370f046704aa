using Hike.Api;
using Hike.Db;
using Hike.Edn;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Api;

/// <summary>Datahike's <c>load-entities</c>: replaying an exported history into another database.</summary>
public sealed class LoadEntitiesTests
{
    private const string Schema = """
        [{:db/ident :person/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
         {:db/ident :person/age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
         {:db/ident :person/friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}
         {:db/ident :person/best :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}
         {:db/ident :tx/source :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
         {:db/ident :tx/follows :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}]
        """;

    private static readonly DateTime Jan1 = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Loaded_history_has_the_same_facts_transactions_instants_and_metadata()
    {
        using var source = await Fresh();
        await BuildHistory(source);
        var export = Export(source.Db);

        using var target = await Fresh();
        var report = await target.LoadEntitiesAsync(export);

        Assert.Equal(5, report.Transactions);
        Assert.Equal(export.Count, report.Datoms);
        Assert.Equal(source.Db.MaxTx, target.Db.MaxTx);
        Assert.Equal(Instants(source.Db), Instants(target.Db));
        Assert.Equal([Jan1, Jan1.AddDays(1), Jan1.AddDays(2), Jan1.AddDays(3), Jan1.AddDays(4)], Instants(target.Db));
        Assert.Equal(Facts(source.Db), Facts(target.Db));
        Assert.Equal(Facts(source.Db, history: true), Facts(target.Db, history: true));

        var db = target.Db;
        AssertEdn("""{:person/name "Alice" :person/age 31}""", db.Pull("[:person/name :person/age]", EdnReader.Read("[:person/name \"Alice\"]")!));
        Assert.Equal(["Carol"], Sorted(db.Q("[:find [?fn ...] :where [?a :person/name \"Alice\"] [?a :person/friend ?f] [?f :person/name ?fn]]")));
        Assert.Equal(["Alice"], Sorted(db.Q("[:find [?bn ...] :where [?c :person/name \"Carol\"] [?c :person/best ?b] [?b :person/name ?bn]]")));
        Assert.Empty(Sorted(db.Q("[:find [?age ...] :where [?b :person/name \"Bob\"] [?b :person/age ?age]]")));
        // Retractions are replayed as retractions, in the transactions that made them.
        Assert.Equal(
            [(30L, true, Jan1.AddDays(1)), (30L, false, Jan1.AddDays(2)), (31L, true, Jan1.AddDays(2))],
            AgeHistory(db, "Alice"));
        Assert.Equal([(40L, true, Jan1.AddDays(1)), (40L, false, Jan1.AddDays(3))], AgeHistory(db, "Bob"));
        // Metadata stays on its transaction, and a ref to an earlier transaction points at its new id.
        Assert.Equal(
            ["cleanup", "import batch"],
            Sorted(db.Q("[:find [?s ...] :where [?tx :tx/source ?s] [?tx :db/txInstant ?t]]")));
        Assert.Equal(Jan1.AddDays(1), db.Q("[:find ?t . :where [?tx :tx/source \"cleanup\"] [?tx :tx/follows ?p] [?p :db/txInstant ?t]]"));
        Assert.True(report.EntityIds.ContainsKey(source.Db.MaxTx));
        Assert.Equal(target.Db.MaxTx, report.EntityIds[source.Db.MaxTx]);
    }

    [Fact]
    public async Task Source_ids_get_new_ids_and_refs_follow_them()
    {
        using var target = await Fresh();
        await target.TransactAsync("[{:db/ident :other/thing :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]", EdnMap.Of(Idents.TxInstant, Jan1.AddDays(-1)));
        await target.TransactAsync("[{:other/thing 1} {:other/thing 2} {:other/thing 3}]", EdnMap.Of(Idents.TxInstant, Jan1.AddDays(-1).AddHours(1)));
        using var source = await Fresh();
        await BuildHistory(source);

        var report = await target.LoadEntitiesAsync(Export(source.Db));

        Assert.Equal(5, report.Transactions);
        long alice = (long)target.Db.Entid(EdnReader.Read("[:person/name \"Alice\"]")!)!;
        long sourceAlice = (long)source.Db.Entid(EdnReader.Read("[:person/name \"Alice\"]")!)!;
        Assert.Equal(alice, report.EntityIds[sourceAlice]);
        Assert.NotEqual(sourceAlice, alice);
        Assert.Equal(Facts(source.Db), Facts(target.Db).Where(f => !f.Contains(":other/thing", StringComparison.Ordinal)).ToList());
        Assert.Equal(3L, target.Db.Q("[:find (count ?e) . :where [?e :other/thing]]"));
    }

    [Fact]
    public async Task Datoms_given_as_five_element_vectors_load_like_datom_values()
    {
        using var target = await Fresh();
        var data = (IEnumerable<object?>)EdnReader.Read("""
            [[10 :db/ident :name 536870913 true]
             [10 :db/valueType :db.type/string 536870913 true]
             [10 :db/cardinality :db.cardinality/one 536870913 true]
             [11 :db/ident :parent 536870913 true]
             [11 :db/valueType :db.type/ref 536870913 true]
             [11 :db/cardinality :db.cardinality/one 536870913 true]
             [536870913 :db/txInstant #inst "2021-05-01T00:00:00.000Z" 536870913 true]
             [20 :name "child" 536870914 true]
             [20 :parent 21 536870914 true]
             [21 :name "parent" 536870914 true]
             [536870914 :db/txInstant #inst "2021-05-02T00:00:00.000Z" 536870914 true]
             [20 :name "child" 536870915 false]
             [20 :name "kid" 536870915 true]
             [536870915 :db/txInstant #inst "2021-05-03T00:00:00.000Z" 536870915 true]]
            """)!;

        var report = await target.LoadEntitiesAsync(data);

        Assert.Equal(3, report.Transactions);
        Assert.Equal(14, report.Datoms);
        Assert.Equal("parent", target.Db.Q("[:find ?pn . :where [?c :name \"kid\"] [?c :parent ?p] [?p :name ?pn]]"));
        Assert.Equal(new DateTime(2021, 5, 3, 0, 0, 0, DateTimeKind.Utc), Instants(target.Db)[^1]);
        Assert.Null(target.Db.Q("[:find (count ?c) . :where [?c :name \"child\"]]"));
    }

    [Fact]
    public async Task A_chain_of_transactions_each_referring_to_the_previous_one_loads_in_order()
    {
        using var source = await Fresh();
        await source.TransactAsync("[{:db/ident :node/n :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique :db.unique/identity} {:db/ident :node/next :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}]", EdnMap.Of(Idents.TxInstant, Jan1));
        await source.TransactAsync("[{:node/n 0}]", EdnMap.Of(Idents.TxInstant, Jan1.AddSeconds(1)));
        for (int i = 1; i < 60; i++)
        {
            await source.TransactAsync($"[{{:node/n {i} :node/next [:node/n {i - 1}]}}]", EdnMap.Of(Idents.TxInstant, Jan1.AddSeconds(i + 1)));
        }
        using var target = await Fresh();

        var report = await target.LoadEntitiesAsync(Export(source.Db));

        Assert.Equal(61, report.Transactions);
        Assert.Equal(Facts(source.Db, history: true), Facts(target.Db, history: true));
        Assert.Equal(57L, target.Db.Q("[:find ?m . :where [?e :node/n 59] [?e :node/next ?p] [?p :node/next ?q] [?q :node/n ?m]]"));
    }

    [Fact]
    public async Task Many_small_transactions_share_commits_and_keep_their_order()
    {
        using var source = await Fresh();
        await source.TransactAsync(Schema, EdnMap.Of(Idents.TxInstant, Jan1));
        for (int i = 0; i < 300; i++)
        {
            await source.TransactAsync($"[{{:person/name \"p{i}\" :person/age {i}}}]", EdnMap.Of(Idents.TxInstant, Jan1.AddMinutes(i + 1)));
        }
        using var target = await Fresh();
        var seen = new List<long>();

        var report = await target.LoadEntitiesAsync(Export(source.Db), new ListProgress(seen));

        Assert.Equal(301, report.Transactions);
        Assert.Equal(source.Db.MaxTx, target.Db.MaxTx);
        Assert.Equal(Instants(source.Db), Instants(target.Db));
        Assert.Equal(Facts(source.Db), Facts(target.Db));
        Assert.Equal(report.Datoms, seen[^1]);
        Assert.Equal(seen.Order().ToList(), seen);
    }

    [Fact]
    public async Task A_database_without_history_exports_its_current_datoms_by_transaction()
    {
        var config = new DatabaseConfig { KeepHistory = false };
        using var source = await Database.CreateAndConnectAsync(TestBackend.Place(config));
        await BuildHistory(source);
        var export = source.Db.Datoms(IndexType.Eavt).OrderBy(d => d.Tx).Select(d => (object?)d).ToList();
        using var target = await Fresh();

        await target.LoadEntitiesAsync(export);

        Assert.Equal(Facts(source.Db), Facts(target.Db));
    }

    [Fact]
    public async Task Composite_tuples_are_recomputed_rather_than_loaded()
    {
        using var source = await Fresh();
        await source.TransactAsync("""
            [{:db/ident :a :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
             {:db/ident :b :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
             {:db/ident :a+b :db/valueType :db.type/tuple :db/tupleAttrs [:a :b] :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}]
            """, EdnMap.Of(Idents.TxInstant, Jan1));
        await source.TransactAsync("[{:a 1 :b 2} {:a 3 :b 4}]", EdnMap.Of(Idents.TxInstant, Jan1.AddDays(1)));
        await source.TransactAsync("[[:db/add [:a+b [1 2]] :b 5]]", EdnMap.Of(Idents.TxInstant, Jan1.AddDays(2)));
        using var target = await Fresh();

        await target.LoadEntitiesAsync(Export(source.Db));

        Assert.Equal(Sorted(source.Db.Q("[:find [?t ...] :where [_ :a+b ?t]]")), Sorted(target.Db.Q("[:find [?t ...] :where [_ :a+b ?t]]")));
        Assert.Equal(["[1 5]", "[3 4]"], Sorted(target.Db.Q("[:find [?t ...] :where [_ :a+b ?t]]")));
    }

    [Fact]
    public async Task Without_a_schema_to_enforce_undeclared_attributes_load()
    {
        using var target = await Database.CreateAndConnectAsync(TestBackend.Place(new DatabaseConfig { SchemaFlexibility = SchemaFlexibility.Read }));
        var data = (IEnumerable<object?>)EdnReader.Read("""
            [[5 :color "red" 536870913 true]
             [5 :size 3 536870913 true]
             [5 :size 3 536870914 false]]
            """)!;

        var report = await target.LoadEntitiesAsync(data);

        Assert.Equal(2, report.Transactions);
        AssertEdn("""{:color "red"}""", target.Db.Pull("[:color :size]", report.EntityIds[5]));
    }

    [Fact]
    public async Task A_cancelled_load_stops_with_the_cancellation()
    {
        using var target = await Fresh();
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => target.LoadEntitiesAsync([EdnReader.Read("[1 :db/ident :x 536870913 true]")], null, cancel.Token));

        Assert.Equal(Ids.Tx0, target.Db.MaxTx);
    }

    [Fact]
    public async Task A_datom_of_the_wrong_shape_is_an_error_naming_it()
    {
        using var target = await Fresh();
        var error = await Assert.ThrowsAsync<HikeException>(() => target.LoadEntitiesAsync([EdnReader.Read("[1 :db/ident]")]));
        Assert.Equal("transact/syntax", error.Code);
        Assert.Contains("[1 :db/ident]", error.Message, StringComparison.Ordinal);

        error = await Assert.ThrowsAsync<HikeException>(() => target.LoadEntitiesAsync([EdnReader.Read("[1 \"name\" \"x\" 536870913 true]")]));
        Assert.Equal("transact/syntax", error.Code);
        Assert.Equal(Ids.Tx0, target.Db.MaxTx);
    }

    [Fact]
    public async Task An_unknown_attribute_is_an_error_naming_the_datom()
    {
        using var target = await Fresh();
        var error = await Assert.ThrowsAsync<HikeException>(() => target.LoadEntitiesAsync([EdnReader.Read("[1 :no/such \"x\" 536870913 true]")]));
        Assert.Equal("transact/schema", error.Code);
        Assert.Contains("[1 :no/such \"x\" 536870913 true]", error.Message, StringComparison.Ordinal);
        Assert.Equal(Ids.Tx0, target.Db.MaxTx);
    }

    [Fact]
    public async Task Datoms_out_of_transaction_order_are_an_error()
    {
        using var target = await Fresh();
        var data = (IEnumerable<object?>)EdnReader.Read("""
            [[10 :db/ident :name 536870914 true]
             [11 :db/ident :age 536870913 true]]
            """)!;
        var error = await Assert.ThrowsAsync<HikeException>(() => target.LoadEntitiesAsync(data));
        Assert.Equal("transact/syntax", error.Code);
        Assert.Contains("out of order", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_transaction_names_its_source_transaction_and_keeps_the_ones_before_it()
    {
        using var target = await Fresh();
        var data = (IEnumerable<object?>)EdnReader.Read("""
            [[10 :db/ident :age 536870913 true]
             [10 :db/valueType :db.type/long 536870913 true]
             [10 :db/cardinality :db.cardinality/one 536870913 true]
             [20 :age 1 536870914 true]
             [21 :age "old" 536870915 true]
             [22 :age 3 536870916 true]]
            """)!;

        var error = await Assert.ThrowsAsync<HikeException>(() => target.LoadEntitiesAsync(data));

        Assert.Equal("transact/schema", error.Code);
        Assert.Contains("source transaction 536870915", error.Message, StringComparison.Ordinal);
        Assert.Equal(1L, target.Db.Q("[:find ?a . :where [_ :age ?a]]"));
        Assert.Equal(Ids.Tx0 + 2, target.Db.MaxTx);
    }

    [Fact]
    public async Task Instants_before_the_databases_last_transaction_are_refused()
    {
        using var target = await Fresh();
        await target.TransactAsync("[{:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]");
        var data = (IEnumerable<object?>)EdnReader.Read("""
            [[20 :age 1 536870914 true]
             [536870914 :db/txInstant #inst "2001-01-01T00:00:00.000Z" 536870914 true]]
            """)!;

        var error = await Assert.ThrowsAsync<HikeException>(() => target.LoadEntitiesAsync(data));

        Assert.Equal("transact/tx-instant", error.Code);
        Assert.Contains("source transaction 536870914", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_load_run_again_on_the_whole_stream_continues_after_the_transactions_an_interrupted_one_committed()
    {
        using var source = await Fresh();
        await BuildHistory(source);
        var export = Export(source.Db);
        var txs = export.Select(d => ((Datom)d!).Tx).Distinct().ToList();
        for (int loaded = 0; loaded <= txs.Count; loaded++)
        {
            using var target = await Fresh();
            if (loaded > 0) await target.LoadEntitiesAsync(export.Where(d => txs.IndexOf(((Datom)d!).Tx) < loaded).ToList());

            var report = await target.LoadEntitiesAsync(export);

            Assert.Equal(loaded, report.Skipped);
            Assert.Equal(txs.Count - loaded, report.Transactions);
            Assert.Equal(source.Db.MaxTx, target.Db.MaxTx);
            Assert.Equal(Facts(source.Db, history: true), Facts(target.Db, history: true));
            Assert.Equal(target.Db.MaxTx, report.EntityIds[source.Db.MaxTx]);
        }
    }

    [Fact]
    public async Task A_load_run_again_after_other_writes_is_refused_and_changes_nothing()
    {
        using var source = await Fresh();
        await BuildHistory(source);
        var export = Export(source.Db);
        long firstTwo = export.Select(d => ((Datom)d!).Tx).Distinct().Skip(1).First();
        using var target = await Fresh();
        await target.LoadEntitiesAsync(export.Where(d => ((Datom)d!).Tx <= firstTwo).ToList());
        await target.TransactAsync("[{:person/name \"Zed\"}]");
        long maxTx = target.Db.MaxTx;

        var error = await Assert.ThrowsAsync<HikeException>(() => target.LoadEntitiesAsync(export));

        Assert.Equal("load/resume", error.Code);
        Assert.Equal($"Transaction {maxTx} of this database is not source transaction {firstTwo + 1} (its :db/txInstant differs): the database changed after the interrupted load", error.Message);
        Assert.Equal(maxTx, target.Db.MaxTx);
    }

    [Fact]
    public async Task A_transaction_at_the_streams_first_instant_that_the_stream_did_not_make_is_refused()
    {
        using var target = await Fresh();
        await target.TransactAsync("[{:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]", EdnMap.Of(Idents.TxInstant, Jan1));
        var data = (IEnumerable<object?>)EdnReader.Read("""
            [[1 :db/ident :age 536870913 true]
             [1 :db/valueType :db.type/string 536870913 true]
             [1 :db/cardinality :db.cardinality/one 536870913 true]
             [536870913 :db/txInstant #inst "2020-01-01T00:00:00.000Z" 536870913 true]]
            """)!;

        var error = await Assert.ThrowsAsync<HikeException>(() => target.LoadEntitiesAsync(data));

        Assert.Equal("load/resume", error.Code);
        Assert.StartsWith($"Transaction {Ids.Tx0 + 1} of this database has the :db/txInstant of source transaction 536870913 but not its datom", error.Message, StringComparison.Ordinal);
    }

    private static Task<Connection> Fresh() => Database.CreateAndConnectAsync(TestBackend.Place(new DatabaseConfig()));

    /// <summary>Five transactions: schema; people with refs and metadata; an update and a ref forward; a retraction; metadata referring to an earlier transaction.</summary>
    private static async Task BuildHistory(Connection conn)
    {
        await conn.TransactAsync(Schema, EdnMap.Of(Idents.TxInstant, Jan1));
        var people = await conn.TransactAsync(
            """[{:db/id "a" :person/name "Alice" :person/age 30} {:person/name "Bob" :person/age 40 :person/friend "a"}]""",
            EdnMap.Of(Idents.TxInstant, Jan1.AddDays(1), K("tx/source"), "import batch"));
        await conn.TransactAsync(
            """[{:db/id "c" :person/name "Carol" :person/best [:person/name "Alice"]} [:db/add [:person/name "Alice"] :person/friend "c"] [:db/add [:person/name "Alice"] :person/age 31]]""",
            EdnMap.Of(Idents.TxInstant, Jan1.AddDays(2)));
        await conn.TransactAsync(
            """[[:db/retract [:person/name "Bob"] :person/age 40] [:db/retract [:person/name "Bob"] :person/friend [:person/name "Alice"]]]""",
            EdnMap.Of(Idents.TxInstant, Jan1.AddDays(3)));
        await conn.TransactAsync(
            "[]",
            EdnMap.Of(Idents.TxInstant, Jan1.AddDays(4), K("tx/source"), "cleanup", K("tx/follows"), people.Tx));
    }

    /// <summary>What an export writes: the history (or current datoms) in transaction order.</summary>
    private static List<object?> Export(Database db) =>
        (db.KeepsHistory ? db.History() : db).Datoms(IndexType.Eavt).OrderBy(d => d.Tx).Select(d => (object?)d).ToList();

    private static List<DateTime> Instants(Database db) =>
        db.Datoms(IndexType.Aevt, Idents.TxInstant).OrderBy(d => d.E).Select(d => (DateTime)d.V).ToList();

    private static List<(long Age, bool Added, DateTime At)> AgeHistory(Database db, string name)
    {
        long e = (long)db.Entid(EdnVector.Create(K("person/name"), name))!;
        return db.History().Datoms(IndexType.Eavt, e, K("person/age"))
            .Select(d => ((long)d.V, d.Added, Instant(db, d.Tx)))
            .OrderBy(x => x.Item3).ThenBy(x => x.Added).ToList();
    }

    private static DateTime Instant(Database db, long tx) => (DateTime)db.Datoms(IndexType.Eavt, tx, Idents.TxInstant).Single().V;

    /// <summary>
    /// Every datom with ids replaced by what identifies them in any copy: an attribute's ident, a
    /// person's name, a transaction's instant. Sorted, so two databases compare as lists.
    /// </summary>
    private static List<string> Facts(Database current, bool history = false)
    {
        var refs = new HashSet<Keyword>(current.ReverseSchema().Get(K("db.type/ref")) is IEnumerable<object?> r ? r.Cast<Keyword>() : []);
        var db = history ? current.History() : current;
        string Label(long id)
        {
            if (id >= Ids.Tx0) return "tx@" + EdnPrinter.Print(Instant(current, id));
            foreach (var attr in new[] { Idents.Ident, K("person/name"), K("node/n"), K("name"), K("other/thing") })
            {
                if (current.Datoms(IndexType.Eavt, id, attr).FirstOrDefault() is { A: not null } d) return EdnPrinter.Print(d.V);
            }
            // Keyed by value only in the history: an entity whose identifying facts were all retracted.
            return "#" + id;
        }
        return db.Datoms(IndexType.Eavt)
            .Where(d => !ReferenceEquals(d.A, Idents.TxInstant))
            .Select(d => $"{Label(d.E)} {d.A} {(refs.Contains(d.A) ? Label((long)d.V) : EdnPrinter.Print(d.V))} {(history ? Label(d.Tx) + " " + d.Added : "")}")
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static List<string> Sorted(object? queryResult) =>
        ((IEnumerable<object?>)queryResult!).Select(x => x is string s ? s : EdnPrinter.Print(x)).Order(StringComparer.Ordinal).ToList();

    /// <summary>Records progress reports as they come, on the reporting thread.</summary>
    private sealed class ListProgress(List<long> seen) : IProgress<long>
    {
        public void Report(long value) => seen.Add(value);
    }
}
