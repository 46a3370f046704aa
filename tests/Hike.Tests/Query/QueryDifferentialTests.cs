using System.Globalization;
using System.Text;
using Hike.Api;
using Hike.Edn;
using Hike.Testing;
using Xunit.Abstractions;

namespace Hike.Tests.Query;

/// <summary>
/// Random small databases and random queries, each answered by the engine and by the naive
/// <see cref="ReferenceEvaluator"/>, which must agree exactly (a missing lookup ref is the same error);
/// on current, history, as-of, since and filtered views. The queries take a scalar or collection input
/// beside the rules, write lookup refs in patterns, under <c>not</c> and in rule bodies, call a rule with
/// a required group, bind <c>or-join</c> variables from the input, and find variables, aggregates and
/// pulls (vectors compared in any order, each element as often).
/// The seed is printed and taken from <c>HIKE_TEST_SEED</c> to replay a failure.
/// </summary>
public sealed class QueryDifferentialTests(ITestOutputHelper output)
{
    private const string Schema = """
        [{:db/ident :a :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
         {:db/ident :b :db/valueType :db.type/long :db/cardinality :db.cardinality/many}
         {:db/ident :s :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/index true}
         {:db/ident :r :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}
         {:db/ident :u :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}]
        """;

    /// <summary>The rules of one round; <c>linked</c> holds lookup refs that may name no entity of a view.</summary>
    private static object? Rules(Random random, int n) => EdnReader.Read($$"""
        [[(reach ?x ?y) [?x :r ?y]]
         [(reach ?x ?y) [?x :r ?t] (reach ?t ?y)]
         [(tagged ?x ?v) [?x :a ?v]]
         [(tagged ?x ?v) [?x :b ?v]]
         [(above [?k] ?e) [?e :a ?w] [(> ?w ?k)]]
         [(linked ?x) [?x :r [:u "u{{random.Next(n)}}"]]]
         [(linked ?x) [[:u "u{{random.Next(n)}}"] :r ?x]]]
        """);

    private sealed record GeneratedQuery(string Text, object? Input, bool Pulls);

    [Fact]
    public void Engine_and_reference_evaluator_agree_on_random_queries()
    {
        int seed = TestSeed.Next(output.WriteLine);
        var random = new Random(seed);
        for (int round = 0; round < 40; round++)
        {
            var (db, asOfTx, n) = RandomDatabase(random);
            var rules = Rules(random, n);
            var views = new (string Name, Database View)[]
            {
                ("current", db), ("history", db.History()), ("as-of", db.AsOf(asOfTx)), ("since", db.Since(asOfTx)),
                ("filtered", db.Filter((_, d) => d.E % 3 != 0)),
            };
            for (int q = 0; q < 10; q++)
            {
                var query = RandomQuery(random, n);
                var inputs = query.Input is null ? new[] { rules } : [rules, query.Input];
                foreach (var (name, view) in views)
                {
                    // A pull on a history view sees every value an attribute ever had; the reference pulls current values only.
                    if (query.Pulls && view.IsHistory) continue;
                    string where = $"seed {seed}, round {round}, {name}: {query.Text} {EdnPrinter.Print(query.Input)}";
                    object? expected;
                    try
                    {
                        expected = ReferenceEvaluator.Q(query.Text, view, rules, query.Input);
                    }
                    catch (ReferenceEvaluator.MissingEntityException missing)
                    {
                        var error = Assert.Throws<HikeException>(() => Datalog.Q(query.Text, [view, .. inputs]));
                        Assert.True(error.Code == "entity-id/missing", $"{where}: expected {missing.Message}, got {error}");
                        continue;
                    }
                    object? actual;
                    try
                    {
                        actual = Datalog.Q(query.Text, [view, .. inputs]);
                    }
                    catch (Exception e)
                    {
                        throw new Xunit.Sdk.XunitException($"{where} threw {e}");
                    }
                    if (!SameAnswer(expected, actual))
                    {
                        throw new Xunit.Sdk.XunitException(
                            $"{where}\nexpected {EdnPrinter.Print(expected)}\nactual   {EdnPrinter.Print(actual)}\nplan:\n{Datalog.Explain(query.Text, [view, .. inputs])}");
                    }
                }
            }
        }
    }

