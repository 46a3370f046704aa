using Hike.Api;
using Hike.Edn;
using static Hike.Tests.Query.QueryFixture;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Conformance;

/// <summary>
/// DataScript's function and predicate cases (test/datascript/test/query_fns.cljc) as facts. The
/// schema entity of <c>:parent</c> takes id 1 here, so the people are 101, 102 and 103.
/// </summary>
public sealed class DataScriptQueryFnsTests
{
    private static readonly Database Family = DbOf("""
        [{:db/id 101 :name "Ivan" :age 15}
         {:db/id 102 :name "Petr" :age 22 :height 240 :parent 101}
         {:db/id 103 :name "Slava" :age 37 :parent 102}]
        """, "[{:db/ident :parent :db/valueType :db.type/ref}]");

    [Fact]
    public void A_predicate_without_variables_filters_everything_or_nothing()
    {
        AssertQ("#{[:a] [:b] [:c]}", "[:find ?x :in [?x ...] :where [(> 2 1)]]", Read("[:a :b :c]"));
        AssertQ("#{}", "[:find ?x :in [?x ...] :where [(< 2 1)]]", Read("[:a :b :c]"));
    }

    [Fact]
    public void Ground_binds_literals()
    {
        AssertQ("#{[:a] [:e] [:i] [:o] [:u]}", "[:find ?vowel :where [(ground [:a :e :i :o :u]) [?vowel ...]]]");
    }

    [Fact]
    public void Database_functions_read_the_source()
    {
        AssertQ("#{[101 15 300] [102 22 240] [103 37 300]}", "[:find ?e ?age ?height :where [?e :age ?age] [(get-else $ ?e :height 300) ?height]]", Family);
        Assert.Contains("get-else: nil default value is not supported",
            Fails("query/where", "[:find ?e ?height :where [?e :age] [(get-else $ ?e :height nil) ?height]]", Family));
        AssertQ("#{[101 :age 15] [102 :height 240] [103 :age 37]}", "[:find ?e ?a ?v :where [?e :name _] [(get-some $ ?e :height :age) [?a ?v]]]", Family);
        AssertQ("#{[101 15] [103 37]}", "[:find ?e ?age :in $ :where [?e :age ?age] [(missing? $ ?e :height)]]", Family);
        AssertQ("#{[103]}", "[:find ?e :in $ :where [?e :age ?age] [(missing? $ ?e :_parent)]]", Family);
    }

    [Fact]
    public void Built_in_predicates_and_functions()
    {
        AssertQ("#{[101 102] [101 103]}", "[:find ?e1 ?e2 :where [?e1 :age ?a1] [?e2 :age ?a2] [(< ?a1 18 ?a2)]]", Family);
        AssertQ("""#{["a" 1] ["abc" 3]}""", "[:find ?x ?c :in [?x ...] :where [(count ?x) ?c]]", Read("""["a" "abc"]"""));
        AssertQ("[[:db/add -1 :attr 12]]", "[:find [?tx-data ...] :where [(ground :db/add) ?op] [(vector ?op -1 :attr 12) ?tx-data]]");
        AssertQ("""[{:db/id -1 :age 92 :name "Aaron"}]""", """[:find [?tx-data ...] :where [(hash-map :db/id -1 :age 92 :name "Aaron") ?tx-data]]""");
        AssertQ("#{[101 102 103] [102 101 103]}", "[:find ?e1 ?e2 ?e3 :where [?e1 :age ?a1] [?e2 :age ?a2] [?e3 :age ?a3] [(+ ?a1 ?a2) ?a12] [(= ?a12 ?a3)]]", Family);
    }

    [Fact]
    public void Functions_passed_as_inputs()
    {
        Func<long, bool> adult = a => a > 18;
        AssertQ("#{[102] [103]}", "[:find ?e :in $ ?adult :where [?e :age ?a] [(?adult ?a)]]", Family, adult);
        Func<long, object?> evenOrNil = x => x % 2 == 0 ? x : null;
        AssertQ("#{[2] [4]}", "[:find ?x :in [?in ...] ?f :where [(?f ?in) ?x]]", Read("[1 2 3 4]"), evenOrNil);
    }

