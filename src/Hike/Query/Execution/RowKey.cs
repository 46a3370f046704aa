using Hike.Edn;

namespace Hike.Query.Execution;

/// <summary>
/// Compares rows on some of their columns with Clojure's <c>=</c> (<see cref="ValueEquality"/>), for
/// hash joins, deduplication and grouping. Stateless apart from the chosen columns; thread-safe.
/// </summary>
internal sealed class RowKey : IEqualityComparer<object?[]>
{
    private readonly int[] _columns;

    public RowKey(int[] columns) => _columns = columns;

    /// <summary>A comparer on every column of rows of width <paramref name="width"/>.</summary>
    public static RowKey All(int width) => new([.. Enumerable.Range(0, width)]);

    public bool Equals(object?[]? x, object?[]? y)
    {
        if (ReferenceEquals(x, y)) return true;
        if (x is null || y is null) return false;
        foreach (int c in _columns)
        {
            if (!ValueEquality.Instance.Equals(x[c], y[c])) return false;
        }
        return true;
    }

    public int GetHashCode(object?[] row)
    {
        int h = 17;
        foreach (int c in _columns) h = h * 31 + ValueEquality.Instance.GetHashCode(row[c]);
        return h;
    }

    /// <summary>True when <paramref name="x"/>'s key columns equal <paramref name="y"/>'s columns <paramref name="yColumns"/>.</summary>
    public bool Matches(object?[] x, object?[] y, int[] yColumns)
    {
        for (int i = 0; i < _columns.Length; i++)
        {
            if (!ValueEquality.Instance.Equals(x[_columns[i]], y[yColumns[i]])) return false;
        }
        return true;
    }

    /// <summary>The hash <see cref="GetHashCode(object?[])"/> would give a row whose key columns are <paramref name="y"/>'s <paramref name="yColumns"/>.</summary>
    public static int HashOf(object?[] y, int[] yColumns)
    {
        int h = 17;
        foreach (int c in yColumns) h = h * 31 + ValueEquality.Instance.GetHashCode(y[c]);
        return h;
    }
}
