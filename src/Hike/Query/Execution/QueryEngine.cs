using Hike.Edn;
using Hike.Query.Syntax;

namespace Hike.Query.Execution;

/// <summary>
/// Runs a parsed query: binds the inputs of <c>:in</c> (sources, rules, values), runs the
/// <c>:where</c> clauses through the <see cref="ClauseRunner"/>, and shapes the answer as the find
/// spec asks (<see cref="FindProjector"/>). Stateless; each run has its own context.
/// </summary>
internal static class QueryEngine
{
    private static readonly FormCache<RuleSet> RuleCache = new(QueryParser.ParseRules);
    private static readonly FormCache<ParsedQuery> QueryCache = new(QueryParser.Parse);

    /// <summary>The parsed form of <paramref name="query"/>, cached by text and by identity.</summary>
    public static ParsedQuery Parse(object query) => QueryCache.Get(query);

    /// <summary>
    /// Runs <paramref name="query"/> under <paramref name="guard"/>, which becomes the thread's current
    /// guard meanwhile: a timeout surfaces as <c>query/timeout</c> wherever the run noticed it, even
    /// in work that only knows the guard's token (pull).
    /// </summary>
    public static object? Run(ParsedQuery query, object?[] inputs, QueryOptions options, List<PlanStep>? plan, QueryGuard guard)
    {
        using var scope = guard.Enter();
        // A nested q runs under its caller's guard; the caller's clause runs again once it returns.
        var step = guard.Step;
        try
        {
            return RunGuarded(query, inputs, options, plan);
        }
        catch (OperationCanceledException) when (guard.TimedOut)
        {
            throw guard.TimeoutError();
        }
        finally
        {
            guard.Step = step;
        }
    }

    private static object? RunGuarded(ParsedQuery query, object?[] inputs, QueryOptions options, List<PlanStep>? plan)
    {
        if (inputs.Length != query.In.Length && (query.HasIn || inputs.Length > 0))
        {
            throw Errors.QueryInputs($"Wrong number of arguments for bindings [{string.Join(" ", query.In.Select(i => i.ToString()))}], {query.In.Length} required, {inputs.Length} provided");
        }
        var sources = new Dictionary<Symbol, QuerySource>();
        var rules = RuleSet.Empty;
        var frame = new Frame();
        var scalars = new Dictionary<Symbol, object?>();
        for (int i = 0; i < inputs.Length && i < query.In.Length; i++)
        {
            var spec = query.In[i];
            var value = inputs[i];
            if (spec.Source is { } name) sources[name] = ToSource(name, value);
            else if (spec.IsRules) rules = value is null ? RuleSet.Empty : RuleCache.Get(value);
            else
            {
                if (spec.Binding is { Kind: BindingKind.Scalar, Variable: { } v }) scalars[v] = value;
                frame.Add(Bind(spec.Binding!, value));
            }
        }
        var context = new QueryContext(sources, rules, plan);
        LookupRefCheck.Run(query.Where, context, scalars);
        new ClauseRunner(context).Run(query.Where, frame, null, 0);
        return FindProjector.Project(query, frame, context, options);
    }

    private static QuerySource ToSource(Symbol name, object? value)
    {
        if (value is QuerySource source) return source;
        var items = Forms.Items(value) ?? (value is EdnSet set ? set.Items.ToArray() : null);
        if (items is null) throw Errors.QueryInputs($"Source {name} should be a database or a collection of tuples, got {Errors.Show(value)}");
        var tuples = new RowList(items.Length);
        foreach (var item in items)
        {
            tuples.Add(Forms.Items(item) ?? throw Errors.QueryInputs($"Source {name} should hold tuples, got {Errors.Show(item)}"));
        }
        return new CollectionSource(value!, tuples);
    }

    private static Relation Bind(Binding binding, object? value)
    {
        var vars = binding.Variables.ToArray();
        var columns = new Dictionary<Symbol, int>();
        for (int i = 0; i < vars.Length; i++) columns[vars[i]] = i;
        var rows = new RowList();
        BindingExpander.Expand(binding, value, new object?[vars.Length], columns, 0, rows);
        return Joins.Distinct(new Relation(vars, rows, false));
    }
}
