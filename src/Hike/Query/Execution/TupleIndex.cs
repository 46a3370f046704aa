namespace Hike.Query.Execution;

/// <summary>
/// A growing relation's rows grouped by the values of some of their columns, brought up to date at
/// each read. A recursive call whose arguments are bound reads, round after round, only the tuples
/// so far that match its values, instead of copying every tuple each time: with n values asked for
/// over n rounds that is the difference between n² and n³. Append-only rows; single-threaded.
/// </summary>
internal sealed class TupleIndex(int[] columns)
{
    private readonly Dictionary<object?[], List<object?[]>> _groups = new(RowKey.All(columns.Length));
    private int _indexed;

    /// <summary>The rows of <paramref name="rows"/> (the same, grown, list at every call) whose indexed columns hold one of <paramref name="keys"/>.</summary>
    public RowList Matching(RowList rows, IEnumerable<object?[]> keys)
    {
        var guard = QueryGuard.Current;
        for (; _indexed < rows.Count; _indexed++)
        {
            guard.Tick();
            var row = rows[_indexed];
            var key = Joins.Pick(row, columns);
            if (!_groups.TryGetValue(key, out var group)) _groups[key] = group = [];
            group.Add(row);
        }
        var result = new RowList();
        var seen = new HashSet<object?[]>(RowKey.All(columns.Length));
        foreach (var key in keys)
        {
            guard.Tick();
            if (!seen.Add(key) || !_groups.TryGetValue(key, out var group)) continue;
            foreach (var row in group) result.Add(row);
        }
        return result;
    }
}
