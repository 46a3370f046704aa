using Hike.Edn;

namespace Hike.Query.Execution;

/// <summary>
/// A set of bindings for some variables: one column per variable, one row per answer. Rows are
/// owned by the relation and never changed once added. <see cref="Distinct"/> records whether the
/// rows are known to be pairwise different, which lets the final projection skip deduplication.
/// </summary>
internal sealed class Relation
{
    public Relation(Symbol[] vars, RowList rows, bool distinct)
    {
        Vars = vars;
        Rows = rows;
        Distinct = distinct;
    }

    public Symbol[] Vars { get; }

    public RowList Rows { get; }

    public bool Distinct { get; }

    public int Count => Rows.Count;

    /// <summary>The relation with no variables and one empty row: the identity of joins.</summary>
    public static Relation Unit() => new([], [[]], true);

    public int IndexOf(Symbol v) => Array.IndexOf(Vars, v);

    public bool Has(Symbol v) => Array.IndexOf(Vars, v) >= 0;

    /// <summary>The column indexes of <paramref name="vars"/> in this relation.</summary>
    public int[] Columns(IReadOnlyList<Symbol> vars)
    {
        var cols = new int[vars.Count];
        for (int i = 0; i < cols.Length; i++) cols[i] = IndexOf(vars[i]);
        return cols;
    }
}
