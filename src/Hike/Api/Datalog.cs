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
    private static readonly Keyword TimeoutKey = Keyword.Intern("timeout");
    private static readonly Keyword MaxRowsKey = Keyword.Intern("max-rows");

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
    /// For <c>:find ?a ?b</c> an <see cref="EdnSet"/> of <see cref="EdnVector"/> tuples; an
    /// <see cref="EdnVector"/> of them, as in Datahike, when the find spec has an aggregate (one tuple
    /// per group, groups in no defined order), a <c>(pull ...)</c> (one tuple per distinct tuple of
    /// bindings, so equal pulled maps of different entities stay apart), <c>:keys</c>/<c>:strs</c>/<c>:syms</c>
    /// or <c>:with</c>, or when the call form orders; a set again when it pages without ordering.
    /// <c>:find [?x ...]</c> an <see cref="EdnVector"/>; <c>:find [?a ?b]</c> one <see cref="EdnVector"/>
    /// or null; <c>:find ?x .</c> one value or null. With <c>:keys</c>/<c>:strs</c>/<c>:syms</c>, tuples
    /// are <see cref="EdnMap"/>s.
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
        return Q(new QueryRequest(query, inputs));
    }

    /// <summary>
    /// Runs the query of <paramref name="request"/> on its inputs, as <see cref="Q(object, object[])"/>,
    /// stopping at its cancellation token, timeout or row bound (see <see cref="QueryRequest"/>).
    /// </summary>
    /// <exception cref="OperationCanceledException">The request's token was cancelled.</exception>
    /// <exception cref="HikeException">
    /// As <see cref="Q(object, object[])"/>; <c>query/timeout</c> when the query ran out of time (or its
    /// regular expressions out of their budget); <c>query/too-large</c> when a relation it builds would
    /// hold more rows than its bound.
    /// </exception>
    public static object? Q(QueryRequest request) => Run(request).Result;

    /// <summary>
    /// Runs <paramref name="query"/> as <see cref="Q(object, object[])"/> does and returns its rows as
    /// <typeparamref name="T"/>s: for <c>:find ?name ?age</c> a tuple <c>Q&lt;(string, long)&gt;</c> or a record
    /// with a constructor of two parameters, by position; for <c>:keys name age</c> (or <c>:strs</c>,
    /// <c>:syms</c>) a record or class by name (case and dashes ignored: <c>:first-name</c> fills
    /// <c>FirstName</c>); for one column, its value (<c>Q&lt;string&gt;</c>; a pulled map by name into a record);
    /// for <c>:find [?x ...]</c>, each value. Integers convert to any integral type they fit and to
    /// <see cref="double"/>; keywords to <see cref="string"/> (without the colon) or enums; entity ids are
    /// <see cref="long"/>; vectors and sets to arrays, lists and sets. O(rows) beyond the query.
    /// </summary>
    /// <exception cref="HikeException">
    /// As <see cref="Q(object, object[])"/>; <c>query/result-type</c> when a value does not fit (the
    /// message names the column and the value), or the query finds one value (use <see cref="QValue{T}(object, object[])"/>).
    /// </exception>
    public static IReadOnlyList<T> Q<T>(object query, params object?[] inputs)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(inputs);
        return Q<T>(new QueryRequest(query, inputs));
    }

    /// <summary>As <see cref="Q{T}(object, object[])"/>, under the request's cancellation token, timeout and row bound.</summary>
    public static IReadOnlyList<T> Q<T>(QueryRequest request)
    {
        var (result, parsed) = Run(request);
        return QueryResults.Rows<T>(result, parsed);
    }

    /// <summary>
    /// Runs a query that finds one value (<c>:find ?x .</c>) or one tuple (<c>:find [?a ?b]</c>) and returns
    /// it as a <typeparamref name="T"/>, converted as <see cref="Q{T}(object, object[])"/> converts a row;
    /// null when the query finds nothing (ask for a nullable type, <c>QValue&lt;long?&gt;</c>, where
    /// nothing is a possible answer: a non-nullable value type fails with <c>query/result-type</c> then).
    /// </summary>
    /// <exception cref="HikeException">
    /// As <see cref="Q(object, object[])"/>; <c>query/result-type</c> when the value does not fit, or the
    /// query finds rows (use <see cref="Q{T}(object, object[])"/>).
    /// </exception>
    public static T? QValue<T>(object query, params object?[] inputs)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(inputs);
        return QValue<T>(new QueryRequest(query, inputs));
    }

    /// <summary>As <see cref="QValue{T}(object, object[])"/>, under the request's cancellation token, timeout and row bound.</summary>
    public static T? QValue<T>(QueryRequest request)
    {
        var (result, parsed) = Run(request);
        return QueryResults.Value<T>(result, parsed);
    }

    /// <summary>Runs the request's query; its result with the parsed query, whose find spec tells the result's shape.</summary>
    private static (object? Result, ParsedQuery Parsed) Run(QueryRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (parsed, args, options, limits) = Prepare(request);
        using var guard = new QueryGuard(limits, request.CancellationToken);
        return (QueryEngine.Run(parsed, args, options, null, guard), parsed);
    }

    /// <summary>
    /// Runs <paramref name="query"/> as <see cref="Q(object, object[])"/> does and describes the plan it ran: one line per
    /// clause in execution order, with how it ran (index, lookup, merge or hash join), the rows the
    /// planner estimated and the rows it produced; nested lines for <c>or</c>, <c>not</c> and rules.
    /// </summary>
    public static string Explain(object query, params object?[] inputs)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(inputs);
        return Explain(new QueryRequest(query, inputs));
    }

    /// <summary>As <see cref="Explain(object, object[])"/>, under the request's cancellation token, timeout and row bound.</summary>
    public static string Explain(QueryRequest request)
    {
        var stats = QueryStats(request);
        return string.Join(Environment.NewLine, stats.Plan.Append($"=> {stats.Count} result(s)"));
    }

    /// <summary>
    /// Runs <paramref name="query"/> as <see cref="Q(object, object[])"/> does and returns its result with the plan it ran
    /// (the lines of <see cref="Explain(object, object[])"/>), the number of results and the time it took — Datahike's
    /// <c>query-stats</c>.
    /// </summary>
    public static QueryStats QueryStats(object query, params object?[] inputs)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(inputs);
        return QueryStats(new QueryRequest(query, inputs));
    }

    /// <summary>As <see cref="QueryStats(object, object[])"/>, under the request's cancellation token, timeout and row bound.</summary>
    public static QueryStats QueryStats(QueryRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (parsed, args, options, limits) = Prepare(request);
        var plan = new List<PlanStep>();
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var guard = new QueryGuard(limits, request.CancellationToken);
        var result = QueryEngine.Run(parsed, args, options, plan, guard);
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

    private static (ParsedQuery, object?[], QueryOptions, QueryLimits) Prepare(QueryRequest request)
    {
        object query = request.Query;
        var inputs = request.Inputs as object?[] ?? [.. request.Inputs];
        var options = QueryOptions.None;
        var form = ReadFirst(query);
        if (Maps.ToEntries(form) is { } entries && entries.Any(e => IsCallKey(e.Key)))
        {
            // Datahike's call form: {:query q :args [...] :offset n :limit n :timeout ms}, or the options beside
            // :find/:in/:where in one map.
            object? inner = null;
            object? args = null;
            long offset = 0;
            long? limit = null;
            object? orderBy = null;
            TimeSpan? timeout = null;
            long? maxRows = null;
            var rest = new List<KeyValuePair<object?, object?>>();
            foreach (var (k, v) in entries)
            {
                if (k == (object)QueryKey) inner = v;
                else if (k == (object)ArgsKey) args = v;
                else if (k == (object)OffsetKey) offset = v is null ? 0 : v is long o ? o : throw Errors.Parser(ErrorCodes.ParserQuery, $":offset should be a number, got {Errors.Show(v)}");
                else if (k == (object)LimitKey) limit = v is null ? null : v is long l ? l : throw Errors.Parser(ErrorCodes.ParserQuery, $":limit should be a number, got {Errors.Show(v)}");
                else if (k == (object)OrderByKey) orderBy = v;
                else if (k == (object)TimeoutKey) timeout = ParseTimeout(v);
                else if (k == (object)MaxRowsKey) maxRows = ParseMaxRows(v);
                else rest.Add(new(k, v));
            }
            if (inner is not null && rest.Count > 0) throw Errors.Parser(ErrorCodes.ParserQuery, $"Unknown key {Errors.Show(rest[0].Key)} in the query call form");
            query = inner ?? EdnMap.Create(rest);
            form = ReadFirst(query);
            if (args is not null)
            {
                if (inputs.Length > 0) throw Errors.QueryInputs("Inputs are given in :args of the call form, not as extra arguments");
                inputs = Forms.Items(args) ?? throw Errors.QueryInputs($":args should be a vector, got {Errors.Show(args)}");
            }
            options = new QueryOptions(offset, limit, QueryOptions.ParseOrderBy(orderBy)) { Timeout = timeout, MaxRows = maxRows };
        }
        if (TakeLimits(form, ref options) is { } withoutLimits) query = withoutLimits;
        var parsed = QueryEngine.Parse(query);
        var converted = new object?[inputs.Length];
        var defaults = new List<QueryLimits>();
        for (int i = 0; i < inputs.Length; i++)
        {
            bool source = i < parsed.In.Length && parsed.In[i].Source is not null;
            if (inputs[i] is Database db) defaults.Add(db.QueryLimits);
            converted[i] = source && inputs[i] is Database sourceDb ? new DbSource(sourceDb.View, sourceDb) : inputs[i];
        }
        var limits = QueryLimits.Combine(defaults, Smaller(options.Timeout, request.Timeout), Smaller(options.MaxRows, request.MaxRows));
        return (parsed, converted, options, limits);
    }

    /// <summary>
    /// The query as a form when it is text that must be read before parsing: a map (perhaps the call
    /// form), or a vector holding limits; anything else as it is, for the parse cache to key on.
    /// </summary>
    private static object ReadFirst(object query)
    {
        if (query is not string text) return query;
        var trimmed = text.AsSpan().TrimStart();
        bool read = trimmed.StartsWith('{')
            || trimmed.StartsWith('[') && (trimmed.Contains(":timeout", StringComparison.Ordinal) || trimmed.Contains(":max-rows", StringComparison.Ordinal));
        return read ? EdnReader.Read(text)! : text;
    }

    /// <summary>
    /// The query without the <c>:timeout</c> and <c>:max-rows</c> written inside it (Datahike reads
    /// <c>:timeout</c> inside a map or vector query too), adding them to <paramref name="options"/>; null when it has none.
    /// </summary>
    private static object? TakeLimits(object form, ref QueryOptions options)
    {
        TimeSpan? timeout = null;
        long? maxRows = null;
        object stripped;
        if (Maps.ToEntries(form) is { } entries)
        {
            if (!entries.Any(e => IsLimitKey(e.Key))) return null;
            var kept = new List<KeyValuePair<object?, object?>>(entries.Count);
            foreach (var (k, v) in entries)
            {
                if (k == (object)TimeoutKey) timeout = ParseTimeout(v);
                else if (k == (object)MaxRowsKey) maxRows = ParseMaxRows(v);
                else kept.Add(new(k, v));
            }
            stripped = EdnMap.Create(kept);
        }
        else if (form is not string && Forms.Items(form) is { } items && items.Any(IsLimitKey))
        {
            var kept = new List<object?>(items.Length);
            for (int i = 0; i < items.Length; i++)
            {
                if (!IsLimitKey(items[i]) || i + 1 == items.Length) kept.Add(items[i]);
                else if (items[i] == (object)TimeoutKey) timeout = ParseTimeout(items[++i]);
                else maxRows = ParseMaxRows(items[++i]);
            }
            stripped = EdnVector.From(kept);
        }
        else
        {
            return null;
        }
        options = options with { Timeout = Smaller(options.Timeout, timeout), MaxRows = Smaller(options.MaxRows, maxRows) };
        return stripped;
    }

    private static TimeSpan? ParseTimeout(object? value) => value switch
    {
        null => null,
        long ms when ms > 0 => TimeSpan.FromMilliseconds(ms),
        _ => throw Errors.Parser(ErrorCodes.ParserQuery, $":timeout should be a positive number of milliseconds, got {Errors.Show(value)}"),
    };

    // DATAHIKE: :max-rows is Hike's; Datahike puts no bound on a query's intermediate results.
    private static long? ParseMaxRows(object? value) => value switch
    {
        null => null,
        long n when n > 0 => n,
        _ => throw Errors.Parser(ErrorCodes.ParserQuery, $":max-rows should be a positive number of rows, got {Errors.Show(value)}"),
    };

    private static T? Smaller<T>(T? a, T? b)
        where T : struct, IComparable<T> => a is null ? b : b is null ? a : a.Value.CompareTo(b.Value) <= 0 ? a : b;

    private static bool IsLimitKey(object? key) => key == (object)TimeoutKey || key == (object)MaxRowsKey;

    private static bool IsCallKey(object? key) =>
        key == (object)QueryKey || key == (object)ArgsKey || key == (object)OffsetKey || key == (object)LimitKey || key == (object)OrderByKey || IsLimitKey(key);
}
