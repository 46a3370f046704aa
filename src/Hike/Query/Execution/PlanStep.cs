namespace Hike.Query.Execution;

/// <summary>One executed step of a query plan: the clause, how it ran, the rows the planner expected and the rows it produced.</summary>
internal sealed record PlanStep(int Depth, string Clause, string How, double Estimated, long Actual, TimeSpan Elapsed)
{
    public override string ToString() =>
        $"{new string(' ', Depth * 2)}{Clause}  -- {How}; estimated {Math.Round(Estimated)} rows, actual {Actual}, {Elapsed.TotalMilliseconds:0.###} ms";
}