    [Fact]
    public void Function_results_unify_with_existing_bindings()
    {
        AssertQ("#{}", "[:find ?n :where [(identity 1) ?n] [(identity 2) ?n]]", Family);
        AssertQ("#{}", "[:find ?n ?x :where [(identity [3 4]) [?n ?x]] [(identity [1 2]) [?n ?x]]]", Family);
        const string rules = "[[(my-vals ?x) [(identity 1) ?x]] [(my-vals ?x) [(identity 2) ?x]] [(my-vals ?x) [(identity 3) ?x]]]";
        AssertQ("#{[2]}", "[:find ?n :in $ % :where [(identity 2) ?n] (my-vals ?n)]", Family, rules);
        AssertQ("#{[2]}", "[:find ?n :in $ % :where (my-vals ?n) [(identity 2) ?n]]", Family, rules);
        AssertQ("#{}", "[:find ?age :where [_ :age ?age] [(identity 100) ?age]]", Family);
        AssertQ("#{}", "[:find ?age :where [(identity 100) ?age] [_ :age ?age]]", Family);
        AssertQ("#{}", "[:find ?e ?y :where [?e :salary ?x] [(+ ?x 100) ?y]]", Read("[[0 :age 15] [1 :age 35]]"));
    }

    [Fact]
    public void Function_results_destructure_through_bindings()
    {
        AssertQ("#{[:a :c]}", "[:find ?a ?c :in ?in :where [(ground ?in) [?a _ ?c]]]", Read("[:a :b :c]"));
        AssertQ("#{[:a]}", "[:find ?in :in ?in :where [(ground ?in) _]]", K("a"));
        AssertQ("#{[:a :c] [:d :f]}", "[:find ?x ?z :in ?in :where [(ground ?in) [[?x _ ?z] ...]]]", Read("[[:a :b :c] [:d :e :f]]"));
        AssertQ("#{}", "[:find ?in :in [?in ...] :where [(ground ?in) _]]", Read("[]"));
    }

    [Theory]
    [InlineData("#{[2 20] [4 20]}", "[:find ?e ?a :where [?e :age ?a] [(> ?a 10)]]")]
    [InlineData("#{[1 2] [1 3] [1 4] [2 3] [2 4] [3 4]}", "[:find ?e ?e2 :where [?e :name] [?e2 :name] [(< ?e ?e2)]]")]
    [InlineData("#{[1 2] [1 3] [1 4] [2 3] [2 4] [3 4]}", "[:find ?e ?e2 :where [?e :age ?a] [?e2 :age ?a2] [(< ?e ?e2)]]")]
    [InlineData("#{}", "[:find ?e ?e2 :where [?e :name \"Ivan\"] [?e2 :name \"Oleg\"] [(= ?e ?e2)]]")]
    [InlineData("#{[2]}", "[:find ?e :where [?e :name \"Ivan\"] [?e :age 20] [(= ?e 2)]]")]
    [InlineData("#{}", "[:find ?e :where [?e :name \"Ivan\"] [?e :age 20] [(= ?e 1)]]")]
    public void Predicates_filter_joins(string expected, string query)
    {
        var db = DbOf("""[{:db/id 1 :name "Ivan" :age 10} {:db/id 2 :name "Ivan" :age 20} {:db/id 3 :name "Oleg" :age 10} {:db/id 4 :name "Oleg" :age 20}]""");
        AssertQ(expected, query, db);
    }

    [Fact]
    public void A_function_input_receives_the_database()
    {
        var db = DbOf("""[{:db/id 1 :name "Ivan" :age 10} {:db/id 2 :name "Ivan" :age 20} {:db/id 3 :name "Oleg" :age 10}]""");
        Func<Database, long, long, bool> pred = (d, e, a) => Equals(d.Entity(e)![K("age")], a);
        AssertQ("#{[1] [3]}", "[:find ?e :in $ ?pred :where [?e :age ?a] [(?pred $ ?e 10)]]", db, pred);
    }

    [Fact]
    public void Unknown_functions_are_named()
    {
        Assert.Contains("Unknown function 'frobnicate'", Fails("query/where", "[:find ?e :where [?e :age ?a] [(frobnicate ?a)]]", Family));
    }
}
