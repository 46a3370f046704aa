using Hike.Edn;

namespace Hike.Api;

/// <summary>
/// A query's result with how it ran: one line per clause in execution order (how it ran, the rows the
/// planner estimated and the rows it produced), the number of results and the time taken.
/// </summary>
public sealed record QueryStats(object? Result, IReadOnlyList<string> Plan, int Count, TimeSpan Elapsed)
{
    /// <summary>As <c>hike query-stats</c> prints it: <c>{:ret result :count n :elapsed-ms ms :plan ["…" …]}</c>.</summary>
    public EdnMap ToEdn() => EdnMap.Of(
        Keyword.Intern("ret"), Result,
        Keyword.Intern("count"), (long)Count,
        Keyword.Intern("elapsed-ms"), Math.Round(Elapsed.TotalMilliseconds, 3),
        Keyword.Intern("plan"), EdnVector.From(Plan));
}
