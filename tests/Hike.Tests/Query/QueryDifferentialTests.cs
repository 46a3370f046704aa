using System.Text;
using Hike.Api;
using Hike.Db;
using Hike.Edn;
using Hike.Testing;
using Xunit.Abstractions;

namespace Hike.Tests.Query;

/// <summary>
/// Random small databases and random queries, each answered by the engine and by the naive
/// <see cref="ReferenceEvaluator"/>, which must agree exactly; on current, history, as-of, since and
/// filtered views.
/// The seed is printed and taken from <c>HIKE_TEST_SEED</c> to replay a failure.
/// </summary>
public sealed class QueryDifferentialTests(ITestOutputHelper output)
{
    private const string Schema = """
        [{:db/ident :a :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
         {:db/ident :b :db/valueType :db.type/long :db/cardinality :db.cardinality/many}
         {:db/ident :s :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/index true}
         {:db/ident :r :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}]
        """;

    private const string Rules = """
        [[(reach ?x ?y) [?x :r ?y]]
         [(reach ?x ?y) [?x :r ?t] (reach ?t ?y)]
         [(tagged ?x ?v) [?x :a ?v]]
         [(tagged ?x ?v) [?x :b ?v]]]
        """;

    [Fact]
    public void Engine_and_reference_evaluator_agree_on_random_queries()
    {
        int seed = TestSeed.Next(output.WriteLine);
        var random = new Random(seed);
        var rules = EdnReader.Read(Rules);
        for (int round = 0; round < 40; round++)
        {
            var (db, asOfTx) = RandomDatabase(random);
            var views = new (string Name, Database View)[]
            {
                ("current", db), ("history", db.History()), ("as-of", db.AsOf(asOfTx)), ("since", db.Since(asOfTx)),
                ("filtered", db.Filter((_, d) => d.E % 3 != 0)),
            };
            for (int q = 0; q < 10; q++)
            {
                var query = RandomQuery(random);
                foreach (var (name, view) in views)
                {
                    var expected = ReferenceEvaluator.Q(query, view, rules);
                    object? actual;
                    try
                    {
                        actual = Datalog.Q(query, view, rules);
                    }
                    catch (Exception e)
                    {
                        throw new Xunit.Sdk.XunitException($"seed {seed}, round {round}, {name}: {query} threw {e}");
                    }
                    var got = ((EdnSet)actual!).Cast<EdnVector>().ToHashSet();
                    if (!got.SetEquals(expected))
                    {
                        throw new Xunit.Sdk.XunitException(
                            $"seed {seed}, round {round}, {name}: {query}\nexpected {Show(expected)}\nactual   {Show(got)}\nplan:\n{Datalog.Explain(query, view, rules)}");
                    }
                }
            }
        }
    }

    private static string Show(HashSet<EdnVector> rows) => EdnPrinter.Print(EdnSet.Create(rows.OrderBy(r => EdnPrinter.Print(r), StringComparer.Ordinal)));

    private static (Database Db, long AsOfTx) RandomDatabase(Random random)
    {
        int n = random.Next(3, 12);
        var db = Database.Empty(new DatabaseConfig { KeepHistory = true }).DbWith(Schema);
        long asOf = 0;
        for (int tx = 0; tx < 3; tx++)
        {
            var sb = new StringBuilder("[");
            for (int i = 0; i < n; i++)
            {
                long e = 100 + i;
                if (random.Next(3) == 0) sb.Append($"[:db/add {e} :a {random.Next(5)}]");
                if (random.Next(3) == 0) sb.Append($"[:db/add {e} :b {random.Next(5)}]");
                if (random.Next(3) == 0) sb.Append($"[:db/add {e} :s \"{"xyz"[random.Next(3)]}\"]");
                if (random.Next(3) == 0) sb.Append($"[:db/add {e} :r {100 + random.Next(n)}]");
                if (tx > 0 && random.Next(6) == 0) sb.Append($"[:db/retract {e} :b {random.Next(5)}]");
                if (tx > 0 && random.Next(8) == 0) sb.Append($"[:db/retract {e} :r {100 + random.Next(n)}]");
            }
            sb.Append(']');
            var report = db.With(sb.ToString());
            db = report.DbAfter;
            if (tx == 1) asOf = db.MaxTx;
        }
        return (db, asOf);
    }

