using Hike.Api;
using Hike.Edn;
using static Hike.Tests.Query.QueryFixture;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Query;

/// <summary>The built-in functions and aggregates, each against the value Clojure gives.</summary>
public sealed class BuiltInTests
{
    private static object? Call(string expression) => Datalog.Q($"[:find ?r . :where [{expression} ?r]]");

    [Theory]
    [InlineData("(compare 1 2)", "-1")]
    [InlineData("(compare \"b\" \"a\")", "1")]
    [InlineData("(max 1 5 3)", "5")]
    [InlineData("(min 4 2.5)", "2.5")]
    [InlineData("(dec 1)", "0")]
    [InlineData("(- 5)", "-5")]
    [InlineData("(* 2 1.5)", "3.0")]
    [InlineData("(+ 1 2N)", "3N")]
    [InlineData("(rem -5 2)", "-1")]
    [InlineData("(true? true)", "true")]
    [InlineData("(false? nil)", "false")]
    [InlineData("(nil? nil)", "true")]
    [InlineData("(some? false)", "true")]
    [InlineData("(not nil)", "true")]
    [InlineData("(str \"a\" nil 1 :k)", "\"a1:k\"")]
    [InlineData("(name :ns/kw)", "\"kw\"")]
    [InlineData("(namespace :ns/kw)", "\"ns\"")]
    [InlineData("(keyword \"ns\" \"kw\")", ":ns/kw")]
    [InlineData("(keyword \"kw\")", ":kw")]
    [InlineData("(re-matches \"a.c\" \"abc\")", "\"abc\"")]
    [InlineData("(re-seq \"\\\\d\" \"a1b2\")", "(\"1\" \"2\")")]
    [InlineData("(list 1 2)", "(1 2)")]
    [InlineData("(set [1 2 1])", "#{1 2}")]
    [InlineData("(range 3)", "(0 1 2)")]
    [InlineData("(range 1 7 2)", "(1 3 5)")]
    [InlineData("(count \"abc\")", "3")]
    [InlineData("(empty? [])", "true")]
    [InlineData("(contains? #{1 2} 2)", "true")]
    [InlineData("(contains? {:a 1} :b)", "false")]
    [InlineData("(get {:a 1} :a)", "1")]
    [InlineData("(clojure.string/lower-case \"ABC\")", "\"abc\"")]
    [InlineData("(clojure.string/capitalize \"hELLO\")", "\"Hello\"")]
    [InlineData("(clojure.string/replace \"a-b-c\" \"-\" \"+\")", "\"a+b+c\"")]
    [InlineData("(clojure.string/triml \"  x \")", "\"x \"")]
    [InlineData("(identical? :a :a)", "true")]
    public void Functions_give_clojure_values(string expression, string expected)
    {
        AssertEdn(expected, Call(expression));
    }

    [Fact]
    public void Nil_and_empty_results_drop_the_row()
    {
        Assert.Null(Call("(not-empty [])"));
        Assert.Null(Call("(re-find \"z\" \"abc\")"));
        AssertEdn("[1]", Call("(not-empty [1])"));
    }

    [Fact]
    public void Random_functions_stay_in_range()
    {
        for (int i = 0; i < 20; i++)
        {
            Assert.InRange((long)Call("(rand-int 5)")!, 0, 4);
            Assert.InRange((double)Call("(rand 2)")!, 0.0, 2.0);
        }
    }

    [Fact]
    public void Wrong_arguments_are_query_errors_naming_the_function()
    {
        Assert.Contains("subs", Fails("query/where", "[:find ?r :where [(subs \"abc\" 5) ?r]]"));
        Assert.Contains("even?", Fails("query/where", "[:find ?r :where [(even? \"x\") ?r]]"));
        Assert.Contains("+", Fails("query/where", "[:find ?r :where [(+ 1 \"x\") ?r]]"));
        Assert.Contains("overflow", Fails("query/where", "[:find ?r :where [(+ 9223372036854775807 1) ?r]]"));
        Assert.Contains("Wrong number of args", Fails("query/where", "[:find ?r :where [(inc 1 2) ?r]]"));
    }

    [Fact]
    public void Distinct_rand_and_sample_aggregates()
    {
        var xs = Read("[1 2 2 3 3 3]");
        AssertQ("[[#{1 2 3}]]", "[:find (distinct ?x) :with ?i :in [[?i ?x]]]", Read("[[0 1] [1 2] [2 2] [3 3] [4 3] [5 3]]"));
        Assert.Contains(Datalog.Q("[:find (rand ?x) . :in [?x ...]]", xs), new object[] { 1L, 2L, 3L });
        var sample = (EdnVector)Datalog.Q("[:find (sample 2 ?x) . :in [?x ...]]", xs)!;
        Assert.Equal(2, sample.Count);
        Assert.Equal(2, sample.Distinct().Count());
        Assert.Equal(5, ((EdnVector)Datalog.Q("[:find (rand 5 ?x) . :in [?x ...]]", xs)!).Count);
    }

    [Fact]
    public void A_rule_that_generates_values_forever_is_stopped()
    {
        Assert.Contains("did not reach a fixpoint", Fails("query/where", "[:find ?x :in $ % :where (r ?x)]",
            Read("[[1 :a 1]]"), "[[(r ?x) [(ground 0) ?x]] [(r ?y) (r ?x) [(inc ?x) ?y]]]"));
    }
}
