using System.Globalization;
using System.Text;
using Hike.Api;
using Hike.Edn;
using static Hike.Tests.Query.QueryFixture;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Query;

/// <summary>
/// Recursive rules called with bound arguments compute only what the bound values reach: checked
/// without a clock, through the row bound every relation of a query is held to.
/// </summary>
public sealed class RecursiveRuleDemandTests
{
    private const string Schema = "[{:db/ident :next :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}]";

    private const string RightLinear = "[[(anc ?x ?y) [?x :next ?y]] [(anc ?x ?y) [?x :next ?t] (anc ?t ?y)]]";

    private const string LeftLinear = "[[(anc ?x ?y) [?x :next ?y]] [(anc ?x ?y) (anc ?x ?t) [?t :next ?y]]]";

    /// <summary>A chain 1 → 2 → … → <paramref name="length"/>, shared by the tests of one length.</summary>
    private static readonly Dictionary<int, Database> Chains = [];

    private static Database Chain(int length)
    {
        lock (Chains)
        {
            if (Chains.TryGetValue(length, out var db)) return db;
            var tx = new StringBuilder("[");
            for (int i = 1; i < length; i++) tx.Append(CultureInfo.InvariantCulture, $"[:db/add {i} :next {i + 1}]");
            tx.Append(']');
            return Chains[length] = NewDb(Schema, data: tx.ToString());
        }
    }

    /// <summary>The file store builds its chain on disk, so it gets a shorter one; both are far longer than the row bound.</summary>
    private static int LongChain => TestBackend.IsDurable ? 20_000 : 100_000;

    [Theory]
    [InlineData(RightLinear)]
    [InlineData(LeftLinear)]
    public void A_bound_call_near_the_end_of_a_long_chain_stays_under_a_row_bound_the_whole_closure_breaks(string rules)
    {
        int n = LongChain;
        var db = Chain(n);
        long start = n - 50;
        // 50 nodes follow the start: its answers, and every relation the demand-driven run builds,
        // stay far under 5,000 rows; the whole closure's first round alone holds n - 1.
        var query = $"[:find ?y :in $ % ?s :where (anc ?s ?y) :max-rows 5000]";
        var answers = (EdnSet)Datalog.Q(query, db, Read(rules), start)!;
        Assert.Equal(Enumerable.Range((int)start + 1, 50).Select(i => (long)i).ToHashSet(), answers.Cast<EdnVector>().Select(r => (long)r[0]!).ToHashSet());
        var whole = Assert.Throws<HikeException>(() => Datalog.Q("[:find ?x ?y :in $ % :where (anc ?x ?y) :max-rows 5000]", db, Read(rules)));
        Assert.Equal("query/too-large", whole.Code);
    }

    [Fact]
    public void A_right_linear_rule_bound_two_thousand_from_the_end_keeps_one_row_per_reached_node()
    {
        int n = LongChain;
        var db = Chain(n);
        // Computing every reached node's own ancestors would hold 2000 * 2001 / 2 rows.
        var query = "[:find (count ?y) . :in $ % ?s :where (anc ?s ?y) :max-rows 5000]";
        Assert.Equal(2000L, Datalog.Q(query, db, Read(RightLinear), (long)(n - 2000)));
    }

