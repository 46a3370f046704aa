using Hike.Api;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.FullText;

/// <summary>Full-text search through the database: Database.Search and Datalog's fulltext, on every kind of database value.</summary>
public sealed class FullTextSearchTests
{
    private const string Schema = """
        [{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
         {:db/ident :bio :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/fulltext true}
         {:db/ident :tags :db/valueType :db.type/string :db/cardinality :db.cardinality/many :db/fulltext true :db.fulltext/analyzer :english}]
        """;

    private const string People = """
        [{:name "alice" :bio "Machine learning researcher" :tags ["running shoes" "chess"]}
         {:name "bob" :bio "Database administrator"}
         {:name "carol" :bio "Machine learning engineer and database tuner" :tags ["runs daily"]}]
        """;

    private static long Id(Database db, string name) => db.QValue<long>("[:find ?e . :in $ ?n :where [?e :name ?n]]", name);

    private static List<string> Names(Database db, IEnumerable<FullTextResult> results) =>
        [.. results.Select(r => db.QValue<string>("[:find ?n . :in $ ?e :where [?e :name ?n]]", r.Entity)!)];

    [Fact]
    public void Search_ranks_matches_and_Datalog_binds_entity_value_tx_and_score()
    {
        var db = NewDb(Schema, data: People);
        Assert.Equal(["alice", "carol"], Names(db, db.Search(":bio", "machine learning")));
        Assert.Equal(["carol"], Names(db, db.Search("bio", "+machine +database")));
        Assert.Equal(["alice"], Names(db, db.Search("bio", "\"learning researcher\"")));
        Assert.Equal(["bob", "carol"], Names(db, db.Search("bio", "datab*")).Order());
        Assert.Empty(db.Search("bio", "machine -learning"));

        var rows = db.Q("[:find ?n ?v ?score :in $ ?q :where [(fulltext $ :bio ?q) [[?e ?v ?tx ?score]]] [?e :name ?n]]", "administrator");
        var row = Assert.Single((IEnumerable<object?>)rows!);
        var tuple = ((IEnumerable<object?>)row!).ToList();
        Assert.Equal("bob", tuple[0]);
        Assert.Equal("Database administrator", tuple[1]);
        Assert.True((double)tuple[2]! > 0);
    }

    [Fact]
    public void A_cardinality_many_attribute_matches_each_value_with_its_analyzer()
    {
        var db = NewDb(Schema, data: People);
        // :english (Porter) stems "running" and "runs" to "run"; each value is a document of its own.
        var results = db.Search("tags", "run");
        Assert.Equal(["running shoes", "runs daily"], results.Select(r => r.Value).Order(StringComparer.Ordinal));
        Assert.Empty(db.Search("bio", "run"));
    }

    [Fact]
    public void Retractions_changes_and_time_travel_answer_from_the_index_of_that_value()
    {
        var conn = Connect(Schema);
        var first = conn.Transact(People);
        conn.Transact("[{:name \"bob\" :bio \"Retired chess player\"} [:db/retract [:name \"alice\"] :bio \"Machine learning researcher\"]]");
        var db = conn.Db;
        Assert.Equal(["carol"], Names(db, db.Search("bio", "machine")));
        Assert.Equal(["bob"], Names(db, db.Search("bio", "chess")));
        Assert.Empty(db.Search("bio", "administrator"));

        var then = db.AsOf(first.Tx);
        Assert.Equal(["alice", "carol"], Names(then, then.Search("bio", "machine")).Order());
        Assert.Equal(["bob"], Names(then, then.Search("bio", "administrator")));
        Assert.Empty(then.Search("bio", "chess"));

        var since = db.Since(first.Tx);
        Assert.Equal(["bob"], Names(db, since.Search("bio", "chess")));
        Assert.Empty(since.Search("bio", "machine"));

        var filtered = db.Filter((_, d) => d.E != Id(db, "carol"));
        Assert.Empty(filtered.Search("bio", "machine"));

        var error = Assert.Throws<HikeException>(() => db.History().Search("bio", "machine"));
        Assert.Equal(ErrorCodes.FulltextHistory, error.Code);
    }

