using Hike.Api;
using Hike.Edn;
using static Hike.Tests.Query.QueryFixture;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Conformance;

/// <summary>DataScript's query cases (test/datascript/test/query.cljc) as facts.</summary>
public sealed class DataScriptQueryTests
{
    private const string People = """
        [{:db/id 1 :name "Ivan" :age 15} {:db/id 2 :name "Petr" :age 37}
         {:db/id 3 :name "Ivan" :age 37} {:db/id 4 :age 15}]
        """;

    [Fact]
    public void Joins_unify_variables_across_patterns()
    {
        var db = DbOf(People);
        AssertQ("#{[1] [2] [3]}", "[:find ?e :where [?e :name]]", db);
        AssertQ("#{[1 15] [3 37]}", "[:find ?e ?v :where [?e :name \"Ivan\"] [?e :age ?v]]", db);
        AssertQ("#{[1 1] [2 2] [3 3] [1 3] [3 1]}", "[:find ?e1 ?e2 :where [?e1 :name ?n] [?e2 :name ?n]]", db);
        AssertQ("""#{[1 1 "Ivan"] [3 3 "Ivan"] [3 2 "Petr"]}""",
            "[:find ?e ?e2 ?n :where [?e :name \"Ivan\"] [?e :age ?a] [?e2 :age ?a] [?e2 :name ?n]]", db);
    }

    [Fact]
    public void Cardinality_many_values_join()
    {
        var db = DbOf("""
            [[:db/add "1" :name "Ivan"] [:db/add "1" :aka "ivolga"] [:db/add "1" :aka "pi"]
             [:db/add "2" :name "Petr"] [:db/add "2" :aka "porosenok"] [:db/add "2" :aka "pi"]]
            """, "[{:db/ident :aka :db/cardinality :db.cardinality/many}]");
        AssertQ("""#{["Ivan" "Ivan"] ["Petr" "Petr"] ["Ivan" "Petr"] ["Petr" "Ivan"]}""",
            "[:find ?n1 ?n2 :where [?e1 :aka ?x] [?e2 :aka ?x] [?e1 :name ?n1] [?e2 :name ?n2]]", db);
    }

    [Fact]
    public void Collections_of_tuples_are_sources()
    {
        var coll = Read("""[[1 :name "Ivan"] [1 :age 19] [1 :aka "dragon_killer_94"] [1 :aka "-=autobot=-"]]""");
        AssertQ("""#{["Ivan" 19]}""", "[:find ?n ?a :where [?e :aka \"dragon_killer_94\"] [?e :name ?n] [?e :age ?a]]", coll);
        var tuples = Read("""[[1 :name "Ivan" 945 :db/add] [1 :age 39 999 :db/retract]]""");
        AssertQ("""#{[1 "Ivan"]}""", "[:find ?e ?v :where [?e :name ?v]]", tuples);
        AssertQ("#{[1 :age 39 999]}", "[:find ?e ?a ?v ?t :where [?e ?a ?v ?t :db/retract]]", tuples);
    }

    [Fact]
    public void Inputs_bind_attributes_values_sources_and_plain_values()
    {
        var db = DbOf(People);
        const string query = "{:find [?e] :in [$ ?attr ?value] :where [[?e ?attr ?value]]}";
        AssertQ("#{[1] [3]}", query, db, K("name"), "Ivan");
        AssertQ("#{[2] [3]}", query, db, K("age"), 37L);
        AssertQ("""#{[:name "Ivan"] [:age 15]}""", "[:find ?a ?v :in $db ?e :where [$db ?e ?a ?v]]", db, 1L);
        AssertQ("""#{[1 "ivan@mail.ru"] [2 "petr@gmail.com"] [3 "ivan@mail.ru"]}""",
            "[:find ?e ?email :in $ $b :where [?e :name ?n] [$b ?n ?email]]",
            db, Read("""[["Ivan" "ivan@mail.ru"] ["Petr" "petr@gmail.com"]]"""));
        AssertQ("#{[10 20]}", "[:find ?a ?b :in ?a ?b]", 10L, 20L);
    }