    /// <summary>Equal sets, or vectors holding equal elements equally often, in any order.</summary>
    private static bool SameAnswer(object? expected, object? actual)
    {
        if (expected is EdnSet) return ValueEquality.Instance.Equals(expected, actual);
        if (expected is not EdnVector want || actual is not EdnVector got || want.Count != got.Count) return false;
        var left = got.ToList();
        foreach (var x in want)
        {
            int i = left.FindIndex(y => ValueEquality.Instance.Equals(x, y));
            if (i < 0) return false;
            left.RemoveAt(i);
        }
        return true;
    }

    private static (Database Db, long AsOfTx, int N) RandomDatabase(Random random)
    {
        int n = random.Next(3, 12);
        var db = Database.Empty(new DatabaseConfig { KeepHistory = true }).DbWith(Schema);
        var named = new bool[n];
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
                if (!named[i] && random.Next(2) == 0)
                {
                    // Named once and never changed, so a lookup ref names one entity in every view that has it.
                    named[i] = true;
                    sb.Append($"[:db/add {e} :u \"u{i}\"]");
                }
                if (tx > 0 && random.Next(6) == 0) sb.Append($"[:db/retract {e} :b {random.Next(5)}]");
                if (tx > 0 && random.Next(8) == 0) sb.Append($"[:db/retract {e} :r {100 + random.Next(n)}]");
            }
            sb.Append(']');
            var report = db.With(sb.ToString());
            db = report.DbAfter;
            if (tx == 1) asOf = db.MaxTx;
        }
        return (db, asOf, n);
    }

    /// <summary>A query valid in written order: every clause finds the variables it needs bound.</summary>
    private static GeneratedQuery RandomQuery(Random random, int n)
    {
        var bound = new List<string>();
        var clauses = new List<string>();
        var entityVars = new[] { "?e", "?f", "?g" };
        var valueVars = new List<string> { "?v", "?w" };
        string inSpec = "$ %";
        object? input = null;
        switch (random.Next(3))
        {
            case 1:
                inSpec += " ?k";
                input = (long)random.Next(5);
                break;
            case 2:
                inSpec += " [?k ...]";
                input = EdnVector.Create([.. Enumerable.Range(0, 5).Where(_ => random.Next(3) == 0).Select(x => (object?)(long)x)]);
                break;
        }
        if (input is not null)
        {
            valueVars.Add("?k");
            bound.Add("?k");
        }
        string Pick(IReadOnlyList<string> pool) => pool[random.Next(pool.Count)];
        string Number() => random.Next(5).ToString(CultureInfo.InvariantCulture);
        string Text() => $"\"{"xyz"[random.Next(3)]}\"";
        string LookupRef() => $"[:u \"u{random.Next(n)}\"]";
        string Entity() => random.Next(6) == 0 ? (100 + random.Next(5)).ToString(CultureInfo.InvariantCulture) : Pick(entityVars);
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
            var values = bound.Where(valueVars.Contains).ToList();
            switch (random.Next(9))
            {
                case 0:
                    var v = random.Next(3) == 0 ? Number() : Pick(valueVars);
                    Bind(e, v);
                    return $"[{e} {(random.Next(2) == 0 ? ":a" : ":b")} {v}]";
                case 1:
                    var s = random.Next(2) == 0 ? Text() : "?t";
                    Bind(e, s);
                    return $"[{e} :s {s}]";
                case 2:
                    var f = Entity();
                    Bind(e, f);
                    return $"[{e} :r {f}]";
                case 3:
                    Bind(e);
                    return $"[{e} {(random.Next(2) == 0 ? ":a" : ":s")}]";
                case 4:
                    Bind(e);
                    return random.Next(2) == 0 ? $"[{LookupRef()} :r {e}]" : $"[{e} :r {LookupRef()}]";
                case 5:
                    Bind(e);
                    return $"(linked {e})";
                case 6 when values.Count > 0 || random.Next(2) == 0:
                    var k = values.Count > 0 ? Pick(values) : Number();
                    Bind(e);
                    return $"(above {k} {e})";
                default:
                    var to = random.Next(2) == 0 ? Pick(entityVars) : Pick(valueVars);
                    Bind(e, to);
                    return valueVars.Contains(to) ? $"(tagged {e} {to})" : $"(reach {e} {to})";
            }
        }
        do
        {
            clauses.Add(Pattern());
        }
        while (bound.Count(v => v != "?k") == 0);
        int extra = random.Next(0, 4);
        for (int i = 0; i < extra; i++)
        {
            var values = bound.Where(valueVars.Contains).ToList();
            bool hasEntity = bound.Any(entityVars.Contains);
            switch (random.Next(8))
            {
                case 0 when values.Count > 0:
                    clauses.Add($"[({(random.Next(2) == 0 ? "<" : ">=")} {Pick(values)} {Number()})]");
                    break;
                case 1 when bound.Count(entityVars.Contains) > 1:
                    var es = bound.Where(entityVars.Contains).ToList();
                    clauses.Add($"[(!= {es[0]} {es[1]})]");
                    break;
                case 2 when hasEntity:
                    clauses.Add($"(not [{BoundEntity()} :a {Number()}])");
                    break;
                case 3 when hasEntity:
                    var ne = BoundEntity();
                    clauses.Add($"(not-join [{ne}] [{ne} :r ?q] [?q :s {Text()}])");
                    break;
                case 4:
                    var oe = hasEntity && random.Next(2) == 0 ? BoundEntity() : Pick(entityVars);
                    clauses.Add(random.Next(2) == 0
                        ? $"(or [{oe} :a {Number()}] [{oe} :s {Text()}])"
                        : $"(or-join [{oe}] [{oe} :b ?z] (and [{oe} :r ?q] [?q :a {Number()}]))");
                    Bind(oe);
                    break;
                case 5 when bound.Contains("?k"):
                    // The second branch does not mention ?k: it passes on the input's value.
                    var je = hasEntity && random.Next(2) == 0 ? BoundEntity() : Pick(entityVars);
                    clauses.Add($"(or-join [{je} ?k] [{je} :a ?k] [{je} :s {Text()}])");
                    Bind(je);
                    break;
                case 6 when hasEntity:
                    clauses.Add($"(not [{BoundEntity()} :r {LookupRef()}])");
                    break;
                default:
                    clauses.Add(Pattern());
                    break;
            }
        }
        var (find, pulls) = RandomFind(random, bound, entityVars);
        return new GeneratedQuery($"[:find {find} :in {inSpec} :where {string.Join(" ", clauses)}]", input, pulls);
    }

    /// <summary>Variables, perhaps with <c>:with</c>; or aggregates grouped by some variables; or a pull of an entity variable.</summary>
    private static (string Find, bool Pulls) RandomFind(Random random, List<string> bound, string[] entityVars)
    {
        var vars = bound.Where(_ => random.Next(3) > 0).ToList();
        var entities = bound.Where(entityVars.Contains).ToList();
        string With(IEnumerable<string> used)
        {
            var rest = bound.Except(used).ToList();
            return rest.Count > 0 && random.Next(2) == 0 ? $" :with {rest[random.Next(rest.Count)]}" : "";
        }
        switch (random.Next(4))
        {
            case 0:
                var group = vars.Take(random.Next(3)).ToList();
                var aggregates = new List<string>();
                for (int i = random.Next(1, 3); i > 0; i--)
                {
                    var x = bound[random.Next(bound.Count)];
                    var fns = new List<string> { "count", "count-distinct", "min", "max", "min 2", "max 2", "distinct" };
                    if (x != "?t") fns.Add("sum");
                    aggregates.Add($"({fns[random.Next(fns.Count)]} {x})");
                }
                return ($"{string.Join(" ", group.Concat(aggregates))}{With(group.Concat(aggregates.Select(a => a.Split(' ')[^1].TrimEnd(')'))))}", false);
            case 1 when entities.Count > 0:
                var e = entities[random.Next(entities.Count)];
                var others = vars.Where(v => v != e).Take(random.Next(2)).ToList();
                return ($"(pull {e} [:a :s]) {string.Join(" ", others)}{With(others.Append(e))}", true);
            default:
                if (vars.Count == 0) vars.Add(bound[0]);
                return ($"{string.Join(" ", vars)}{With(vars)}", false);
        }
    }
}
