using Hike.Edn;
using Hike.Query.Syntax;

namespace Hike.Query.Execution;

/// <summary>
/// Destructures a value through a binding form (<c>?x</c>, <c>[?a ?b]</c>, <c>[?x ...]</c>,
/// <c>[[?a ?b]]</c>) into rows: the inputs of <c>:in</c> and the results of function clauses.
/// A variable already holding a value in the row must match it (unification).
/// </summary>
internal static class BindingExpander
{
    /// <summary>
    /// Appends to <paramref name="into"/> every completion of <paramref name="row"/> that binds
    /// <paramref name="value"/> through <paramref name="binding"/>; <paramref name="columns"/> maps
    /// each variable to its column, and columns below <paramref name="boundWidth"/> already hold values.
    /// </summary>
    public static void Expand(Binding binding, object? value, object?[] row, Dictionary<Symbol, int> columns, int boundWidth, RowList into)
    {
        switch (binding.Kind)
        {
            case BindingKind.Scalar:
                if (binding.Variable is null)
                {
                    into.Add(row);
                    return;
                }
                int col = columns[binding.Variable];
                if (col < boundWidth)
                {
                    if (ValueEquality.Instance.Equals(row[col], value)) into.Add(row);
                    return;
                }
                var copy = (object?[])row.Clone();
                copy[col] = value;
                into.Add(copy);
                return;
            case BindingKind.Tuple:
                var items = Forms.Items(value);
                if (items is null)
                {
                    throw Errors.QueryWhere($"Cannot bind value {Errors.Show(value)} to tuple {binding}");
                }
                if (items.Length < binding.Parts.Length)
                {
                    throw Errors.QueryWhere($"Not enough elements in a collection {Errors.Show(value)} to bind tuple {binding}");
                }
                var partial = new RowList { row };
                for (int i = 0; i < binding.Parts.Length && partial.Count > 0; i++)
                {
                    var next = new RowList();
                    foreach (var r in partial) Expand(binding.Parts[i], items[i], r, columns, boundWidth, next);
                    partial = next;
                }
                into.AddRange(partial);
                return;
            default:
                var elements = Elements(value) ?? throw Errors.QueryWhere($"Cannot bind value {Errors.Show(value)} to collection {binding}");
                foreach (var element in elements) Expand(binding.Parts[0], element, row, columns, boundWidth, into);
                return;
        }
    }

    private static IEnumerable<object?>? Elements(object? value) => value switch
    {
        null => null,
        string => null,
        EdnSet s => s,
        EdnMap m => m.Select(kv => (object?)EdnVector.Create(kv.Key, kv.Value)),
        _ => Forms.Items(value),
    };
}