    [Fact]
    public void A_bound_call_says_in_the_plan_that_it_ran_from_the_bound_values()
    {
        var db = Chain(100);
        var plan = Datalog.Explain("[:find ?y :in $ % :where [?s :next 91] (anc ?s ?y)]", db, Read(RightLinear));
        Assert.Contains("(anc ?s ?y)  -- rule: semi-naive fixpoint from 1 bound value(s)", plan, StringComparison.Ordinal);
        Assert.Contains("actual 10,", plan, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_calls_with_different_constants_each_get_their_own_answers()
    {
        var db = Chain(10);
        AssertQ("#{[10 9]}", "[:find ?a ?b :in $ % :where (anc 9 ?a) (anc 8 ?b) [?b :next ?a]]", db, Read(RightLinear));
        AssertQ("[[4]]", "[:find (count ?x) :in $ % :where (anc 6 ?x)]", db, Read(LeftLinear));
        AssertQ("[[4]]", "[:find (count ?x) :in $ % :where (anc 1 ?x) [(> ?x 5)] (anc ?x 10)]", db, Read(RightLinear));
    }

    [Fact]
    public void A_bound_call_and_an_unbound_one_in_either_order_each_get_all_their_answers()
    {
        var db = Chain(6);
        AssertQ("#{[5] [6]}", "[:find ?z :in $ % :where (anc ?x ?y) (anc 4 ?z)]", db, Read(LeftLinear));
        // And the other way round: the bound call's tuples do not stand in for the whole closure.
        AssertQ("#{[1] [2] [3] [4] [5]}", "[:find ?x :in $ % :where (anc 5 ?z) (anc ?x ?y) [(= ?y ?z)]]", db, Read(RightLinear));
    }

    [Fact]
    public void A_bound_call_reads_the_source_it_names()
    {
        var db = Chain(5);
        var other = NewDb(Schema, data: "[[:db/add 3 :next 1] [:db/add 1 :next 4]]");
        AssertQ("#{[1] [4]}", "[:find ?y :in $ $o % :where ($o anc 3 ?y)]", db, other, Read(RightLinear));
        AssertQ("#{[4] [5]}", "[:find ?y :in $ $o % :where ($ anc 3 ?y)]", db, other, Read(RightLinear));
    }

    [Fact]
    public void A_recursive_rule_with_a_required_head_group_runs_from_the_callers_value()
    {
        // DATAHIKE: Hike binds a required group to the caller's value (Datomic's semantics); a body
        // may then compute from it, which a rule computed whole could not.
        var db = Chain(5);
        var rules = Read("[[(after [?x] ?y) [?x :next ?y]] [(after [?x] ?y) [?x :next ?t] (after ?t ?y)] [(plus [?x] ?y) [(+ ?x 10) ?y]] [(plus [?x] ?y) [(+ ?x 1) ?t] [(< ?t 3)] (plus ?t ?y)]]");
        AssertQ("#{[4] [5]}", "[:find ?y :in $ % :where (after 3 ?y)]", db, rules);
        AssertQ("#{[10] [11] [12]}", "[:find ?y :in $ % :where (plus 0 ?y)]", db, rules);
    }

    [Fact]
    public void A_bound_call_that_reaches_more_than_the_row_bound_still_fails_with_too_large()
    {
        var db = Chain(100);
        // The rule's relation holds each reached node's own next node and the start's answers: two rows a node.
        var e = Assert.Throws<HikeException>(() => Datalog.Q("[:find ?y :in $ % :where (anc 1 ?y) :max-rows 100]", db, Read(RightLinear)));
        Assert.Equal("query/too-large", e.Code);
        Assert.Equal(49L, Datalog.Q("[:find (count ?y) . :in $ % :where (anc 51 ?y) :max-rows 100]", db, Read(RightLinear)));
    }

    [Fact]
    public void A_rule_that_reads_its_own_component_under_not_is_still_computed_whole()
    {
        // Driven by demand, the not would see a partial relation; computed whole it gives the answers it always gave.
        var db = Chain(5);
        var rules = Read("[[(p ?x ?y) [?x :next ?y]] [(p ?x ?y) [?x :next ?t] (p ?t ?y) (not (p ?y ?x))]]");
        AssertQ("#{[4] [5]}", "[:find ?y :in $ % :where (p 3 ?y)]", db, rules);
        var plan = Datalog.Explain("[:find ?y :in $ % :where (p 3 ?y)]", db, rules);
        Assert.Contains("(p 3 ?y)  -- rule: semi-naive fixpoint; estimated", plan, StringComparison.Ordinal);
    }
}
