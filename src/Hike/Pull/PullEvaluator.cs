using Hike.Db;
using Hike.Edn;

namespace Hike.Pull;

/// <summary>
/// Evaluates compiled pull patterns over a <see cref="DbView"/>; the entry point for the public
/// <c>Database.Pull</c> and for the query engine's <c>(pull ?e pattern)</c>. Results follow
/// Datahike: a map per entity (null when nothing shows), cardinality-many values and reverse refs as
/// vectors in index order, refs as <c>{:db/id n}</c> unless a subpattern, recursion or component
/// expansion applies. Reads go through the view, so as-of, since, history and filtered views all
/// work. Thread-safe: each call uses its own evaluation state.
/// </summary>
internal static class PullEvaluator
{
    /// <summary>
    /// Pulls <paramref name="pattern"/> for the resolved entity id <paramref name="eid"/>.
    /// O(log n) per attribute read plus the size of the result. <paramref name="cancellation"/> stops
    /// it with <see cref="OperationCanceledException"/>.
    /// </summary>
    public static EdnMap? Pull(DbView view, PullPattern pattern, long eid, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(pattern);
        cancellation.ThrowIfCancellationRequested();
        var bound = pattern.Bind(view.Schema);
        var run = PullRun.Rent(view);
        var result = run.Pull(bound, eid, cancellation);
        run.Return();
        return result;
    }

    /// <summary>Pulls <paramref name="pattern"/> for each resolved entity id, one result (or null) per id, in order.</summary>
    public static EdnMap?[] PullMany(DbView view, PullPattern pattern, ReadOnlySpan<long> eids, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(pattern);
        var bound = pattern.Bind(view.Schema);
        cancellation.ThrowIfCancellationRequested();
        var results = new EdnMap?[eids.Length];
        var run = PullRun.Rent(view);
        for (int i = 0; i < eids.Length; i++) results[i] = run.Pull(bound, eids[i], cancellation);
        run.Return();
        return results;
    }
}