    [Fact]
    public void An_attribute_made_full_text_later_is_indexed_from_its_values_and_one_made_plain_is_not_searchable()
    {
        var conn = Connect("[{:db/ident :note :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
        conn.Transact("[{:note \"quiet forest walk\"} {:note \"busy city street\"}]");
        Assert.Equal(ErrorCodes.FulltextNotIndexed, Assert.Throws<HikeException>(() => conn.Db.Search("note", "forest")).Code);

        conn.Transact("[{:db/ident :note :db/fulltext true}]");
        Assert.Equal(["quiet forest walk"], conn.Db.Search("note", "forest").Select(r => r.Value));
        conn.Transact("[{:note \"forest fire\"}]");
        Assert.Equal(2, conn.Db.Search("note", "forest").Count);

        conn.Transact("[[:db/retract :note :db/fulltext true]]");
        Assert.Equal(ErrorCodes.FulltextNotIndexed, Assert.Throws<HikeException>(() => conn.Db.Search("note", "forest")).Code);
    }

    [Fact]
    public void A_purged_value_is_found_neither_now_nor_as_of_before_the_purge()
    {
        var conn = Connect(Schema);
        var first = conn.Transact(People);
        conn.Transact("[{:name \"carol\" :bio \"Retired\"}]");
        conn.Transact("[[:db/purge [:name \"bob\"] :bio \"Database administrator\"] [:db.purge/attribute [:name \"carol\"] :bio]]");
        Assert.Empty(conn.Db.Search("bio", "administrator"));
        Assert.Empty(conn.Db.Search("bio", "retired"));
        Assert.Empty(conn.Db.AsOf(first.Tx).Search("bio", "administrator"));
        Assert.Equal(["alice"], Names(conn.Db, conn.Db.AsOf(first.Tx).Search("bio", "machine")));
    }

    [Fact]
    public async Task Bulk_loaded_values_and_a_commit_read_as_a_database_are_searchable()
    {
        var db = NewDb(Schema, data: People);
        var loaded = db.WithDatoms([new Datom(100, K("bio"), "Bulk loaded biography", db.MaxTx, true)]);
        Assert.Equal(100, Assert.Single(loaded.Search("bio", "biography")).Entity);
        Assert.Empty(db.Search("bio", "biography"));

        var conn = Connect(Schema);
        var first = conn.Transact(People);
        conn.Transact("[{:name \"dave\" :bio \"Machine operator\"}]");
        var then = await conn.CommitAsDbAsync(first.DbAfter.CommitId!.Value);
        Assert.Equal(2, then.Search("bio", "machine").Count);
        Assert.Equal(3, conn.Db.Search("bio", "machine").Count);
    }

    [Fact]
    public void The_planner_runs_a_search_first_only_when_it_matches_fewer_rows_than_the_other_clauses_bind()
    {
        var conn = Connect(Schema);
        conn.Transact(People);
        conn.Transact("[" + string.Concat(Enumerable.Range(0, 60).Select(i => $"{{:name \"p{i}\" :bio \"common words for person {i}\"}} ")) + "]");
        const string Query = "[:find ?n :in $ ?q ?who :where [(fulltext $ :bio ?q) [[?e ?v]]] [?e :name ?who] [?e :name ?n]]";
        // A search matching 60 values, and a name that binds one entity: the lookup by name goes first.
        var broad = Datalog.Explain(Query, conn.Db, "common", "p7");
        Assert.True(broad.IndexOf("?who", StringComparison.Ordinal) < broad.IndexOf("fulltext", StringComparison.Ordinal), broad);
        Assert.Equal("#{[\"p7\"]}", Hike.Edn.EdnPrinter.Print(conn.Db.Q(Query, "common", "p7")));
        // A search matching one value goes first.
        var narrow = Datalog.Explain("[:find ?n :in $ ?q :where [?e :name ?n] [(fulltext $ :bio ?q) [[?e ?v]]]]", conn.Db, "administrator");
        Assert.True(narrow.IndexOf("fulltext", StringComparison.Ordinal) < narrow.IndexOf(":name", StringComparison.Ordinal), narrow);
    }

    [Fact]
    public void A_value_replaced_within_its_own_transaction_leaves_only_the_last()
    {
        var conn = Connect(Schema);
        conn.Transact("[[:db/add \"e\" :name \"eve\"] [:db/add \"e\" :bio \"first draft\"] [:db/add \"e\" :bio \"second draft\"] [:db/add \"e\" :bio \"final version\"]]");
        Assert.Empty(conn.Db.Search("bio", "draft"));
        Assert.Equal(["eve"], Names(conn.Db, conn.Db.Search("bio", "final")));
    }

    [Fact]
    public void Highlighting_marks_the_matched_words_as_written()
    {
        var db = NewDb(Schema, data: People);
        var result = Assert.Single(db.Search("bio", "+Machine +engineer* -researcher", highlight: new FullTextHighlight()));
        Assert.Equal("<b>Machine</b> learning <b>engineer</b> and database tuner", result.Highlighted);
        // The :english analyzer stems: "runs" matches "running" too, marked as written.
        var tags = db.Search("tags", "\"run\"", highlight: new FullTextHighlight("[", "]")).Select(r => r.Highlighted).Order(StringComparer.Ordinal);
        Assert.Equal(["[running] shoes", "[runs] daily"], tags);
        Assert.Null(db.Search("bio", "machine")[0].Highlighted);
    }

    [Fact]
    public void Bad_query_syntax_names_the_position()
    {
        var db = NewDb(Schema, data: People);
        var error = Assert.Throws<HikeException>(() => db.Search("bio", "machine AND (learning"));
        Assert.Equal(ErrorCodes.FulltextSyntax, error.Code);
    }
}
