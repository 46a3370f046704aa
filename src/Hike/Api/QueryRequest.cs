namespace Hike.Api;

/// <summary>
/// A query, its inputs and what bounds its run, for <see cref="Datalog.Q(QueryRequest)"/>,
/// <see cref="Datalog.QueryStats(QueryRequest)"/>, <see cref="Datalog.Explain(QueryRequest)"/> and
/// <see cref="Database.Q(QueryRequest)"/>: e.g.
/// <c>Datalog.Q(new QueryRequest(query, db) { Timeout = TimeSpan.FromSeconds(2), CancellationToken = token })</c>.
/// Immutable.
/// </summary>
/// <remarks>
/// A query stops at the first of: its <see cref="CancellationToken"/> (then it throws
/// <see cref="OperationCanceledException"/>, as .NET code expects of a cancelled call), its timeout
/// (<see cref="HikeException"/> <c>query/timeout</c>), or a relation growing past its row bound
/// (<c>query/too-large</c>, naming the clause). It notices within about a millisecond of work, except
/// inside a function it calls: an application function is not interrupted, a regular expression is
/// (<c>re-find</c> and the like share one time budget per query). The timeout and row bound given
/// here, or as <c>:timeout</c> (milliseconds) and <c>:max-rows</c> in Datahike's call form
/// <c>{:query q :args [...] :timeout ms}</c> (the smaller of the two when both are given), replace the
/// defaults of the databases queried (<see cref="DatabaseConfig.QueryTimeout"/>,
/// <see cref="DatabaseConfig.QueryMaxRows"/>); with several databases the tightest default applies.
/// </remarks>
public sealed class QueryRequest
{
    private readonly TimeSpan? _timeout;
    private readonly long? _maxRows;

    /// <summary>A request to run <paramref name="query"/> (as <see cref="Datalog.Q(object, object[])"/> takes it) on <paramref name="inputs"/>.</summary>
    public QueryRequest(object query, params object?[] inputs)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(inputs);
        Query = query;
        Inputs = inputs;
    }

    /// <summary>The query: EDN text, a vector or map form, or Datahike's call form.</summary>
    public object Query { get; }

    /// <summary>The inputs, in the order of the query's <c>:in</c>.</summary>
    public IReadOnlyList<object?> Inputs { get; }

    /// <summary>How long the query may run, from when it starts; null for the databases' default.</summary>
    public TimeSpan? Timeout
    {
        get => _timeout;
        init => _timeout = Hike.Query.QueryLimits.Positive(value);
    }

    /// <summary>The most rows any relation the query builds may hold; null for the databases' default.</summary>
    public long? MaxRows
    {
        get => _maxRows;
        init => _maxRows = Hike.Query.QueryLimits.Positive(value);
    }

    /// <summary>Stops the query with <see cref="OperationCanceledException"/> when cancelled.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>This request with <paramref name="first"/> before its inputs.</summary>
    internal QueryRequest Prepend(object first) => new(Query, [first, .. Inputs])
    {
        Timeout = Timeout,
        MaxRows = MaxRows,
        CancellationToken = CancellationToken,
    };
}