    [Fact]
    public void Relation_tuple_and_collection_bindings()
    {
        var db = DbOf(People);
        AssertQ("""#{[1 "ivan@mail.ru"] [2 "petr@gmail.com"] [3 "ivan@mail.ru"]}""",
            "[:find ?e ?email :in $ [[?n ?email]] :where [?e :name ?n]]",
            db, Read("""[["Ivan" "ivan@mail.ru"] ["Petr" "petr@gmail.com"]]"""));
        AssertQ("#{[3]}", "[:find ?e :in $ [?name ?age] :where [?e :name ?name] [?e :age ?age]]", db, Read("[\"Ivan\" 37]"));
        AssertQ("""#{[:name "Ivan"] [:age 15]}""", "[:find ?attr ?value :in $ ?e [?attr ...] :where [?e ?attr ?value]]", db, 1L, Read("[:name :age]"));
        var coll = Read("""[[1 :name "Ivan"] [2 :name "Petr"]]""");
        AssertQ("#{}", "[:find ?id :in $ [?id ...] :where [?id :age _]]", coll, Read("[]"));
        AssertQ("#{}", "[:find ?id :in $ [[?id]] :where [?id :age _]]", coll, Read("[]"));
        AssertQ("#{[:x :z]}", "[:find ?x ?z :in [?x _ ?z]]", Read("[:x :y :z]"));
        AssertQ("#{[:x :z] [:a :c]}", "[:find ?x ?z :in [[?x _ ?z]]]", Read("[[:x :y :z] [:a :b :c]]"));
    }

    [Fact]
    public void Bad_bindings_are_reported()
    {
        Assert.Contains("Cannot bind value :a to tuple [?a ?b]", Fails("query/where", "[:find ?a ?b :in [?a ?b]]", K("a")));
        Assert.Contains("Cannot bind value :a to collection [?a ...]", Fails("query/where", "[:find ?a :in [?a ...]]", K("a")));
        Assert.Contains("Not enough elements in a collection [1] to bind tuple [?a ?b]", Fails("query/where", "[:find ?a ?b :in [?a ?b]]", Read("[1]")));
    }

    [Fact]
    public void Nested_bindings_destructure_maps_and_function_results()
    {
        AssertQ("#{[:b 2] [:c 3]}", "[:find ?k ?v :in [[?k ?v] ...] :where [(> ?v 1)]]", Read("{:a 1 :b 2 :c 3}"));
        Func<object?[], object?> minmax = a =>
        {
            var xs = ((EdnVector)a[0]!).Cast<long>().ToArray();
            return EdnVector.Create(xs.Min(), xs.Max());
        };
        AssertQ("#{[:a 1 4] [:b 5 7]}",
            "[:find ?k ?min ?max :in [[?k ?v] ...] ?minmax :where [(?minmax ?v) [?min ?max]] [(> ?max ?min)]]",
            Read("{:a [1 2 3 4] :b [5 6 7] :c [3]}"), minmax);
        Func<long, long, EdnList> range = (from, to) => EdnList.Create([.. Enumerable.Range((int)from, (int)(to - from)).Select(i => (object?)(long)i)]);
        AssertQ("#{[:a 2] [:a 4] [:a 6] [:b 2]}",
            "[:find ?k ?x :in [[?k [?min ?max]] ...] ?range :where [(?range ?min ?max) [?x ...]] [(even? ?x)]]",
            Read("{:a [1 7] :b [2 4]}"), range);
    }

    [Fact]
    public void Regular_expressions_from_strings()
    {
        AssertQ("""#{["abcX"] ["aXb"]}""", "[:find ?name :in [?name ...] ?key :where [(re-pattern ?key) ?pattern] [(re-find ?pattern ?name)]]",
            Read("""#{"abc" "abcX" "aXb"}"""), "X");
    }

    [Fact]
    public void A_function_without_arguments_joins_unrelated_bindings()
    {
        var db = DbOf("""[{:person/name "Joe"}]""");
        Func<long> five = () => 5;
        AssertQ("#{}", "[:find ?name :in $ ?my-fn :where [?e :person/name ?name] [(?my-fn) ?result] [(< ?result 3)]]", db, five);
    }

    [Fact]
    public void Symbols_are_constants_in_collection_patterns()
    {
        AssertQ("[2]", "[:find [?e ...] :where [?e :s b]]", Read("[[1 :s a] [2 :s b]]"));
    }
}
