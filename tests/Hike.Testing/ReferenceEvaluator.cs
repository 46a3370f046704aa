using Hike.Api;
using Hike.Edn;

namespace Hike.Testing;

/// <summary>
/// A deliberately naive Datalog evaluator, the oracle for differential tests of the query engine:
/// clauses run in the order written, every data pattern scans every datom, and one unification
/// routine binds and checks variables. It shares no code with the engine's parser, planner or
/// projection. It covers what the query generator produces: data patterns (with lookup refs),
/// comparison predicates, <c>not</c>, <c>not-join</c>, <c>or</c>, <c>or-join</c>, <c>and</c>, rules,
/// a scalar or collection input after <c>$ %</c>, and a find spec of variables, aggregates and
/// <c>(pull ?e [attrs...])</c> with <c>:with</c>. It follows Datahike's semantics, and Hike's where
/// Hike deliberately differs:
/// <list type="bullet">
/// <item>A rule call runs the rule's bodies from the caller's values for its bound arguments
/// (recursive rules, which the generator never calls with a required group, by naive fixpoint).
/// A required group <c>(rule [?x] ?y)</c> therefore binds <c>?x</c> to the caller's value:
/// Datomic's semantics, which Hike chose; Datahike renames the group to a fresh variable.</item>
/// <item>An <c>or-join</c> branch starts from the bound join variables, so one that does not mention
/// a join variable passes on the value bound outside.</item>
/// <item>Every lookup ref written in a pattern of the query, of its <c>not</c>/<c>or</c>/<c>and</c>
/// bodies and of the rules it calls must name an entity of the database, else the whole query fails
/// with <see cref="MissingEntityException"/> (Datahike's "Nothing found for entity id"). A vector
/// constant in the entity, value or transaction position of a pattern is read as a lookup ref.</item>
/// <item>A relation with an aggregate, a pull or <c>:with</c> is a vector, one element per group or
/// per distinct tuple of the find and <c>:with</c> variables; otherwise a set.</item>
/// </list>
/// </summary>
public sealed class ReferenceEvaluator
{
    private readonly List<object?[]> _datoms;
    private readonly Dictionary<string, List<(Symbol[] Head, object?[] Body)>> _rules = [];
    private readonly HashSet<string> _recursive = [];
    private Dictionary<string, HashSet<EdnVector>>? _recursiveFacts;

    private ReferenceEvaluator(Database db, object? rules)
    {
        _datoms = [.. db.Datoms(Db.IndexType.Eavt).Select(d => new object?[] { d.E, d.A, d.V, d.Tx, d.Added })];
        if (rules is null) return;
        foreach (var rule in (EdnVector)rules)
        {
            var r = (EdnVector)rule!;
            var head = (EdnList)r[0]!;
            var name = ((Symbol)head[0]!).Name;
            // A required group [?x] is flattened: it binds as any head variable, from the caller.
            var vars = head.Skip(1).SelectMany(h => h is EdnVector group ? group.Cast<Symbol>() : [(Symbol)h!]).ToArray();
            if (!_rules.TryGetValue(name, out var bodies)) _rules[name] = bodies = [];
            bodies.Add((vars, [.. r.Skip(1)]));
        }
        foreach (var name in _rules.Keys)
        {
            if (Reaches(name, name, [])) _recursive.Add(name);
        }
    }

    /// <summary>Thrown for a query whose lookup ref names no entity of the database.</summary>
    public sealed class MissingEntityException(object lookupRef) : Exception($"Nothing found for entity id {EdnPrinter.Print(lookupRef)}");

