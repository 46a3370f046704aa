namespace Hike.Api;

/// <summary>
/// A query's result with how it ran: one line per clause in execution order (how it ran, the rows the
/// planner estimated and the rows it produced), the number of results and the time taken.
/// </summary>
public sealed record QueryStats(object? Result, IReadOnlyList<string> Plan, int Count, TimeSpan Elapsed);
