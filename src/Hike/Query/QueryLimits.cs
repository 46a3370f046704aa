namespace Hike.Query;

/// <summary>
/// What bounds one run of a query: how long it may take, how many rows any relation it builds may
/// hold, and how long its regular expressions may run in all. Immutable.
/// </summary>
internal sealed record QueryLimits(TimeSpan? Timeout, int MaxRows)
{
    /// <summary>Ten million rows of a few columns take about a gigabyte: the most a relation may hold unless configured otherwise.</summary>
    public const long DefaultMaxRows = 10_000_000;

    /// <summary>A query's limits when nobody configured any: no timeout, <see cref="DefaultMaxRows"/>.</summary>
    public static readonly QueryLimits Default = new(null, (int)DefaultMaxRows);

    /// <summary>
    /// The time all regular expression matching of one query may take together, when the query has no
    /// timeout (with one, matching stops at the query's deadline instead). Five seconds, the most one
    /// match could take before the budget was per query.
    /// </summary>
    public TimeSpan RegexBudget { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The limits of a query given <paramref name="defaults"/> (those of the databases it reads) and what
    /// the query itself asks for: its own timeout and row bound win, else the tightest default applies.
    /// </summary>
    public static QueryLimits Combine(IEnumerable<QueryLimits> defaults, TimeSpan? timeout, long? maxRows)
    {
        TimeSpan? defaultTimeout = null;
        long defaultRows = long.MaxValue;
        bool any = false;
        foreach (var d in defaults)
        {
            any = true;
            if (d.Timeout is { } t && (defaultTimeout is null || t < defaultTimeout)) defaultTimeout = t;
            defaultRows = Math.Min(defaultRows, d.MaxRows);
        }
        long rows = maxRows ?? (any ? defaultRows : DefaultMaxRows);
        return new QueryLimits(timeout ?? defaultTimeout, (int)Math.Min(rows, int.MaxValue));
    }

    /// <summary><paramref name="timeout"/>, when it is positive (or null); a caller's mistake otherwise.</summary>
    public static TimeSpan? Positive(TimeSpan? timeout) =>
        timeout is { } t && t <= TimeSpan.Zero ? throw new ArgumentOutOfRangeException(nameof(timeout), t, "A query timeout must be positive.") : timeout;

    /// <summary><paramref name="maxRows"/>, when it is positive (or null); a caller's mistake otherwise.</summary>
    public static long? Positive(long? maxRows) =>
        maxRows is <= 0 ? throw new ArgumentOutOfRangeException(nameof(maxRows), maxRows, "A query's row bound must be positive.") : maxRows;
}
