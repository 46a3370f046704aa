using Hike.Edn;
using Hike.Query;
using Hike.Query.Execution;
using Hike.Query.Functions;
using Hike.Query.Syntax;

namespace Hike.Api;

/// <summary>
/// Datalog queries in Datahike's dialect (<c>q</c>): <c>:find</c> with relation, collection, tuple
/// and scalar specs, pull and aggregates, <c>:keys</c>/<c>:strs</c>/<c>:syms</c>, <c>:with</c>;
/// <c>:in</c> with database and collection sources, rules and scalar, tuple, collection and
/// relation bindings; <c>:where</c> with data patterns, predicates, function bindings,
/// <c>and</c>/<c>or</c>/<c>or-join</c>/<c>not</c>/<c>not-join</c> and (recursive) rules. A cost-based
/// planner chooses the clause order and the index for each pattern from index counts, so the
/// written order does not matter. Thread-safe.
/// </summary>
public static class Datalog
{
    private static readonly Keyword QueryKey = Keyword.Intern("query");
    private static readonly Keyword ArgsKey = Keyword.Intern("args");
    private static readonly Keyword OffsetKey = Keyword.Intern("offset");
    private static readonly Keyword LimitKey = Keyword.Intern("limit");
    private static readonly Keyword OrderByKey = Keyword.Intern("order-by");

