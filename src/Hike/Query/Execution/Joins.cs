using Hike.Edn;

namespace Hike.Query.Execution;

/// <summary>
/// Relational operations on <see cref="Relation"/>s: product, hash join, projection, anti-join, union.
/// Each ticks the running query's <see cref="QueryGuard"/> per row it reads, so a long one can be stopped.
/// </summary>
internal static class Joins
{
    public static Relation Product(Relation a, Relation b)
    {
        if (a.Vars.Length == 0) return a.Count == 0 ? new Relation(b.Vars, [], true) : b;
        if (b.Vars.Length == 0) return b.Count == 0 ? new Relation(a.Vars, [], true) : a;
        // A product's size is known before it is built: one over the bound fails before it fills memory.
        long size = (long)a.Count * b.Count;
        QueryGuard.Current.CheckRows(size);
        var rows = new RowList((int)size);
        int wa = a.Vars.Length, wb = b.Vars.Length;
        foreach (var x in a.Rows)
        {
            foreach (var y in b.Rows)
            {
                var row = new object?[wa + wb];
                x.CopyTo(row, 0);
                y.CopyTo(row, wa);
                rows.Add(row);
            }
        }
        return new Relation([.. a.Vars, .. b.Vars], rows, a.Distinct && b.Distinct);
    }

    /// <summary>The natural join of <paramref name="a"/> and <paramref name="b"/> on their shared variables (a product when none).</summary>
    public static Relation HashJoin(Relation a, Relation b)
    {
        var shared = a.Vars.Where(b.Has).ToArray();
        if (shared.Length == 0) return Product(a, b);
        var extra = b.Vars.Where(v => !a.Has(v)).ToArray();
        var extraCols = b.Columns(extra);
        var aKey = a.Columns(shared);
        var bKey = b.Columns(shared);
        var rows = new RowList();
        int wa = a.Vars.Length;
        var guard = QueryGuard.Current;
        if (b.Count <= a.Count)
        {
            var table = new JoinTable(b.Rows, bKey);
            foreach (var x in a.Rows)
            {
                guard.Tick();
                var found = table.Find(x, aKey);
                while (found.MoveNext()) rows.Add(Concat(x, wa, found.Current, extraCols));
            }
        }
        else
        {
            var table = new JoinTable(a.Rows, aKey);
            foreach (var y in b.Rows)
            {
                guard.Tick();
                var found = table.Find(y, bKey);
                while (found.MoveNext()) rows.Add(Concat(found.Current, wa, y, extraCols));
            }
        }
        return new Relation([.. a.Vars, .. extra], rows, a.Distinct && b.Distinct);
    }

    /// <summary>The rows of <paramref name="a"/> with no partner in <paramref name="matches"/> on their shared variables.</summary>
    public static Relation AntiJoin(Relation a, Relation matches)
    {
        var shared = a.Vars.Where(matches.Has).ToArray();
        if (shared.Length == 0) return matches.Count == 0 ? a : new Relation(a.Vars, [], true);
        var table = new JoinTable(matches.Rows, matches.Columns(shared));
        var aKey = a.Columns(shared);
        var rows = new RowList(a.Count);
        var guard = QueryGuard.Current;
        foreach (var x in a.Rows)
        {
            guard.Tick();
            if (!table.Contains(x, aKey)) rows.Add(x);
        }
        return rows.Count == a.Count ? a : new Relation(a.Vars, rows, a.Distinct);
    }

    /// <summary>The rows of <paramref name="a"/> restricted to <paramref name="vars"/>, without duplicates.</summary>
    public static Relation Project(Relation a, IReadOnlyList<Symbol> vars)
    {
        var cols = a.Columns(vars);
        bool permutation = cols.Length == a.Vars.Length && cols.Distinct().Count() == cols.Length && cols.All(c => c >= 0);
        if (permutation && cols.Select((c, i) => c == i).All(x => x)) return a.Distinct ? a : Distinct(a);
        if (permutation && a.Distinct)
        {
            var reordered = new RowList(a.Count);
            foreach (var x in a.Rows) reordered.Add(Pick(x, cols));
            return new Relation([.. vars], reordered, true);
        }
        var seen = new HashSet<object?[]>(RowKey.All(cols.Length));
        var rows = new RowList();
        var guard = QueryGuard.Current;
        foreach (var x in a.Rows)
        {
            guard.Tick();
            var row = Pick(x, cols);
            if (seen.Add(row)) rows.Add(row);
        }
        return new Relation([.. vars], rows, true);
    }

    /// <summary>A new row of <paramref name="row"/>'s values at <paramref name="cols"/>, in that order.</summary>
    public static object?[] Pick(object?[] row, int[] cols)
    {
        var picked = new object?[cols.Length];
        for (int i = 0; i < cols.Length; i++) picked[i] = row[cols[i]];
        return picked;
    }

    public static Relation Distinct(Relation a)
    {
        if (a.Distinct) return a;
        var seen = new HashSet<object?[]>(RowKey.All(a.Vars.Length));
        var rows = new RowList(a.Count);
        var guard = QueryGuard.Current;
        foreach (var x in a.Rows)
        {
            guard.Tick();
            if (seen.Add(x)) rows.Add(x);
        }
        return new Relation(a.Vars, rows, true);
    }

    private static object?[] Concat(object?[] x, int wa, object?[] y, int[] yCols)
    {
        var row = new object?[wa + yCols.Length];
        x.CopyTo(row, 0);
        for (int i = 0; i < yCols.Length; i++) row[wa + i] = y[yCols[i]];
        return row;
    }
}
