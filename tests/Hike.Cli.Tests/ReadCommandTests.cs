namespace Hike.Cli.Tests;

/// <summary>Index walks, query statistics and plans, joins over several databases and files, and the output formats.</summary>
public sealed class ReadCommandTests : IClassFixture<ReadCommandTests.People>
{
    private readonly Fixture _f;

    public ReadCommandTests(People people) => _f = people.Fixture;

    [Fact]
    public void Seek_and_rseek_walk_an_index_from_a_position()
    {
        // To the end of the index: Cy, then the transactions' datoms.
        var seek = _f.Ok("seek-datoms", "db:cfg.edn", "{:index :eavt :components [5]}");
        Assert.StartsWith("(#datahike/Datom [5 :name \"Cy\" 536870914 true] #datahike/Datom [5 :age 50 536870914 true] #datahike/Datom [536870913 :db/txInstant #inst \"", seek);
        // Back to the start: Bo, Al, then the schema's datoms.
        var rseek = _f.Ok("rseek-datoms", "db:cfg.edn", "{:index :eavt :components [4 :age]}");
        Assert.StartsWith("(#datahike/Datom [4 :age 40 536870914 true] #datahike/Datom [4 :name \"Bo\" 536870914 true] #datahike/Datom [3 :age 30 536870914 true] #datahike/Datom [3 :name \"Al\" 536870914 true] #datahike/Datom [2 ", rseek);
        Assert.EndsWith("#datahike/Datom [1 :db/ident :name 536870913 true])", rseek);
        Assert.Equal("(#datahike/Datom [4 :name \"Bo\" 536870914 true] #datahike/Datom [5 :name \"Cy\" 536870914 true])",
            _f.Ok("seek-datoms", "db:cfg.edn", "{:index :avet :components [:name \"Bo\"]}"));
    }

    [Fact]
    public void Query_stats_and_explain_show_the_plan_that_ran()
    {
        var stats = _f.Ok("query-stats", "[:find ?n :where [?e :age 40] [?e :name ?n]]", "db:cfg.edn");
        Assert.Matches("^\\{:ret #\\{\\[\"Bo\"\\]\\}, :count 1, :elapsed-ms [0-9.]+, :plan \\[\"\\[\\?e :age 40\\] .*\" \"\\[\\?e :name \\?n\\] .*\"\\]\\}$", stats);
        var plan = _f.Ok("explain", "[:find ?n :where [?e :age 40] [?e :name ?n]]", "db:cfg.edn").Split('\n');
        Assert.Equal(3, plan.Length);
        Assert.StartsWith("[?e :age 40]", plan[0]);
        Assert.Equal("=> 1 result(s)", plan[2]);
    }

    [Fact]
    public void A_query_joins_several_databases_and_files_given_as_inputs()
    {
        File.WriteAllText(Path.Combine(_f.Dir, "cities.edn"), "[[\"Al\" \"Oslo\"] [\"Cy\" \"Lima\"]]");
        File.WriteAllText(Path.Combine(_f.Dir, "min.json"), "35");
        Assert.Equal("#{[\"Cy\" \"Lima\" 50]}", _f.Ok("query",
            "[:find ?n ?city ?a :in $ $2 [[?n ?city]] ?min :where [$ ?e :name ?n] [$2 ?e2 :name ?n] [$2 ?e2 :age ?a] [(> ?a ?min)]]",
            "db:cfg.edn", "asof:tx:536870914:cfg.edn", "edn:cities.edn", "json:min.json"));
        File.WriteAllText(Path.Combine(_f.Dir, "q.edn"), "[:find (max ?a) . :where [_ :age ?a]]");
        Assert.Equal("50", _f.Ok("query", "edn:q.edn", "db:cfg.edn"));
    }

    [Fact]
    public void Pprint_lays_out_a_long_value_over_lines_and_table_shows_a_collection()
    {
        Assert.Equal("""
            [{:db/id 3, :name "Al", :age 30}
             {:db/id 4, :name "Bo", :age 40}
             {:db/id 5, :name "Cy", :age 50}]
            """.ReplaceLineEndings("\n"), _f.Ok("--format", "pprint", "pull-many", "db:cfg.edn", "[:db/id :name :age]", "[3 4 5]"));
        Assert.Equal("| ?n |\n|----|\n| Al |\n| Bo |\n| Cy |\n(3 rows)", _f.Ok("-f", "table", "query", "[:find [?n ...] :where [_ :name ?n]]", "db:cfg.edn"));
        Assert.Equal("[\"Al\",\"Bo\",\"Cy\"]", Sorted(_f.Ok("-f", "json", "query", "[:find [?n ...] :where [_ :name ?n]]", "db:cfg.edn")));
        Assert.Equal("{\"name\":{\"db/ident\":\":name\",\"db/valueType\":\":db.type/string\",\"db/cardinality\":\":db.cardinality/one\",\"db/unique\":\":db.unique/identity\",\"db/id\":1},\"age\":{\"db/ident\":\":age\",\"db/valueType\":\":db.type/long\",\"db/cardinality\":\":db.cardinality/one\",\"db/id\":2}}",
            _f.Ok("-f", "json", "schema", "db:cfg.edn"));
    }

    private static string Sorted(string jsonArray) =>
        "[" + string.Join(',', jsonArray.Trim('[', ']').Split(',').Order(StringComparer.Ordinal)) + "]";

    /// <summary>Three people, Al 30, Bo 40 and Cy 50 (entities 3 to 5), in transaction 536870914.</summary>
    public sealed class People : IDisposable
    {
        public People() => Fixture.Ok("transact", "conn:cfg.edn", "[{:name \"Al\" :age 30} {:name \"Bo\" :age 40} {:name \"Cy\" :age 50}]");

        internal Fixture Fixture { get; } = new();

        public void Dispose() => Fixture.Dispose();
    }
}
