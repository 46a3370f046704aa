using Hike.Api;
using Hike.Db;
using Hike.Edn;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Query;

/// <summary>The planner's choices, read from <see cref="Datalog.Explain"/>: order from index counts, never from the written order.</summary>
public sealed class PlannerTests
{
    private static readonly Database People = BuildPeople();

    private static Database BuildPeople()
    {
        var db = NewDb("""
            [{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
             {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/index true}
             {:db/ident :city :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]
            """);
        var people = Enumerable.Range(0, 400).Select(i =>
            EdnMap.Of(K("name"), i % 40 == 0 ? "Ivan" : "Name" + (i % 7), K("age"), (long)(i % 90), K("city"), i % 2 == 0 ? "Oslo" : "Rome"));
        return db.DbWith(EdnVector.Create([.. people]));
    }

    private static string[] Steps(string query, params object?[] inputs) =>
        [.. Datalog.Explain(query, [People, .. inputs]).Split('\n').Select(l => l.Trim())];

    private static string FirstClause(string query) => Steps(query)[0].Split("  --")[0];

    [Fact]
    public void A_pattern_whose_variables_two_inputs_bind_reads_per_row_of_one_and_joins_the_other()
    {
        // Every entity by id, every age: their product is 160,000 rows, over the bound of 50,000,
        // while reading :age per entity and joining the ages by hash holds 400.
        var ids = EdnVector.Create([.. People.Datoms(IndexType.Aevt, K("age")).Select(d => (object?)d.E)]);
        var ages = EdnVector.Create([.. Enumerable.Range(0, 400).Select(i => (object?)(long)i)]);
        const string query = "[:find (count ?e) . :in $ [?e ...] [?a ...] :where [?e :age ?a] :max-rows 50000]";
        Assert.Equal(400L, Datalog.Q(query, People, ids, ages));
        Assert.Contains(Steps(query, ids, ages), s => s.StartsWith("[?e :age ?a]") && s.Contains("by entity"));
    }

    [Fact]
    public void The_most_selective_pattern_runs_first_whatever_the_written_order()
    {
        Assert.Equal("[?e :name \"Ivan\"]", FirstClause("[:find ?e ?a :where [?e :name \"Ivan\"] [?e :age ?a]]"));
        Assert.Equal("[?e :name \"Ivan\"]", FirstClause("[:find ?e ?a :where [?e :age ?a] [?e :name \"Ivan\"]]"));
        Assert.Equal("[?e :name \"Ivan\"]", FirstClause("[:find ?e :where [?e :city \"Rome\"] [?e :age ?a] [?e :name \"Ivan\"]]"));
        var written = Datalog.Q("[:find ?e ?a :where [?e :name \"Ivan\"] [?e :age ?a]]", People);
        var switched = Datalog.Q("[:find ?e ?a :where [?e :age ?a] [?e :name \"Ivan\"]]", People);
        Assert.Equal(written, switched);
        Assert.Equal(10, ((EdnSet)written!).Count);
    }

    [Fact]
    public void Comparisons_on_an_indexed_value_become_index_bounds()
    {
        var steps = Steps("[:find ?e :where [?e :age ?a] [(> ?a 80)] [(<= ?a 85)]]");
        Assert.Contains("scan AVET :age in (80, 85]", steps[0]);
        Assert.Single(steps, s => s.StartsWith('['));
        Assert.Equal(20, ((EdnSet)Datalog.Q("[:find ?e :where [?e :age ?a] [(> ?a 80)] [(<= ?a 85)]]", People)!).Count);
        var fromInput = Steps("[:find ?e :in $ ?min :where [?e :age ?a] [(>= ?a ?min)]]", 88L);
        Assert.Contains("scan AVET :age in [88, +inf)", fromInput[0]);
    }

    [Fact]
    public void Constant_inputs_are_folded_into_the_plan()
    {
        var steps = Steps("[:find ?e :in $ ?n :where [?e :name ?n]]", "Ivan");
        Assert.Contains("estimated", steps[0]);
        Assert.Contains("actual 10", steps[0]);
        Assert.Contains("filter value", steps[0]);
    }

    [Fact]
    public void Entity_joins_merge_or_look_up_and_value_joins_hash()
    {
        var star = Steps("[:find ?e ?a ?c :where [?e :name \"Ivan\"] [?e :age ?a] [?e :city ?c]]");
        Assert.All(star.Skip(1).Where(s => s.StartsWith('[')), s => Assert.Matches("merge|lookup", s));
        var byValue = Steps("[:find ?e ?f :where [?e :name \"Ivan\"] [?e :city ?c] [?f :city ?c] [?f :age 3]]");
        Assert.Contains(byValue, s => s.Contains("hash join", StringComparison.Ordinal) || s.Contains("lookup", StringComparison.Ordinal) || s.Contains("merge", StringComparison.Ordinal));
        Assert.EndsWith("result(s)", byValue[^1]);
    }

    [Fact]
    public void Explain_reports_estimated_and_actual_rows_for_nested_clauses()
    {
        var text = Datalog.Explain("[:find ?e :in $ % :where [?e :name \"Ivan\"] (not [?e :city \"Rome\"]) (adult ?e)]", People,
            "[[(adult ?p) [?p :age ?a] [(>= ?a 18)]]]");
        Assert.Contains("anti-join", text);
        Assert.Contains("rule: bodies with the caller's bindings", text);
        Assert.Contains("  [?p :age ?a]", text);
        Assert.Matches(@"=> \d+ result\(s\)", text);
        Assert.Matches(@"actual \d+, [\d.]+ ms", text);
    }
}
