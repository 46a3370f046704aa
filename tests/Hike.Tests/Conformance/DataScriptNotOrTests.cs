using static Hike.Tests.Query.QueryFixture;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Conformance;

/// <summary>DataScript's negation and disjunction cases (test/datascript/test/query_not.cljc, query_or.cljc) as facts.</summary>
public sealed class DataScriptNotOrTests
{
    private static readonly Hike.Api.Database People = DbOf("""
        [{:db/id 1 :name "Ivan" :age 10} {:db/id 2 :name "Ivan" :age 20} {:db/id 3 :name "Oleg" :age 10}
         {:db/id 4 :name "Oleg" :age 20} {:db/id 5 :name "Ivan" :age 10} {:db/id 6 :name "Ivan" :age 20}]
        """);

    private static void Ids(string expected, string where) => AssertQ(expected, $"[:find ?e :where {where}]", People);

    [Theory]
    [InlineData("#{[3] [4]}", "[?e :name] (not [?e :name \"Ivan\"])")]
    [InlineData("#{[2] [3] [4] [6]}", "[?e :name] (not [?e :name \"Ivan\"] [?e :age 10])")]
    [InlineData("#{[4]}", "[?e :name] (not [?e :name \"Ivan\"]) (not [?e :age 10])")]
    [InlineData("#{}", "[?e :name] (not [?e :age])")]
    [InlineData("#{[1] [2] [5] [6]}", "[?e :name \"Ivan\"] (not [?e :name \"Oleg\"])")]
    [InlineData("#{[1] [2] [3] [4] [5] [6]}", "[?e :name] (not [?e :name \"Ivan\"] [?e :name \"Oleg\"])")]
    [InlineData("#{[1] [3] [4] [5]}", "[?e :name] (not [?e :name \"Ivan\"] (not [?e :age 10]))")]
    [InlineData("#{[2] [4] [6]}", "[?e :name ?a] (not [?e :age ?f] [?e :age 10])")]
    [InlineData("#{[3]}", "[?e :name \"Oleg\"] [?e :age 10] (not [?e :age 20])")]
    [InlineData("#{}", "[?e :name \"Oleg\"] [?e :age 10] (not [?e :age 10])")]
    [InlineData("#{[4]}", "[?e :name \"Oleg\"] (not [?e :age 10])")]
    public void Not_removes_the_rows_its_body_matches(string expected, string where) => Ids(expected, where);

    [Fact]
    public void Not_join_joins_only_on_the_listed_variables()
    {
        AssertQ("#{[1 10] [2 20] [5 10] [6 20]}", "[:find ?e ?a :where [?e :name] [?e :age ?a] (not-join [?e] [?e :name \"Oleg\"] [?e :age ?a])]", People);
        AssertQ("#{[1 10] [5 10]}", "[:find ?e ?a :where [?e :age ?a] [?e :age 10] (not-join [?e] [?e :name \"Oleg\"] [?e :age ?a] [?e :age 10])]", People);
    }

    [Theory]
    [InlineData("#{2}", "[?e :name] (not [?e :name \"Ivan\"])")]
    [InlineData("#{2}", "[?e :name] (not [$2 ?e :age 10])")]
    [InlineData("#{2}", "[?e :name] ($2 not [?e :age 10])")]
    [InlineData("#{2}", "[?e :name] ($2 not [$ ?e :name \"Ivan\"])")]
    [InlineData("#{1}", "[?e :name] ($2 not (not [?e :age 10]))")]
    [InlineData("#{1}", "[?e :name] ($2 not ($ not [?e :name \"Ivan\"]))")]
    public void Not_reads_the_default_source_unless_told_otherwise(string expected, string where)
    {
        var db1 = DbOf("[[:db/add 1 :name \"Ivan\"] [:db/add 2 :name \"Oleg\"]]");
        var db2 = DbOf("[[:db/add 1 :age 10] [:db/add 2 :age 20]]");
        var result = Hike.Api.Datalog.Q($"[:find [?e ...] :in $ $2 :where {where}]", db1, db2);
        AssertEdn(expected, Hike.Edn.EdnSet.Create((IEnumerable<object?>)result!));
    }

    [Fact]
    public void Not_needs_a_bound_variable()
    {
        Assert.Contains("Insufficient bindings", Fails("query/where", "[:find ?e :where (not [?e :name \"Ivan\"])]", People));
        Assert.Contains("?e", Fails("query/where", "[:find ?e :where [?x :name] (not-join [?e] [?e :name \"Ivan\"])]", People));
    }

    [Theory]
    [InlineData("#{[1] [3] [4] [5]}", "(or [?e :name \"Oleg\"] [?e :age 10])")]
    [InlineData("#{[3] [4]}", "(or [?e :name \"Oleg\"] [?e :age 30])")]
    [InlineData("#{}", "(or [?e :name \"Petr\"] [?e :age 30])")]
    [InlineData("#{[1] [5]}", "[?e :name \"Ivan\"] (or [?e :name \"Oleg\"] [?e :age 10])")]
    [InlineData("#{[1] [5] [4]}", "[?e :age ?a] (or (and [?e :name \"Ivan\"] [1 :age ?a]) (and [?e :name \"Oleg\"] [2 :age ?a]))")]
    [InlineData("#{[1] [5] [4]}", "(or (and [?e :name \"Ivan\"] [1 :age ?a]) (and [?e :name \"Oleg\"] [2 :age ?a])) [?e :age ?a]")]
    [InlineData("#{[1] [5] [4]}", "(or (and [?e :name \"Ivan\"] [1 :age ?a]) (and [2 :age ?a] [?e :name \"Oleg\"])) [?e :age ?a]")]
    [InlineData("#{[1] [2] [3] [4] [5] [6]}", "(or-join [?e] [?e :name ?n] (and [?e :age ?a] [?e :name ?n]))")]
    [InlineData("#{[1] [2] [3] [4] [5] [6]}", "[?e :name ?a] [?e2 :name ?a] (or-join [?e] (and [?e :age ?a] [?e2 :age ?a]))")]
    [InlineData("#{[1] [2] [5] [6]}", "[?e :name] (or-join [[?e]] [?e :name \"Ivan\"] (and [?e :age 30]))")]
    public void Or_is_the_union_of_its_branches(string expected, string where) => Ids(expected, where);

    [Fact]
    public void Or_branches_must_bind_the_same_variables()
    {
        Assert.Contains("same set of free vars", Fails("parser/where", "[:find ?e :where (or [?e :name _] [?e :age ?a])]", People));
        Assert.Contains("Insufficient bindings", Fails("query/where", "[:find ?e :where (or-join [[?e]] [?e :name \"Ivan\"])]", People));
    }
}
