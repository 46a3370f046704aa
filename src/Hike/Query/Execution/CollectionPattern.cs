using Hike.Edn;
using Hike.Query.Syntax;

namespace Hike.Query.Execution;

/// <summary>Matches a data pattern against a collection of tuples, position by position.</summary>
internal static class CollectionPattern
{
    public static Relation Match(PatternClause pattern, CollectionSource source)
    {
        var vars = pattern.Variables.ToArray();
        var rows = new RowList();
        var guard = QueryGuard.Current;
        foreach (var tuple in source.Tuples)
        {
            guard.Tick();
            var row = new object?[vars.Length];
            var set = new bool[vars.Length];
            if (Matches(pattern.Terms, tuple, vars, row, set)) rows.Add(row);
        }
        return new Relation(vars, rows, false);
    }

    private static bool Matches(Term[] terms, object?[] tuple, Symbol[] vars, object?[] row, bool[] set)
    {
        for (int i = 0; i < terms.Length; i++)
        {
            var t = terms[i];
            if (t.IsBlank) continue;
            if (i >= tuple.Length) return false;
            if (t.IsConstant)
            {
                if (!ValueEquality.Instance.Equals(t.Value, tuple[i])) return false;
                continue;
            }
            int col = Array.IndexOf(vars, t.Symbol);
            if (set[col])
            {
                if (!ValueEquality.Instance.Equals(row[col], tuple[i])) return false;
                continue;
            }
            row[col] = tuple[i];
            set[col] = true;
        }
        return true;
    }
}
