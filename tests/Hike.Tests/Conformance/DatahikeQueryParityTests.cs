using Hike.Api;
using Hike.Edn;
using static Hike.Tests.Query.QueryFixture;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Conformance;

/// <summary>
/// Query results and semantics where Hike used to differ from Datahike (replikativ/datahike 225d6d2):
/// the shape of aggregated, pulled and mapped relations, <c>(max n ?x)</c>, <c>or-join</c> variables
/// bound outside, sources needed only where read, and lookup refs that name nothing. Expected values
/// are Datahike's, from the test named on each case, or from query.cljc where no test pins them.
/// </summary>
public sealed class DatahikeQueryParityTests
{
    /// <summary>query_or_test's test-db.</summary>
    private static readonly Database People = DbOf("""
        [{:db/id 1 :name "Ivan" :age 10} {:db/id 2 :name "Ivan" :age 20} {:db/id 3 :name "Oleg" :age 10}
         {:db/id 4 :name "Oleg" :age 20} {:db/id 5 :name "Ivan" :age 10} {:db/id 6 :name "Ivan" :age 20}]
        """);

    [Fact]
    public void An_aggregated_relation_is_a_vector_and_an_empty_one_is_empty()
    {
        // query_aggregates_test test-aggregates "Grouping and parameter passing" (DataScriptFindSpecTests has the others).
        AssertQUnordered("[[:red [3 4 5] [1 2 3]] [:blue [7 8] [7 8]]]", "[:find ?color (max ?amount ?x) (min ?amount ?x) :in [[?color ?x]] ?amount]",
            Read("[[:red 1] [:red 2] [:red 3] [:red 4] [:red 5] [:blue 7] [:blue 8]]"), 3L);
        // query.cljc: aggregate of no tuples is an empty seq, which -post-process makes [].
        AssertQ("[]", "[:find ?c (count ?x) :in [[?c ?x]]]", Read("[]"));
        AssertQ("[]", "[:find (count ?e) :where [?e :name \"Nobody\"]]", People);
    }

    [Fact]
    public void Pull_in_find_is_applied_per_tuple_so_equal_maps_of_different_entities_stay_apart()
    {
        // query.cljc's pull maps over the distinct tuples; entities 1, 2, 5 and 6 are all {:name "Ivan"}.
        AssertQUnordered("""[[{:name "Ivan"}] [{:name "Ivan"}] [{:name "Ivan"}] [{:name "Ivan"}] [{:name "Oleg"}] [{:name "Oleg"}]]""",
            "[:find (pull ?e [:name]) :where [?e :age _]]", People);
        AssertQ("[]", "[:find (pull ?e [:name]) :where [?e :name \"Nobody\"]]", People);
    }

    [Fact]
    public void Return_maps_are_a_vector_while_a_plain_relation_stays_a_set()
    {
        // query_test test-return-maps: "returns map with key return-map", "returns map with string
        // return-map" (vectors in no defined order) and "returns set without return-map".
        var db = DbOf("""[{:db/id 1 :name "Alice" :age 15} {:db/id 2 :name "Bob" :age 37} {:db/id 3 :name "Charlie" :age 37}]""");
        AssertQUnordered("[{:foo 3} {:foo 2} {:foo 1}]", "[:find ?e :keys foo :where [?e :name _]]", db);
        AssertQUnordered("""[{"foo" "Charlie"} {"foo" "Alice"} {"foo" "Bob"}]""", "[:find ?name :strs foo :where [?e :name ?name]]", db);
        AssertQ("""#{["Charlie"] ["Alice"] ["Bob"]}""", "[:find ?name :where [_ :name ?name]]", db);
        AssertQ("[]", "[:find ?e :keys foo :where [?e :name \"Nobody\"]]", db);
    }

    [Theory]
    // query_aggregates_test's aggregate-contract (test-aggregate-contract): avg, median, variance and
    // stddev are real-valued (doubles) even when they divide exactly or the count is odd; variance
    // and stddev are the population ones (÷n, 0.0 for one value); sum, min, max and count keep the
    // column's type.
    [InlineData("avg", "[10 15 20 35 75]", 31.0)]
    [InlineData("avg", "[1 2]", 1.5)]
    [InlineData("variance", "[10 15 20 35 75]", 554.0)]
    [InlineData("variance", "[10 20 30 12]", 62.0)]
    [InlineData("variance", "[7]", 0.0)]
    [InlineData("stddev", "[10 15 20 35 75]", 23.53720459187964)]
    [InlineData("stddev", "[7]", 0.0)]
    [InlineData("median", "[10 15 20 35 75]", 20.0)]
    [InlineData("median", "[1 2 3 4]", 2.5)]
    [InlineData("median", "[10 20 30 12]", 16.0)]
    [InlineData("sum", "[10 15 20 35 75]", 155L)]
    [InlineData("min", "[10 15 20 35 75]", 10L)]
    [InlineData("max", "[10 15 20 35 75]", 75L)]
    [InlineData("count", "[10 15 20 35 75]", 5L)]
    public void Aggregates_follow_Datahikes_contract_in_value_and_type(string fn, string values, object expected)
    {
        var actual = Datalog.Q($"[:find ({fn} ?x) . :in [?x ...]]", Read(values));
        Assert.IsType(expected.GetType(), actual);
        if (expected is double d) Assert.Equal(d, (double)actual!, 1e-9);
        else Assert.Equal(expected, actual);
    }