    /// <summary>
    /// Runs <paramref name="query"/> with <paramref name="inputs"/> bound, in order, to its <c>:in</c>
    /// (<c>$</c> when it has none), as Datahike's <c>q</c>.
    /// </summary>
    /// <param name="query">
    /// EDN text, a vector <c>[:find ... :where ...]</c>, a map <c>{:find [...] :where [...]}</c>, or
    /// the call form <c>{:query q :args [...] :offset n :limit n :order-by [?x :desc]}</c> (then
    /// <paramref name="inputs"/> must be empty). Parsed queries are cached by text and by identity.
    /// </param>
    /// <param name="inputs">
    /// A <see cref="Database"/> (any view: current, history, as-of, since, filtered) or a collection of
    /// tuples for each source, the rules (EDN text or forms) for <c>%</c>, and values for bindings;
    /// C# delegates may be passed for function variables.
    /// </param>
    /// <returns>
    /// For <c>:find ?a ?b</c> an <see cref="EdnSet"/> of <see cref="EdnVector"/> tuples (an
    /// <see cref="EdnVector"/> of them, in order, with <c>:with</c> and no aggregate, or when the
    /// call form orders or pages); <c>:find [?x ...]</c> an <see cref="EdnVector"/>; <c>:find [?a ?b]</c>
    /// one <see cref="EdnVector"/> or null; <c>:find ?x .</c> one value or null. With
    /// <c>:keys</c>/<c>:strs</c>/<c>:syms</c>, tuples are <see cref="EdnMap"/>s.
    /// </returns>
    /// <exception cref="HikeException">
    /// <c>parser/query</c>, <c>parser/find</c>, <c>parser/in</c>, <c>parser/where</c> or
    /// <c>parser/rules</c> for a malformed query; <c>query/inputs</c> for inputs that do not match
    /// <c>:in</c>; <c>query/where</c> for unbound variables, unknown functions or rules and failing functions.
    /// </exception>
    public static object? Q(object query, params object?[] inputs)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(inputs);
        var (parsed, args, options) = Prepare(query, inputs);
        return QueryEngine.Run(parsed, args, options, null);
    }

    /// <summary>
    /// Runs <paramref name="query"/> as <see cref="Q"/> does and describes the plan it ran: one line per
    /// clause in execution order, with how it ran (index, lookup, merge or hash join), the rows the
    /// planner estimated and the rows it produced; nested lines for <c>or</c>, <c>not</c> and rules.
    /// </summary>
    public static string Explain(object query, params object?[] inputs)
    {
        var stats = QueryStats(query, inputs);
        return string.Join(Environment.NewLine, stats.Plan.Append($"=> {stats.Count} result(s)"));
    }

    /// <summary>
    /// Runs <paramref name="query"/> as <see cref="Q"/> does and returns its result with the plan it ran
    /// (the lines of <see cref="Explain"/>), the number of results and the time it took — Datahike's
    /// <c>query-stats</c>.
    /// </summary>
    public static QueryStats QueryStats(object query, params object?[] inputs)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(inputs);
        var (parsed, args, options) = Prepare(query, inputs);
        var plan = new List<PlanStep>();
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = QueryEngine.Run(parsed, args, options, plan);
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        int count = result switch
        {
            null => 0,
            System.Collections.ICollection c => c.Count,
            EdnSet s => s.Count,
            EdnSequence v when parsed.Shape is FindShape.Relation or FindShape.Collection => v.Count,
            _ => 1,
        };
        return new QueryStats(result, [.. plan.Select(p => p.ToString())], count, elapsed);
    }

    /// <summary>
    /// Registers <paramref name="function"/> under <paramref name="name"/> (e.g. <c>"my/score"</c>) for
    /// predicates and function clauses: <c>[(my/score ?x) ?s]</c>. Arguments arrive as Hike values
    /// (integers as <see cref="long"/>; converted when the delegate declares <c>int</c> or <c>double</c>).
    /// Built-in names cannot be replaced. Thread-safe; applies to every query in the process.
    /// </summary>
    public static void RegisterFunction(string name, Delegate function)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(function);
        BuiltIns.Register(Symbol.Intern(name), FunctionAdapter.Adapt(function));
    }

    /// <summary>
    /// Registers an aggregate for <c>:find</c>, e.g. <c>(my/top ?x)</c>: it receives the values of the
    /// aggregated variable in one group (duplicates kept) and returns one value.
    /// </summary>
    public static void RegisterAggregate(string name, Func<IReadOnlyList<object?>, object?> aggregate)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(aggregate);
        Aggregates.Register(Symbol.Intern(name), (_, values) => aggregate(values));
    }

    private static (ParsedQuery, object?[], QueryOptions) Prepare(object query, object?[] inputs)
    {
        var options = QueryOptions.None;
        var form = query is string text && text.TrimStart().StartsWith('{') ? EdnReader.Read(text)! : query;
        if (Maps.ToEntries(form) is { } entries && entries.Any(e => IsCallKey(e.Key)))
        {
            // Datahike's call form: {:query q :args [...] :offset n :limit n}, or the options beside
            // :find/:in/:where in one map.
            object? inner = null;
            object? args = null;
            long offset = 0;
            long? limit = null;
            object? orderBy = null;
            var rest = new List<KeyValuePair<object?, object?>>();
            foreach (var (k, v) in entries)
            {
                if (k == (object)QueryKey) inner = v;
                else if (k == (object)ArgsKey) args = v;
                else if (k == (object)OffsetKey) offset = v is null ? 0 : v is long o ? o : throw Errors.Parser("query", $":offset should be a number, got {Errors.Show(v)}");
                else if (k == (object)LimitKey) limit = v is null ? null : v is long l ? l : throw Errors.Parser("query", $":limit should be a number, got {Errors.Show(v)}");
                else if (k == (object)OrderByKey) orderBy = v;
                else rest.Add(new(k, v));
            }
            if (inner is not null && rest.Count > 0) throw Errors.Parser("query", $"Unknown key {Errors.Show(rest[0].Key)} in the query call form");
            query = inner ?? EdnMap.Create(rest);
            if (args is not null)
            {
                if (inputs.Length > 0) throw Errors.QueryInputs("Inputs are given in :args of the call form, not as extra arguments");
                inputs = Forms.Items(args) ?? throw Errors.QueryInputs($":args should be a vector, got {Errors.Show(args)}");
            }
            options = new QueryOptions(offset, limit, QueryOptions.ParseOrderBy(orderBy));
        }
        var parsed = QueryEngine.Parse(query);
        var converted = new object?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            bool source = i < parsed.In.Length && parsed.In[i].Source is not null;
            converted[i] = source && inputs[i] is Database db ? new DbSource(db.View, db) : inputs[i];
        }
        return (parsed, converted, options);
    }

    private static bool IsCallKey(object? key) =>
        key == (object)QueryKey || key == (object)ArgsKey || key == (object)OffsetKey || key == (object)LimitKey || key == (object)OrderByKey;
}
