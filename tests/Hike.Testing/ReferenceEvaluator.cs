using Hike.Api;
using Hike.Edn;

namespace Hike.Testing;

/// <summary>
/// A deliberately naive Datalog evaluator, the oracle for differential tests of the query engine:
/// clauses run in the order written, every data pattern scans every datom, and one unification
/// routine binds and checks variables. It shares no code with the engine's parser or planner. It
/// covers what the query generator produces: data patterns, comparison predicates, <c>not</c>,
/// <c>not-join</c>, <c>or</c>, <c>or-join</c>, <c>and</c> and rules (recursive ones by naive fixpoint),
/// with a relation find spec.
/// </summary>
public sealed class ReferenceEvaluator
{
    private readonly List<object?[]> _datoms;
    private readonly Dictionary<string, List<(Symbol[] Head, object?[] Body)>> _rules = [];
    private readonly Dictionary<string, HashSet<EdnVector>> _ruleFacts = [];

    private ReferenceEvaluator(Database db, object? rules)
    {
        _datoms = [.. db.Datoms(Db.IndexType.Eavt).Select(d => new object?[] { d.E, d.A, d.V, d.Tx, d.Added })];
        if (rules is not null)
        {
            foreach (var rule in (EdnVector)rules)
            {
                var r = (EdnVector)rule!;
                var head = (EdnList)r[0]!;
                var name = ((Symbol)head[0]!).Name;
                if (!_rules.TryGetValue(name, out var bodies)) _rules[name] = bodies = [];
                bodies.Add(([.. head.Skip(1).Cast<Symbol>()], [.. r.Skip(1)]));
            }
            ComputeRules();
        }
    }

    /// <summary>The answer of <paramref name="query"/> (<c>[:find ?a ... :in $ % :where ...]</c> text) as a set of tuples.</summary>
    public static HashSet<EdnVector> Q(string query, Database db, object? rules = null)
    {
        var form = (EdnVector)EdnReader.Read(query)!;
        var find = new List<Symbol>();
        var where = new List<object?>();
        string section = "";
        foreach (var item in form)
        {
            if (item is Keyword k)
            {
                section = k.Name;
                continue;
            }
            if (section == "find") find.Add((Symbol)item!);
            else if (section == "where") where.Add(item);
        }
        var evaluator = new ReferenceEvaluator(db, rules);
        var bindings = evaluator.Run(where, [[]]);
        return [.. bindings.Select(b => EdnVector.Create([.. find.Select(v => b[v])]))];
    }

    private List<Dictionary<Symbol, object?>> Run(IEnumerable<object?> clauses, List<Dictionary<Symbol, object?>> bindings)
    {
        foreach (var clause in clauses) bindings = Step(clause, bindings);
        return bindings;
    }