    /// <summary>A query valid in written order: every clause finds the variables it needs bound.</summary>
    private static string RandomQuery(Random random)
    {
        var bound = new List<string>();
        var clauses = new List<string>();
        var entityVars = new[] { "?e", "?f", "?g" };
        var valueVars = new[] { "?v", "?w" };
        string Pick(string[] pool) => pool[random.Next(pool.Length)];
        string Entity() => random.Next(6) == 0 ? (100 + random.Next(5)).ToString(System.Globalization.CultureInfo.InvariantCulture) : Pick(entityVars);
        string BoundEntity() => bound.Where(entityVars.Contains).OrderBy(_ => random.Next()).First();
        void Bind(params string[] terms)
        {
            foreach (var t in terms)
            {
                if (t.StartsWith('?') && !bound.Contains(t)) bound.Add(t);
            }
        }
        string Pattern()
        {
            var e = Entity();
            switch (random.Next(5))
            {
                case 0:
                    var v = random.Next(3) == 0 ? random.Next(5).ToString(System.Globalization.CultureInfo.InvariantCulture) : Pick(valueVars);
                    Bind(e, v);
                    return $"[{e} {(random.Next(2) == 0 ? ":a" : ":b")} {v}]";
                case 1:
                    var s = random.Next(2) == 0 ? $"\"{"xyz"[random.Next(3)]}\"" : "?t";
                    Bind(e, s);
                    return $"[{e} :s {s}]";
                case 2:
                    var f = Entity();
                    Bind(e, f);
                    return $"[{e} :r {f}]";
                case 3:
                    Bind(e);
                    return $"[{e} {(random.Next(2) == 0 ? ":a" : ":s")}]";
                default:
                    var to = random.Next(2) == 0 ? Pick(entityVars) : Pick(valueVars);
                    Bind(e, to);
                    return to.StartsWith("?v", StringComparison.Ordinal) || to == "?w" ? $"(tagged {e} {to})" : $"(reach {e} {to})";
            }
        }
        do
        {
            clauses.Add(Pattern());
        }
        while (bound.Count == 0);
        int extra = random.Next(0, 4);
        for (int i = 0; i < extra; i++)
        {
            var values = bound.Where(valueVars.Contains).ToList();
            bool hasEntity = bound.Any(entityVars.Contains);
            switch (random.Next(6))
            {
                case 0 when values.Count > 0:
                    clauses.Add($"[({(random.Next(2) == 0 ? "<" : ">=")} {values[random.Next(values.Count)]} {random.Next(5)})]");
                    break;
                case 1 when bound.Count(entityVars.Contains) > 1:
                    var es = bound.Where(entityVars.Contains).ToList();
                    clauses.Add($"[(!= {es[0]} {es[1]})]");
                    break;
                case 2 when hasEntity:
                    clauses.Add($"(not [{BoundEntity()} :a {random.Next(5)}])");
                    break;
                case 3 when hasEntity:
                    var ne = BoundEntity();
                    clauses.Add($"(not-join [{ne}] [{ne} :r ?q] [?q :s \"{"xyz"[random.Next(3)]}\"])");
                    break;
                case 4:
                    var oe = hasEntity && random.Next(2) == 0 ? BoundEntity() : Pick(entityVars);
                    clauses.Add(random.Next(2) == 0
                        ? $"(or [{oe} :a {random.Next(5)}] [{oe} :s \"{"xyz"[random.Next(3)]}\"])"
                        : $"(or-join [{oe}] [{oe} :b ?z] (and [{oe} :r ?q] [?q :a {random.Next(5)}]))");
                    Bind(oe);
                    break;
                default:
                    clauses.Add(Pattern());
                    break;
            }
        }
        var find = bound.Where(_ => random.Next(3) > 0).ToList();
        if (find.Count == 0) find.Add(bound[0]);
        return $"[:find {string.Join(" ", find)} :in $ % :where {string.Join(" ", clauses)}]";
    }
}
