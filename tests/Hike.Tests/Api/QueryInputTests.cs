using Hike.Api;
using Hike.Edn;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Api;

/// <summary><see cref="Database.Q(object, object)"/> and its siblings: each argument after the query is one input.</summary>
public sealed class QueryInputTests
{
    private static Database People() => NewDb(
        "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]",
        data: "[{:db/id 1 :name \"A\"} {:db/id 2 :name \"B\"} {:db/id 3 :name \"E\"}]");

    [Fact]
    public void An_array_passed_as_the_one_input_binds_a_collection()
    {
        var result = Database.Empty().Q("[:find ?x :in $ [?x ...]]", new[] { "A", "E" });
        AssertEdn("#{[\"A\"] [\"E\"]}", result);
    }

    [Fact]
    public void An_array_input_filters_a_query_over_the_database()
    {
        var result = People().Q("[:find ?e :in $ [?n ...] :where [?e :name ?n]]", new[] { "A", "E" });
        AssertEdn("#{[1] [3]}", result);
    }

    [Fact]
    public void A_list_of_tuples_binds_a_relation()
    {
        var rows = new List<object[]> { new object[] { "A", 10L }, new object[] { "E", 30L } };
        var result = People().Q("[:find ?e ?score :in $ [[?n ?score]] :where [?e :name ?n]]", rows);
        AssertEdn("#{[1 10] [3 30]}", result);
    }

    [Fact]
    public void Two_three_and_four_inputs_bind_in_order()
    {
        var db = Database.Empty();
        AssertEdn("[1 2]", db.Q("[:find [?a ?b] :in $ ?a ?b]", 1L, 2L));
        AssertEdn("[1 2 3]", db.Q("[:find [?a ?b ?c] :in $ ?a ?b ?c]", 1L, 2L, 3L));
        AssertEdn("[1 2 3 4]", db.Q("[:find [?a ?b ?c ?d] :in $ ?a ?b ?c ?d]", 1L, 2L, 3L, 4L));
    }

    [Fact]
    public void A_query_request_takes_any_number_of_inputs_after_the_database()
    {
        var result = Database.Empty().Q(new QueryRequest("[:find [?a ?b ?c ?d ?e] :in $ ?a ?b ?c ?d ?e]", 1L, 2L, 3L, 4L, 5L));
        AssertEdn("[1 2 3 4 5]", result);
    }

    [Fact]
    public void A_query_alone_runs_on_the_database()
    {
        Assert.Equal(2L, People().Q("[:find ?e . :where [?e :name \"B\"]]"));
    }

    [Fact]
    public void A_null_input_is_an_input_not_a_missing_array()
    {
        var result = Database.Empty().Q("[:find ?x . :in $ ?x]", (object?)null);
        Assert.Null(result);
    }
}
