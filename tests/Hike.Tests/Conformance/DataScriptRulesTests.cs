using static Hike.Tests.Query.QueryFixture;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Conformance;

/// <summary>DataScript's rule cases (test/datascript/test/query_rules.cljc) as facts.</summary>
public sealed class DataScriptRulesTests
{
    private static readonly object? Follows = Read("[[5 :follow 3] [1 :follow 2] [2 :follow 3] [3 :follow 4] [4 :follow 6] [2 :follow 4]]");

    [Fact]
    public void A_rule_with_one_body()
    {
        AssertQ("#{[1 2] [2 3] [3 4] [2 4] [5 3] [4 6]}", "[:find ?e1 ?e2 :in $ % :where (follow ?e1 ?e2)]",
            Follows, "[[(follow ?x ?y) [?x :follow ?y]]]");
    }

    [Fact]
    public void Rules_join_with_regular_clauses()
    {
        AssertQ("#{[3 2] [6 4] [4 2]}", "[:find ?y ?x :in $ % :where [_ _ ?x] (rule ?x ?y) [(even? ?x)]]",
            Follows, "[[(rule ?a ?b) [?a :follow ?b]]]");
    }

    [Fact]
    public void A_rule_body_does_not_see_the_callers_variables()
    {
        AssertQ("#{[:follow]}", "[:find ?x :in $ % :where [?e _ _] (rule ?x)]", Follows, "[[(rule ?e) [_ ?e _]]]");
    }

    [Fact]
    public void A_rule_with_several_bodies_is_their_union()
    {
        AssertQ("#{[2] [3] [4]}", "[:find ?e2 :in $ ?e1 % :where (follow ?e1 ?e2)]", Follows, 1L,
            "[[(follow ?e2 ?e1) [?e2 :follow ?e1]] [(follow ?e2 ?e1) [?e2 :follow ?t] [?t :follow ?e1]]]");
    }

    [Fact]
    public void Recursive_rules_reach_a_fixpoint_also_on_cycles()
    {
        const string transitive = "[[(follow ?e1 ?e2) [?e1 :follow ?e2]] [(follow ?e1 ?e2) [?e1 :follow ?t] (follow ?t ?e2)]]";
        AssertQ("#{[2] [3] [4] [6]}", "[:find ?e2 :in $ ?e1 % :where (follow ?e1 ?e2)]", Follows, 1L, transitive);
        const string symmetric = "[[(follow ?e1 ?e2) [?e1 :follow ?e2]] [(follow ?e1 ?e2) (follow ?e2 ?e1)]]";
        AssertQ("#{[1 2] [2 3] [2 1] [3 2]}", "[:find ?e1 ?e2 :in $ % :where (follow ?e1 ?e2)]", Read("[[1 :follow 2] [2 :follow 3]]"), symmetric);
        AssertQ("#{[1 2] [2 3] [3 1] [2 1] [3 2] [1 3]}", "[:find ?e1 ?e2 :in $ % :where (follow ?e1 ?e2)]",
            Read("[[1 :follow 2] [2 :follow 3] [3 :follow 1]]"), symmetric);
        AssertQ("#{[1 1] [1 2] [1 3] [2 1] [2 2] [2 3] [3 1] [3 2] [3 3]}", "[:find ?e1 ?e2 :in $ % :where (follow ?e1 ?e2)]",
            Read("[[1 :follow 2] [2 :follow 3] [3 :follow 1]]"), transitive);
    }

    [Fact]
    public void Mutually_recursive_rules()
    {
        AssertQ("#{[0 1] [0 3] [0 5] [1 3] [1 5] [2 3] [2 5] [3 5] [4 5]}", "[:find ?e1 ?e2 :in $ % :where (f1 ?e1 ?e2)]",
            Read("[[0 :f1 1] [1 :f2 2] [2 :f1 3] [3 :f2 4] [4 :f1 5] [5 :f2 6]]"),
            """
            [[(f1 ?e1 ?e2) [?e1 :f1 ?e2]]
             [(f1 ?e1 ?e2) [?t :f1 ?e2] (f2 ?e1 ?t)]
             [(f2 ?e1 ?e2) [?e1 :f2 ?e2]]
             [(f2 ?e1 ?e2) [?t :f2 ?e2] (f1 ?e1 ?t)]]
            """);
    }

