using System.Globalization;
using System.Text;
using Hike.Api;
using Hike.Edn;
using Hike.Testing;
using Hike.Tests.Transactions;
using Xunit.Abstractions;

namespace Hike.Tests.Query;

/// <summary>
/// Recursive rules called with bound, unbound and constant arguments on random graphs (cycles,
/// chains, diamonds, self-loops), answered by the engine (which runs a bound call from the
/// caller's values) and by the naive <see cref="ReferenceEvaluator"/> (which computes every rule
/// whole): they must agree exactly. The seed is printed and taken from <c>HIKE_TEST_SEED</c>.
/// </summary>
public sealed class RecursiveRuleDifferentialTests(ITestOutputHelper output)
{
    private const string Schema = """
        [{:db/ident :a :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
         {:db/ident :r :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}]
        """;

    /// <summary>Rule sets defining <c>p</c>, each valid when run in written order with nothing bound (as the reference runs them).</summary>
    private static readonly string[] RuleSets =
    [
        // Right-linear, the way Datahike's docs write ancestors.
        "[[(p ?x ?y) [?x :r ?y]] [(p ?x ?y) [?x :r ?t] (p ?t ?y)]]",
        // Left-linear.
        "[[(p ?x ?y) [?x :r ?y]] [(p ?x ?y) (p ?x ?t) [?t :r ?y]]]",
        // Non-linear.
        "[[(p ?x ?y) [?x :r ?y]] [(p ?x ?y) (p ?x ?t) (p ?t ?y)]]",
        // Mutual recursion: odd-length and even-length paths.
        "[[(p ?x ?y) [?x :r ?y]] [(p ?x ?y) [?x :r ?t] (q ?t ?y)] [(q ?x ?y) [?x :r ?t] (p ?t ?y)]]",
        // Recursion through or-join and and.
        "[[(p ?x ?y) (or-join [?x ?y] [?x :r ?y] (and [?x :r ?t] (p ?t ?y)))]]",
        // A filter on data under not, and a non-recursive helper rule.
        "[[(e ?x ?y) [?x :r ?y] (not [?y :a 0])] [(p ?x ?y) (e ?x ?y)] [(p ?x ?y) (e ?x ?t) (p ?t ?y)]]",
        // Backwards: the recursive call's bound argument is the head's second.
        "[[(p ?x ?y) [?x :r ?y]] [(p ?x ?y) [?t :r ?y] (p ?x ?t)]]",
        // A value carried along the path, in the second position.
        "[[(p ?x ?v) [?x :a ?v]] [(p ?x ?v) [?x :r ?t] (p ?t ?v)]]",
        // A constant in a recursive call.
        "[[(p ?x ?y) [?x :r ?y]] [(p ?x ?y) [?x :r ?t] (p ?t ?y)] [(p ?x ?y) [?x :a 2] (p 100 ?y)]]",
    ];

    [Fact]
    public void Bound_unbound_and_constant_calls_of_recursive_rules_agree_with_the_reference()
    {
        int seed = TestSeed.Next(output.WriteLine);
        var random = new Random(seed);
        int checkedQueries = 0;
        // Few graphs, several rule sets on each: building a database is what the file store makes slow.
        for (int round = 0; round < 16; round++)
        {
            var db = RandomGraph(random);
            for (int set = 0; set < 3; set++)
            {
                var ruleText = RuleSets[random.Next(RuleSets.Length)];
                var rules = EdnReader.Read(ruleText);
                for (int q = 0; q < 5; q++)
                {
                    var query = RandomQuery(random);
                    var expected = ((EdnSet)ReferenceEvaluator.Q(query, db, rules)).Cast<EdnVector>().ToHashSet();
                    object? actual;
                    try
                    {
                        actual = Datalog.Q(query, db, rules);
                    }
                    catch (Exception e)
                    {
                        throw new Xunit.Sdk.XunitException($"seed {seed}, round {round}: {query} with {ruleText} threw {e}");
                    }
                    var got = ((EdnSet)actual!).Cast<EdnVector>().ToHashSet();
                    if (!got.SetEquals(expected))
                    {
                        throw new Xunit.Sdk.XunitException(
                            $"seed {seed}, round {round}: {query} with {ruleText}\nexpected {Show(expected)}\nactual   {Show(got)}\nplan:\n{Datalog.Explain(query, db, rules)}");
                    }
                    checkedQueries++;
                }
            }
        }
        Assert.Equal(240, checkedQueries);
    }

    private static string Show(HashSet<EdnVector> rows) => EdnPrinter.Print(EdnSet.Create(rows.OrderBy(r => EdnPrinter.Print(r), StringComparer.Ordinal)));

    /// <summary>Nodes 100.. with random edges, plus a chain, a diamond and a self-loop somewhere among them; some nodes carry :a.</summary>
    private static Database RandomGraph(Random random)
    {
        int n = random.Next(4, 12);
        var edges = new HashSet<(int, int)>();
        for (int i = 0; i < n; i++)
        {
            if (random.Next(3) == 0) edges.Add((i, random.Next(n)));
        }
        switch (random.Next(4))
        {
            case 0:
                for (int i = 0; i + 1 < n; i++) edges.Add((i, i + 1));
                break;
            case 1:
                edges.UnionWith([(0, 1), (0, 2), (1, 3), (2, 3)]);
                break;
            case 2:
                edges.Add((random.Next(n), random.Next(n)));
                int c = random.Next(n);
                edges.Add((c, c));
                break;
            default:
                for (int i = 0; i < n; i++) edges.Add((i, (i + 1) % n));
                break;
        }
        var sb = new StringBuilder("[");
        foreach (var (from, to) in edges) sb.Append(CultureInfo.InvariantCulture, $"[:db/add {100 + from} :r {100 + to}]");
        for (int i = 0; i < n; i++)
        {
            if (random.Next(2) == 0) sb.Append(CultureInfo.InvariantCulture, $"[:db/add {100 + i} :a {random.Next(3)}]");
        }
        sb.Append(']');
        return TxFixture.NewDb(Schema, data: sb.ToString());
    }

    /// <summary>A call of <c>p</c> bound by a constant, by a pattern, twice with different positions bound, or not at all.</summary>
    private static string RandomQuery(Random random)
    {
        string Node() => (100 + random.Next(5)).ToString(CultureInfo.InvariantCulture);
        int v = random.Next(3);
        var (find, where) = random.Next(10) switch
        {
            0 => ("?x ?y", "(p ?x ?y)"),
            1 => ("?y", $"(p {Node()} ?y)"),
            2 => ("?x", $"(p ?x {Node()})"),
            3 => ("?x ?y", $"[?x :a {v}] (p ?x ?y)"),
            4 => ("?x ?y", $"[?y :a {v}] (p ?x ?y)"),
            5 => ("?x", "[?x :r _] (p ?x ?x)"),
            6 => ("?x ?y", $"(p {Node()} ?x) (p ?y ?x)"),
            7 => ("?x", $"[?x :a {v}] (p ?x _)"),
            8 => ("?x ?y", $"(p {Node()} ?x) (p ?x ?y) [?y :a {v}]"),
            _ => ("?x", $"[?x :a ?w] (p ?x {Node()})"),
        };
        return $"[:find {find} :in $ % :where {where}]";
    }
}
