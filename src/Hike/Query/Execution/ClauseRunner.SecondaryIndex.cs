using Hike.Db;
using Hike.Query.Syntax;

namespace Hike.Query.Execution;

internal sealed partial class ClauseRunner
{
    /// <summary>
    /// The rows a ready call of a secondary index's function (<c>[(fulltext $ :attr query) …]</c>) will
    /// bind, from that index's statistics (<see cref="ISecondaryIndexKind.EstimateRows"/>), so the planner
    /// can weigh it against the other clauses instead of running it first as other functions are; null
    /// for any other function, or when its source is not a database here (then it runs as a function
    /// does, and reports what is wrong with its arguments).
    /// </summary>
    private double? SecondaryIndexEstimate(FunctionClause f, Frame frame, QuerySource? defaultSource)
    {
        if (!f.Function.IsConstant || f.Args.Length == 0 || f.Args[0].Kind != TermKind.Source) return null;
        ISecondaryIndexKind? kind = null;
        foreach (var k in SecondaryIndexes.Kinds)
        {
            if (ReferenceEquals(f.Function.Value, k.Function)) kind = k;
        }
        if (kind is null || _ctx.Source(f.Args[0].Symbol, defaultSource, f.Form) is not DbSource { View: var view }) return null;
        var args = new object?[f.Args.Length - 1];
        for (int i = 1; i < f.Args.Length; i++)
        {
            args[i - 1] = f.Args[i].IsConstant ? f.Args[i].Value : f.Args[i].Symbol is { } symbol && frame.TryGetSingle(symbol, out var bound) ? bound : null;
        }
        return kind.EstimateRows(view, args);
    }
}