    [Fact]
    public void Inputs_and_built_ins_are_usable_inside_rules()
    {
        Func<long, bool> even = x => x % 2 == 0;
        AssertQ("#{[4 6] [2 4]}", "[:find ?x ?y :in $ % ?even :where (match ?even ?x ?y)]", Follows,
            "[[(match ?pred ?e ?e2) [?e :follow ?e2] [(?pred ?e)] [(?pred ?e2)]]]", even);
        AssertQ("#{[4 6] [2 4]}", "[:find ?x ?y :in $ % :where (match ?x ?y)]", Follows,
            "[[(match ?e ?e2) [?e :follow ?e2] [(even? ?e)] [(even? ?e2)]]]");
    }

    [Fact]
    public void A_rule_can_be_called_twice()
    {
        Func<object?, bool> always = _ => true;
        AssertQ("#{}", "[:find ?p :in $ % ?fn :where (rule ?p ?fn \"a\") (rule ?p ?fn \"b\")]",
            Read("[[1 :attr \"a\"]]"), "[[(rule ?p ?fn ?x) [?p :attr ?x] [(?fn ?x)]]]", always);
        AssertQ("#{[1]}", "[:find ?p :in $ % ?fn :where (rule ?p ?fn \"a\") (rule ?p ?fn \"a\")]",
            Read("[[1 :attr \"a\"]]"), "[[(rule ?p ?fn ?x) [?p :attr ?x] [(?fn ?x)]]]", always);
    }

    [Fact]
    public void A_rule_call_can_name_its_source()
    {
        AssertQ("""#{["Oleg"]}""", "[:find ?n :in $sexes $ages % :where ($sexes male ?n) ($ages adult ?n)]",
            Read("""[["Ivan" :male] ["Darya" :female] ["Oleg" :male] ["Igor" :male]]"""),
            Read("""[["Ivan" 15] ["Oleg" 66] ["Darya" 32]]"""),
            "[[(male ?x) [?x :male]] [(adult ?y) [?y ?a] [(>= ?a 18)]]]");
    }

    [Fact]
    public void False_is_a_rule_argument_like_any_other()
    {
        var db = DbOf("[[:db/add 1 :attr true] [:db/add 2 :attr false]]");
        const string rules = "[[(is ?id ?val) [?id :attr ?val]]]";
        AssertQ("#{[1]}", "[:find ?id :in $ % :where (is ?id true)]", db, rules);
        AssertQ("#{[2]}", "[:find ?id :in $ % :where (is ?id false)]", db, rules);
    }

    [Fact]
    public void Rule_errors_name_the_rule()
    {
        Assert.Contains("Unknown rule 'nope'", Fails("query/where", "[:find ?x :in $ % :where (nope ?x)]", Follows, "[[(follow ?x ?y) [?x :follow ?y]]]"));
        Assert.Contains("takes 2 arguments", Fails("query/where", "[:find ?x :in $ % :where (follow ?x)]", Follows, "[[(follow ?x ?y) [?x :follow ?y]]]"));
        Assert.Contains("Arity mismatch", Fails("parser/rules", "[:find ?x :in $ % :where (r ?x)]", Follows, "[[(r ?x) [?x :follow _]] [(r ?x ?y) [?x :follow ?y]]]"));
        Fails("query/where", "[:find ?x :in $ % :where (r ?x 1)]", Follows, "[[(r [?a] ?b) [?a :follow ?b]]]");
    }

    [Fact]
    public void Required_rule_arguments_are_accepted_when_bound()
    {
        AssertQ("#{[3] [4]}", "[:find ?y :in $ % ?x :where (r ?x ?y)]", Follows, "[[(r [?a] ?b) [?a :follow ?b]]]", 2L);
    }
}
