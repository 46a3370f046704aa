using Hike.Edn;

namespace Hike.Query.Syntax;

/// <summary>
/// Which rules call which: the strongly connected components of the call graph tell recursive
/// rules (evaluated semi-naively a component at a time, from the callers' values of the arguments
/// they bind) from the rest (evaluated inline with their callers' bindings). Immutable.
/// </summary>
internal sealed class RuleGraph
{
    private readonly Dictionary<Symbol, HashSet<Symbol>> _components = [];
    private readonly HashSet<Symbol> _recursive = [];
    private readonly HashSet<Symbol> _negatedInside = [];

    public RuleGraph(Dictionary<Symbol, Rule[]> rules)
    {
        var calls = rules.ToDictionary(kv => kv.Key, kv => kv.Value.SelectMany(r => Calls(r.Body)).Select(c => c.Name).Where(rules.ContainsKey).Distinct().ToList());
        foreach (var component in StronglyConnected(calls))
        {
            var set = component.ToHashSet();
            foreach (var name in component) _components[name] = set;
            if (component.Count > 1 || calls[component[0]].Contains(component[0])) _recursive.UnionWith(component);
            if (component.Any(name => rules[name].Any(r => Negated(r.Body).Any(c => set.Contains(c.Name))))) _negatedInside.UnionWith(component);
        }
    }

    public bool IsRecursive(Symbol rule) => _recursive.Contains(rule);

    /// <summary>
    /// True when some rule of <paramref name="rule"/>'s component calls a rule of the same component
    /// under <c>not</c>: its answers then depend on the order tuples arrive in, so it is only ever
    /// computed whole, never from a caller's values.
    /// </summary>
    public bool IsNegatedInside(Symbol rule) => _negatedInside.Contains(rule);

    /// <summary>The rules that call each other (directly or not) together with <paramref name="rule"/>.</summary>
    public HashSet<Symbol> Component(Symbol rule) => _components[rule];

    /// <summary>Every rule call in <paramref name="clauses"/>, including those nested in <c>or</c>, <c>and</c> and <c>not</c>.</summary>
    public static IEnumerable<RuleCallClause> Calls(IEnumerable<Clause> clauses)
    {
        foreach (var c in clauses)
        {
            switch (c)
            {
                case RuleCallClause call:
                    yield return call;
                    break;
                case AndClause and:
                    foreach (var x in Calls(and.Body)) yield return x;
                    break;
                case NotClause not:
                    foreach (var x in Calls(not.Body)) yield return x;
                    break;
                case OrClause or:
                    foreach (var x in or.Branches.SelectMany(Calls)) yield return x;
                    break;
            }
        }
    }

    /// <summary>The rule calls of <paramref name="clauses"/> that sit under a <c>not</c>, at any depth.</summary>
    private static IEnumerable<RuleCallClause> Negated(IEnumerable<Clause> clauses)
    {
        foreach (var c in clauses)
        {
            var inner = c switch
            {
                NotClause not => Calls(not.Body),
                AndClause and => Negated(and.Body),
                OrClause or => or.Branches.SelectMany(Negated),
                _ => [],
            };
            foreach (var x in inner) yield return x;
        }
    }

    /// <summary>Tarjan's algorithm, iteratively, so deep call chains cannot overflow the stack.</summary>
    private static List<List<Symbol>> StronglyConnected(Dictionary<Symbol, List<Symbol>> graph)
    {
        var index = new Dictionary<Symbol, int>();
        var low = new Dictionary<Symbol, int>();
        var onStack = new HashSet<Symbol>();
        var stack = new Stack<Symbol>();
        var result = new List<List<Symbol>>();
        int next = 0;
        foreach (var root in graph.Keys)
        {
            if (index.ContainsKey(root)) continue;
            var work = new Stack<(Symbol Node, int Edge)>();
            work.Push((root, 0));
            index[root] = low[root] = next++;
            stack.Push(root);
            onStack.Add(root);
            while (work.Count > 0)
            {
                var (node, edge) = work.Pop();
                var edges = graph[node];
                if (edge < edges.Count)
                {
                    work.Push((node, edge + 1));
                    var target = edges[edge];
                    if (!index.ContainsKey(target))
                    {
                        index[target] = low[target] = next++;
                        stack.Push(target);
                        onStack.Add(target);
                        work.Push((target, 0));
                    }
                    else if (onStack.Contains(target))
                    {
                        low[node] = Math.Min(low[node], index[target]);
                    }
                    continue;
                }
                if (work.Count > 0)
                {
                    var parent = work.Peek().Node;
                    low[parent] = Math.Min(low[parent], low[node]);
                }
                if (low[node] != index[node]) continue;
                var component = new List<Symbol>();
                Symbol member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);
                result.Add(component);
            }
        }
        return result;
    }
}