    /// <summary>
    /// The answer of <paramref name="query"/> (<c>[:find ... :with ... :in $ % input? :where ...]</c> text)
    /// with <paramref name="input"/> bound to the input after <c>%</c>, if the query has one: an
    /// <see cref="EdnSet"/> of tuples, or an <see cref="EdnVector"/> of them for aggregates, pull and <c>:with</c>.
    /// </summary>
    /// <exception cref="MissingEntityException">A lookup ref of the query names no entity.</exception>
    public static object Q(string query, Database db, object? rules = null, object? input = null)
    {
        var form = (EdnVector)EdnReader.Read(query)!;
        var sections = new Dictionary<string, List<object?>> { ["find"] = [], ["with"] = [], ["in"] = [], ["where"] = [] };
        string section = "";
        foreach (var item in form)
        {
            if (item is Keyword k) section = k.Name;
            else sections[section].Add(item);
        }
        var evaluator = new ReferenceEvaluator(db, rules);
        evaluator.CheckLookupRefs(sections["where"], []);
        var start = new List<Dictionary<Symbol, object?>>();
        switch (sections["in"].Skip(2).FirstOrDefault())
        {
            case Symbol scalar:
                start.Add(new() { [scalar] = input });
                break;
            case EdnVector { Count: 2 } collection:
                foreach (var x in ((EdnVector)input!).Distinct(ValueEquality.Instance)) start.Add(new() { [(Symbol)collection[0]!] = x });
                break;
            default:
                start.Add([]);
                break;
        }
        var bindings = evaluator.Run(sections["where"], start);
        return evaluator.Project(sections["find"], [.. sections["with"].Cast<Symbol>()], bindings);
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
                return CallRule(head, [.. list.Skip(1)], bindings);
        }
    }

    /// <summary>Each binding extended by the rule's answers for its arguments: from the naive fixpoint for a recursive rule, else by running its bodies from the caller's values.</summary>
    private List<Dictionary<Symbol, object?>> CallRule(string name, List<object?> args, List<Dictionary<Symbol, object?>> bindings)
    {
        var result = new List<Dictionary<Symbol, object?>>();
        foreach (var b in bindings)
        {
            var seen = new HashSet<string>();
            foreach (var fact in Facts(name, args, b))
            {
                var extended = new Dictionary<Symbol, object?>(b);
                bool ok = true;
                for (int i = 0; i < args.Count && ok; i++) ok = Bind(args[i], fact[i], extended);
                if (ok && seen.Add(Key(extended))) result.Add(extended);
            }
        }
        return result;
    }

    private IEnumerable<EdnVector> Facts(string name, List<object?> args, Dictionary<Symbol, object?> caller)
    {
        if (_recursive.Contains(name)) return RecursiveFacts()[name];
        var facts = new List<EdnVector>();
        foreach (var (head, body) in _rules[name])
        {
            var start = new Dictionary<Symbol, object?>();
            for (int i = 0; i < args.Count; i++)
            {
                if (args[i] is Symbol s && s.Name.StartsWith('?'))
                {
                    if (caller.TryGetValue(s, out var value)) start[head[i]] = value;
                }
                else if (args[i] is not Symbol { Name: "_" })
                {
                    start[head[i]] = args[i];
                }
            }
            foreach (var b in Run(body, [start])) facts.Add(EdnVector.Create([.. head.Select(h => b[h])]));
        }
        return facts;
    }

    /// <summary>Naive fixpoint of every recursive rule: each body re-run over all facts until none gains a fact.</summary>
    private Dictionary<string, HashSet<EdnVector>> RecursiveFacts()
    {
        if (_recursiveFacts is { } known) return known;
        var facts = _recursive.ToDictionary(name => name, _ => new HashSet<EdnVector>());
        _recursiveFacts = facts;
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (var name in _recursive)
            {
                foreach (var (head, body) in _rules[name])
                {
                    foreach (var b in Run(body, [[]]))
                    {
                        if (facts[name].Add(EdnVector.Create([.. head.Select(h => b[h])]))) changed = true;
                    }
                }
            }
        }
        return facts;
    }

    private bool Reaches(string from, string target, HashSet<string> visited)
    {
        foreach (var (_, body) in _rules[from])
        {
            foreach (var called in CalledRules(body))
            {
                if (called == target) return true;
                if (visited.Add(called) && Reaches(called, target, visited)) return true;
            }
        }
        return false;
    }

    private IEnumerable<string> CalledRules(IEnumerable<object?> clauses)
    {
        foreach (var clause in clauses)
        {
            if (clause is not EdnList list) continue;
            var head = ((Symbol)list[0]!).Name;
            if (_rules.ContainsKey(head)) yield return head;
            else
            {
                foreach (var inner in CalledRules(list.Skip(1))) yield return inner;
            }
        }
    }

    /// <summary>Resolves every lookup ref written in <paramref name="clauses"/> and in the rules they call, before anything runs.</summary>
    private void CheckLookupRefs(IEnumerable<object?> clauses, HashSet<string> visitedRules)
    {
        foreach (var clause in clauses)
        {
            switch (clause)
            {
                case EdnVector v when v[0] is EdnList:
                    break;
                case EdnVector pattern:
                    foreach (int i in new[] { 0, 2, 3 })
                    {
                        if (i < pattern.Count && pattern[i] is EdnVector lookupRef) _ = Resolve(lookupRef);
                    }
                    break;
                case EdnList list:
                    var head = ((Symbol)list[0]!).Name;
                    if (_rules.TryGetValue(head, out var bodies))
                    {
                        if (!visitedRules.Add(head)) break;
                        foreach (var (_, body) in bodies) CheckLookupRefs(body, visitedRules);
                    }
                    else
                    {
                        // The variable vector of not-join and or-join reads as a pattern without lookup refs.
                        CheckLookupRefs(list.Skip(1), visitedRules);
                    }
                    break;
            }
        }
    }

    private long Resolve(EdnVector lookupRef)
    {
        foreach (var d in _datoms)
        {
            if (Equals(d[1], lookupRef[0]) && ValueEquality.Instance.Equals(d[2], lookupRef[1]) && d[4] is true) return (long)d[0]!;
        }
        throw new MissingEntityException(lookupRef);
    }

    private Dictionary<Symbol, object?>? Unify(EdnVector pattern, object?[] datom, Dictionary<Symbol, object?> binding)
    {
        var extended = new Dictionary<Symbol, object?>(binding);
        for (int i = 0; i < pattern.Count; i++)
        {
            var term = i != 1 && pattern[i] is EdnVector lookupRef ? Resolve(lookupRef) : pattern[i];
            if (!Bind(term, datom[i], extended)) return null;
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

    /// <summary>
    /// The distinct tuples of the find and <c>:with</c> variables, grouped by the find elements that are
    /// not aggregates when there are aggregates, then pulled.
    /// </summary>
    private object Project(List<object?> find, Symbol[] with, List<Dictionary<Symbol, object?>> bindings)
    {
        var elements = find.Select(f => f is EdnList l
            ? (Var: (Symbol)(((Symbol)l[0]!).Name == "pull" ? l[1] : l[^1])!, Call: l)
            : (Var: (Symbol)f!, Call: (EdnList?)null)).ToArray();
        var needed = elements.Select(e => e.Var).Concat(with).Distinct().ToArray();
        var seen = new HashSet<string>();
        var tuples = new List<Dictionary<Symbol, object?>>();
        foreach (var b in bindings)
        {
            var tuple = needed.ToDictionary(v => v, v => b[v]);
            if (seen.Add(Key(tuple))) tuples.Add(tuple);
        }
        bool aggregated = elements.Any(e => e.Call is { } c && ((Symbol)c[0]!).Name != "pull");
        var rows = new List<object?[]>();
        if (!aggregated)
        {
            rows.AddRange(tuples.Select(t => elements.Select(e => t[e.Var]).ToArray()));
        }
        else
        {
            var groups = new Dictionary<string, List<Dictionary<Symbol, object?>>>();
            foreach (var t in tuples)
            {
                var key = string.Join(" ", elements.Where(e => !IsAggregate(e.Call)).Select(e => EdnPrinter.Print(t[e.Var])));
                if (!groups.TryGetValue(key, out var members)) groups[key] = members = [];
                members.Add(t);
            }
            foreach (var members in groups.Values)
            {
                rows.Add([.. elements.Select(e => IsAggregate(e.Call) ? Aggregate(e.Call!, members.Select(m => m[e.Var]).ToList()) : members[0][e.Var])]);
            }
        }
        for (int i = 0; i < elements.Length; i++)
        {
            if (elements[i].Call is not { } c || ((Symbol)c[0]!).Name != "pull") continue;
            foreach (var row in rows) row[i] = Pull(row[i], (EdnVector)c[2]!);
        }
        var items = rows.Select(r => (object?)EdnVector.Create(r));
        return aggregated || with.Length > 0 || elements.Any(e => e.Call is not null) ? EdnVector.Create([.. items]) : EdnSet.Create(items);
    }

    private static bool IsAggregate(EdnList? call) => call is not null && ((Symbol)call[0]!).Name != "pull";

    private static object? Aggregate(EdnList call, List<object?> values)
    {
        var sorted = values.OrderBy(x => x, Comparer<object?>.Create(ValueOrder.CompareValues)).ToList();
        int n = call.Count == 3 ? (int)(long)call[1]! : 0;
        return ((Symbol)call[0]!).Name switch
        {
            "count" => (long)values.Count,
            "count-distinct" => (long)values.Distinct(ValueEquality.Instance).Count(),
            "sum" => values.Sum(x => (long)x!),
            "min" when call.Count == 3 => EdnVector.Create([.. sorted.Take(n)]),
            "max" when call.Count == 3 => EdnVector.Create([.. sorted.TakeLast(n)]),
            "min" => sorted[0],
            "max" => sorted[^1],
            "distinct" => EdnSet.Create(values),
            var other => throw new NotSupportedException(other),
        };
    }

    /// <summary>The entity's values of the (cardinality one) attributes, or null when it has none of them.</summary>
    private EdnMap? Pull(object? entity, EdnVector attributes)
    {
        var kv = new List<object?>();
        foreach (var attribute in attributes)
        {
            var datom = _datoms.FirstOrDefault(d => Equals(d[0], entity) && Equals(d[1], attribute) && d[4] is true);
            if (datom is not null) kv.AddRange([attribute, datom[2]]);
        }
        return kv.Count == 0 ? null : EdnMap.Of([.. kv]);
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
