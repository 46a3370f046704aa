using Hike.Api;

namespace Hike.Tests.Conformance;

/// <summary>DataScript's query validation cases (test/datascript/test/parser_query.cljc) as facts.</summary>
public sealed class DataScriptQueryParserTests
{
    [Theory]
    [InlineData("[:find ?e :where [?x]]", "Query for unknown vars: [?e]")]
    [InlineData("[:find ?e :with ?f :where [?e]]", "Query for unknown vars: [?f]")]
    [InlineData("[:find ?e ?x ?t :in ?x :where [?e]]", "Query for unknown vars: [?t]")]
    [InlineData("[:find ?x ?e :with ?y ?e :where [?x ?e ?y]]", ":find and :with should not use same variables: [?e]")]
    [InlineData("[:find ?e :in $ $ ?x :where [?e]]", "Vars used in :in should be distinct")]
    [InlineData("[:find ?e :in ?x $ ?x :where [?e]]", "Vars used in :in should be distinct")]
    [InlineData("[:find ?e :in $ % ?x % :where [?e]]", "Vars used in :in should be distinct")]
    [InlineData("[:find ?n :with ?e ?f ?e :where [?e ?f ?n]]", "Vars used in :with should be distinct")]
    [InlineData("[:find ?x :where [$1 ?x]]", "Where uses unknown source vars: [$1]")]
    [InlineData("[:find ?x :in $1 :where [$2 ?x]]", "Where uses unknown source vars: [$2]")]
    [InlineData("[:find ?e :where (rule ?e)]", "Missing rules var '%' in :in")]
    public void Invalid_queries_are_rejected_before_they_run(string query, string message)
    {
        var e = Assert.Throws<HikeException>(() => Datalog.Q(query));
        Assert.Equal("parser/query", e.Code);
        Assert.Equal(message, e.Message);
    }
}
