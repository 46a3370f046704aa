using Hike.Api;
using Hike.Edn;
using static Hike.Tests.Query.QueryFixture;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Conformance;

/// <summary>
/// DataScript's find spec, aggregate, return map and pull-in-query cases
/// (test/datascript/test/query_find_specs.cljc, query_aggregates.cljc, query_return_map.cljc,
/// query_pull.cljc) as facts. Relations with an aggregate, a pull or return maps are vectors, as in
/// Datahike (query_aggregates_test, query_pull_test, query_test's test-return-maps); where Datahike's
/// order is not defined (it groups and pulls over a hash set) they are compared in any order.
/// </summary>
public sealed class DataScriptFindSpecTests
{
    private static readonly Database People = DbOf("""
        [[:db/add 1 :name "Petr"] [:db/add 1 :age 44] [:db/add 2 :name "Ivan"] [:db/add 2 :age 25]
         [:db/add 3 :name "Sergey"] [:db/add 3 :age 11]]
        """);

    private static readonly object? Monsters = Read("""[["Cerberus" 3] ["Medusa" 1] ["Cyclops" 1] ["Chimera" 1]]""");

    [Fact]
    public void Collection_tuple_and_scalar_find_specs()
    {
        AssertEdn("""#{"Ivan" "Petr" "Sergey"}""", EdnSet.Create((EdnVector)People.Q("[:find [?name ...] :where [_ :name ?name]]")!));
        AssertQ("""["Petr" 44]""", "[:find [?name ?age] :where [1 :name ?name] [1 :age ?age]]", People);
        AssertQ("\"Petr\"", "[:find ?name . :where [1 :name ?name]]", People);
        Assert.Contains(People.Q("[:find [?name ?age] :where [?e :name ?name] [?e :age ?age]]"),
            new[] { Read("""["Petr" 44]"""), Read("""["Ivan" 25]"""), Read("""["Sergey" 11]""") });
        Assert.Contains(People.Q("[:find ?name . :where [_ :name ?name]]"), new object[] { "Ivan", "Petr", "Sergey" });
        Assert.Null(People.Q("[:find ?name . :where [_ :name ?name] [(= ?name \"Nobody\")]]"));
        Assert.Null(People.Q("[:find [?name ?age] :where [?e :name ?name] [?e :age ?age] [(< ?age 0)]]"));
    }

    [Fact]
    public void Aggregates_work_with_find_specs()
    {
        AssertQ("[3]", "[:find [(count ?name) ...] :where [_ :name ?name]]", People);
        AssertQ("[3]", "[:find [(count ?name)] :where [_ :name ?name]]", People);
        AssertQ("3", "[:find (count ?name) . :where [_ :name ?name]]", People);
    }

    [Fact]
    public void With_keeps_duplicates_and_groups_aggregates()
    {
        AssertQ("[[1] [1] [1]]", "[:find ?heads :with ?monster :in [[?monster ?heads]]]", Read("""[["Medusa" 1] ["Cyclops" 1] ["Chimera" 1]]"""));
        AssertQ("[[4]]", "[:find (sum ?heads) :in [[?monster ?heads]]]", Monsters);
        AssertQ("[[6 1 3 4 2]]", "[:find (sum ?heads) (min ?heads) (max ?heads) (count ?heads) (count-distinct ?heads) :with ?monster :in [[?monster ?heads]]]", Monsters);
    }

    [Fact]
    public void Aggregates_group_by_the_other_find_elements_and_take_parameters()
    {
        var colors = Read("[[:red 1] [:red 2] [:red 3] [:red 4] [:red 5] [:blue 7] [:blue 8]]");
        AssertQUnordered("[[:red [3 4 5] [1 2 3]] [:blue [7 8] [7 8]]]", "[:find ?color (max ?amount ?x) (min ?amount ?x) :in [[?color ?x]] ?amount]", colors, 3L);
        Func<EdnVector, EdnVector> reverseSorted = xs => EdnVector.Create([.. xs.OrderByDescending(x => (long)x!)]);
        AssertQUnordered("[[:red [5 4 3 2 1]] [:blue [8 7]]]", "[:find ?color (aggregate ?agg ?x) :in [[?color ?x]] ?agg]", colors, reverseSorted);
        AssertQUnordered("[[:red [5 4 3 2 1]] [:blue [8 7]]]", "[:find ?color (?agg ?x) :in [[?color ?x]] ?agg]", colors, reverseSorted);
    }

    [Theory]
    [InlineData("avg", "31.0")]
    [InlineData("median", "20.0")]
    [InlineData("variance", "554.0")]
    [InlineData("stddev", "23.53720459187964")]
    [InlineData("sum", "155")]
    [InlineData("count", "5")]
    [InlineData("min", "10")]
    [InlineData("max", "75")]
    public void Statistical_aggregates(string fn, string expected)
    {
        AssertQ(expected, $"[:find ({fn} ?x) . :in [?x ...]]", Read("[10 15 20 35 75]"));
    }

    [Fact]
    public void Keyword_aggregates_compare_namespace_first()
    {
        AssertQ("[[:a/b :a-/b]]", "[:find (min ?x) (max ?x) :in [?x ...]]", Read("[:a-/b :a/b]"));
        AssertQ("[[[:a/b :a/c] [:a/c :a-/b]]]", "[:find (min 2 ?x) (max 2 ?x) :in [?x ...]]", Read("[:a/b :a-/b :a/c]"));
    }