    private List<Dictionary<Symbol, object?>> Step(object? clause, List<Dictionary<Symbol, object?>> bindings)
    {
        var result = new List<Dictionary<Symbol, object?>>();
        if (clause is EdnVector v && v[0] is EdnList call)
        {
            foreach (var b in bindings)
            {
                if (Compare(((Symbol)call[0]!).Name, Value(call[1], b), Value(call[2], b))) result.Add(b);
            }
            return result;
        }
        if (clause is EdnVector pattern)
        {
            foreach (var b in bindings)
            {
                foreach (var datom in _datoms)
                {
                    if (Unify(pattern, datom, b) is { } extended) result.Add(extended);
                }
            }
            return result;
        }
        var list = (EdnList)clause!;
        var head = ((Symbol)list[0]!).Name;
        switch (head)
        {
            case "not":
                return [.. bindings.Where(b => Run(list.Skip(1), [b]).Count == 0)];
            case "not-join":
                var notVars = ((EdnVector)list[1]!).Cast<Symbol>().ToList();
                return [.. bindings.Where(b => Run(list.Skip(2), [Only(b, notVars)]).Count == 0)];
            case "and":
                return Run(list.Skip(1), bindings);
            case "or":
            case "or-join":
                var joinVars = head == "or-join" ? ((EdnVector)list[1]!).Cast<Symbol>().ToList() : null;
                foreach (var b in bindings)
                {
                    var seen = new HashSet<string>();
                    foreach (var branch in list.Skip(head == "or-join" ? 2 : 1))
                    {
                        var start = joinVars is null ? b : Only(b, joinVars);
                        foreach (var found in Run([branch], [start]))
                        {
                            var merged = new Dictionary<Symbol, object?>(b);
                            foreach (var (k, value) in found)
                            {
                                if (joinVars is null || joinVars.Contains(k)) merged[k] = value;
                            }
                            if (seen.Add(Key(merged))) result.Add(merged);
                        }
                    }
                }
                return result;
            default:
                var args = list.Skip(1).ToList();
                foreach (var b in bindings)
                {
                    foreach (var fact in _ruleFacts[head])
                    {
                        var extended = new Dictionary<Symbol, object?>(b);
                        bool ok = true;
                        for (int i = 0; i < args.Count && ok; i++) ok = Bind(args[i], fact[i], extended);
                        if (ok) result.Add(extended);
                    }
                }
                return result;
        }
    }

    /// <summary>Naive fixpoint: every body re-run over all facts until no rule gains a fact.</summary>
    private void ComputeRules()
    {
        foreach (var name in _rules.Keys) _ruleFacts[name] = new HashSet<EdnVector>();
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (var (name, bodies) in _rules)
            {
                foreach (var (head, body) in bodies)
                {
                    foreach (var b in Run(body, [[]]))
                    {
                        if (_ruleFacts[name].Add(EdnVector.Create([.. head.Select(h => b[h])]))) changed = true;
                    }
                }
            }
        }
    }

    private static Dictionary<Symbol, object?>? Unify(EdnVector pattern, object?[] datom, Dictionary<Symbol, object?> binding)
    {
        var extended = new Dictionary<Symbol, object?>(binding);
        for (int i = 0; i < pattern.Count; i++)
        {
            if (!Bind(pattern[i], datom[i], extended)) return null;
        }
        return extended;
    }

    /// <summary>The one unification routine: a constant must equal, a bound variable must equal, a free one binds; <c>_</c> matches.</summary>
    private static bool Bind(object? term, object? value, Dictionary<Symbol, object?> binding)
    {
        if (term is Symbol { Name: "_" }) return true;
        if (term is Symbol s && s.Name.StartsWith('?'))
        {
            if (binding.TryGetValue(s, out var bound)) return ValueEquality.Instance.Equals(bound, value);
            binding[s] = value;
            return true;
        }
        return ValueEquality.Instance.Equals(term, value);
    }

    private static object? Value(object? term, Dictionary<Symbol, object?> binding) =>
        term is Symbol s && s.Name.StartsWith('?') ? binding[s] : term;

    private static bool Compare(string op, object? x, object? y) => op switch
    {
        "<" => ValueOrder.CompareValues(x, y) < 0,
        ">" => ValueOrder.CompareValues(x, y) > 0,
        "<=" => ValueOrder.CompareValues(x, y) <= 0,
        ">=" => ValueOrder.CompareValues(x, y) >= 0,
        "=" => ValueEquality.Instance.Equals(x, y),
        "!=" => !ValueEquality.Instance.Equals(x, y),
        _ => throw new NotSupportedException(op),
    };

    private static Dictionary<Symbol, object?> Only(Dictionary<Symbol, object?> b, List<Symbol> vars) =>
        b.Where(kv => vars.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);

    private static string Key(Dictionary<Symbol, object?> b) =>
        string.Join(",", b.OrderBy(kv => kv.Key.Name, StringComparer.Ordinal).Select(kv => kv.Key.Name + "=" + EdnPrinter.Print(kv.Value)));
}