    [Fact]
    public void A_median_of_values_that_are_not_numbers_is_the_middle_value_as_it_is()
    {
        // query.cljc's median: "A non-numeric median (instants, say) ... is returned as is".
        AssertQ("\"b\"", "[:find (median ?x) . :in [?x ...]]", Read("[\"c\" \"a\" \"b\"]"));
    }

    [Fact]
    public void Max_n_returns_the_n_largest_in_ascending_order_as_min_n_does()
    {
        // query_aggregates_test test-aggregates "Min and max are using comparator instead of default compare".
        AssertQ("[[[:a/b :a/c] [:a/c :a-/b]]]", "[:find (min 2 ?x) (max 2 ?x) :in [?x ...]]", Read("[:a/b :a-/b :a/c]"));
        AssertQ("[2 3]", "[:find (max 2 ?x) . :in [?x ...]]", Read("[1 3 2]"));
    }

    [Fact]
    public void An_or_join_branch_that_does_not_bind_a_join_variable_takes_its_value_from_outside()
    {
        // query.cljc resolves or-join by limiting the context to the join variables and running each
        // branch from it, so [?e :name "Oleg"] keeps the ?a bound by :in; entities 1, 3, 5 are 10 years old.
        const string query = "[:find ?e ?a :in $ ?a :where (or-join [?e ?a] [?e :age ?a] [?e :name \"Oleg\"])]";
        AssertQ("#{[1 10] [3 10] [4 10] [5 10]}", query, People, 10L);
        AssertQ("#{[1 10] [3 10] [4 10] [5 10] [2 20] [3 20] [4 20] [6 20]}", query.Replace(":in $ ?a", ":in $ [?a ...]", StringComparison.Ordinal), People, Read("[10 20]"));
        Assert.Contains("?a", Fails("query/where", "[:find ?e :where (or-join [?e ?a] [?e :age ?a] [?e :name \"Oleg\"])]", People));
    }

    [Fact]
    public void Clauses_that_read_only_named_sources_or_none_run_without_the_default_source()
    {
        // query_or_test test-or-join, the two queries over :in $xs $ys.
        AssertQ("#{[:a1 :b1 :c1] [:a2 :b2 :c2]}", "[:find ?a ?b ?c :in $xs $ys :where [$xs ?a ?b ?c] (or-join [?a] [$ys ?a ?b ?d])]",
            Read("[[:a1 :b1 :c1] [:a2 :b2 :c2] [:a3 :b3 :c3]]"), Read("[[:a1 :b1 :d1] [:a2 :b2* :d2] [:a4 :b4 :c4]]"));
        AssertQ("#{[:a1 :c1] [:a2 :c2]}", "[:find ?a ?c :in $xs $ys :where (or-join [?a ?c] [$xs ?a ?b ?c] [$ys ?a ?c])]",
            Read("[[:a1 :b1 :c1]]"), Read("[[:a2 :c2]]"));
        // query_fns_test's rule of function calls (my-vals), with no database given at all.
        AssertQ("#{[2]}", "[:find ?n :in % :where (my-vals ?n) [(identity 2) ?n]]",
            Read("[[(my-vals ?x) [(identity 1) ?x]] [(my-vals ?x) [(identity 2) ?x]] [(my-vals ?x) [(identity 3) ?x]]]"));
        Assert.Contains("There is no source $", Fails("query/where", "[:find ?e :in % :where (named ?e)]", Read("[[(named ?e) [?e :name _]]]")));
    }

    [Fact]
    public void A_lookup_ref_that_names_no_entity_is_an_error_where_written_or_given_as_a_scalar()
    {
        // lookup_refs_test test-lookup-refs-query "inline refs"; the scalar input follows query.cljc,
        // which resolves a constant in the entity position strictly.
        var db = DbOf("""[{:db/id 1 :name "Ivan" :friend 2} {:db/id 2 :name "Petr" :friend 3} {:db/id 3 :name "Oleg"}]""",
            "[{:db/ident :name :db/unique :db.unique/identity} {:db/ident :friend :db/valueType :db.type/ref}]");
        AssertQ("#{[2]}", "[:find ?v :where [[:name \"Ivan\"] :friend ?v]]", db);
        AssertQ("#{[1]}", "[:find ?e :where [?e :friend [:name \"Petr\"]]]", db);
        Assert.Equal("Nothing found for entity id [:name \"Valery\"]", Fails("entity-id/missing", "[:find ?e :where [[:name \"Valery\"] :friend ?e]]", db));
        Fails("entity-id/missing", "[:find ?e :where [?e :friend [:name \"Valery\"]]]", db);
        Fails("entity-id/missing", "[:find ?e :where [?e :name] (not [[:name \"Valery\"] :friend ?e])]", db);
        Fails("entity-id/missing", "[:find ?v :in $ % :where (friend-of-valery ?v)]", db, Read("[[(friend-of-valery ?v) [[:name \"Valery\"] :friend ?v]]]"));
        Fails("entity-id/missing", "[:find ?v :in $ ?e :where [?e :friend ?v]]", db, Read("[:name \"Valery\"]"));
        // resolve-pattern-lookup-refs treats an ident (attr?) in those positions as strictly.
        Assert.Equal("Nothing found for entity id :no/such", Fails("entity-id/missing", "[:find ?e :where [?e :friend :no/such]]", db));
        // Bound by a collection, a lookup ref that names nothing only matches nothing (test-lookup-refs-query).
        AssertQ("#{[[:name \"Ivan\"] 2]}", "[:find ?e ?v :in $ [?e ...] :where [?e :friend ?v]]", db, Read("[[:name \"Ivan\"] [:name \"Valery\"]]"));
    }
}