    [Fact]
    public void Return_maps_name_the_columns()
    {
        const string where = ":where [?e :name ?name] [?e :age ?age]";
        AssertQUnordered("""[{:n "Petr" :a 44} {:n "Ivan" :a 25} {:n "Sergey" :a 11}]""", $"[:find ?name ?age :keys n a {where}]", People);
        AssertQUnordered("""[{n "Petr" a 44} {n "Ivan" a 25} {n "Sergey" a 11}]""", $"[:find ?name ?age :syms n a {where}]", People);
        AssertQUnordered("""[{"n" "Petr" "a" 44} {"n" "Ivan" "a" 25} {"n" "Sergey" "a" 11}]""", $"[:find ?name ?age :strs n a {where}]", People);
        AssertQ("""{:n "Ivan" :a 25}""", "[:find [?name ?age] :keys n a :where [?e :name ?name] [(= ?name \"Ivan\")] [?e :age ?age]]", People);
        AssertQ("""[{:n "Ivan"}]""", "{:find [?name] :keys [n] :where [[?e :name ?name] [(= ?name \"Ivan\")]]}", People);
        Assert.Contains("Count of :keys", Fails("parser/find", $"[:find ?name ?age :keys n {where}]", People));
    }

    private static readonly Database Pullable = DbOf("""[{:db/id 1 :name "Petr" :age 44} {:db/id 2 :name "Ivan" :age 25} {:db/id 3 :name "Oleg" :age 11}]""");

    [Theory]
    [InlineData("[(pull ?e [:name])]", """[[{:name "Ivan"}] [{:name "Petr"}]]""")]
    [InlineData("[(pull ?e [*])]", """[[{:db/id 2 :age 25 :name "Ivan"}] [{:db/id 1 :age 44 :name "Petr"}]]""")]
    [InlineData("[?e (pull ?e [:name])]", """[[2 {:name "Ivan"}] [1 {:name "Petr"}]]""")]
    [InlineData("[?e ?a (pull ?e [:name])]", """[[2 25 {:name "Ivan"}] [1 44 {:name "Petr"}]]""")]
    [InlineData("[?e (pull ?e [:name]) ?a]", """[[2 {:name "Ivan"} 25] [1 {:name "Petr"} 44]]""")]
    public void Pull_in_find(string find, string expected)
    {
        AssertQUnordered(expected, $"{{:find {find} :where [[?e :age ?a] [(>= ?a 18)]]}}", Pullable);
    }

    [Fact]
    public void Pull_patterns_can_be_inputs_and_sources_can_be_named()
    {
        AssertQUnordered("""[[{:name "Ivan"}] [{:name "Petr"}]]""", "{:find [(pull ?e ?pattern)] :in [$ ?pattern] :where [[?e :age ?a] [(>= ?a 18)]]}", Pullable, Read("[:name]"));
        AssertQUnordered("""[[2 25 [:name] {:name "Ivan"}] [1 44 [:name] {:name "Petr"}]]""",
            "{:find [?e ?a ?pattern (pull ?e ?pattern)] :in [$ ?pattern] :where [[?e :age ?a] [(>= ?a 18)]]}", Pullable, Read("[:name]"));
        var db1 = DbOf("""[{:db/id 1 :name "Ivan" :age 25}]""");
        var db2 = DbOf("""[{:db/id 1 :name "Petr" :age 25}]""");
        AssertQ("""[[1 {:name "Ivan"}]]""", "[:find ?e (pull $1 ?e [:name]) :in $1 $2 :where [$1 ?e :age 25]]", db1, db2);
        AssertQ("""[[1 {:name "Petr"}]]""", "[:find ?e (pull $2 ?e [:name]) :in $1 $2 :where [$2 ?e :age 25]]", db1, db2);
        AssertQ("""[[1 {:name "Petr"}]]""", "[:find ?e (pull ?e [:name]) :in $1 $ :where [$ ?e :age 25]]", db1, db2);
    }

    [Fact]
    public void Pull_with_find_specs_and_aggregates()
    {
        AssertQ("""{:name "Ivan"}""", "[:find (pull ?e [:name]) . :where [?e :age 25]]", Pullable);
        AssertEdn("""#{{:name "Ivan"} {:name "Petr"} {:name "Oleg"}}""", EdnSet.Create((EdnVector)Pullable.Q("[:find [(pull ?e [:name]) ...] :where [?e :age ?a]]")!));
        AssertQ("""[2 {:name "Ivan"}]""", "[:find [?e (pull ?e [:name])] :where [?e :age 25]]", Pullable);
        AssertQ("""{:name "Ivan"}""", "[:find (pull ?e ?p) . :in $ ?p :where [(ground 2) ?e]]", Pullable, Read("[:name]"));
        var values = DbOf("""[{:db/id 101 :name "Petr" :value [10 20 30 40]} {:db/id 102 :name "Ivan" :value [14 16]} {:db/id 103 :name "Oleg" :value 1}]""",
            "[{:db/ident :value :db/cardinality :db.cardinality/many}]");
        AssertQUnordered("""[[101 {:name "Petr"} 10 40] [102 {:name "Ivan"} 14 16] [103 {:name "Oleg"} 1 1]]""",
            "[:find ?e (pull ?e [:name]) (min ?v) (max ?v) :where [?e :value ?v]]", values);
    }
}
