using System.Collections;
using Hike.Edn;
using Hike.Query.Syntax;

namespace Hike.Api;

/// <summary>
/// A query's result as the CLR type <see cref="Database.Q{T}(object)"/> and <see cref="Database.QValue{T}(object)"/> ask for:
/// <list type="bullet">
/// <item>a relation (<c>:find ?a ?b</c>) row by row: by position into a tuple (<c>(string, long)</c>) or
/// into the public constructor with one parameter per column; a one-column row as its value (a pulled
/// map by name into a record); with <c>:keys</c>/<c>:strs</c>/<c>:syms</c> each row's map by name;</item>
/// <item>a collection (<c>:find [?x ...]</c>) value by value;</item>
/// <item>a scalar (<c>:find ?x .</c>) or a tuple (<c>:find [?a ?b]</c>) as one value, null (or the
/// nullable type's null) when the query found nothing.</item>
/// </list>
/// Values convert as <see cref="TypedValues"/> says; a value that does not fit is <c>query/result-type</c>
/// naming its column. Rows come in the order the query returned them (a set's order is not defined).
/// </summary>
internal static class QueryResults
{
    private static readonly Func<string, HikeException> Fail = Errors.QueryResultType;

    /// <summary>The rows of a relation or collection find, each as a <typeparamref name="T"/>.</summary>
    public static List<T> Rows<T>(object? result, ParsedQuery parsed)
    {
        if (parsed.Shape is not (FindShape.Relation or FindShape.Collection))
        {
            throw Fail($"Q<{TypedValues.Display(typeof(T))}> reads a relation (:find ?a ?b) or a collection (:find [?x ...]); {FindText(parsed)} gives one value or tuple: use QValue<T>");
        }
        var rows = new List<T>(result is ICollection c ? c.Count : result is EdnSet s ? s.Count : 0);
        if (result is null) return rows;
        string[] columns = Columns(parsed);
        foreach (var item in (IEnumerable)result)
        {
            if (parsed.Shape == FindShape.Collection) rows.Add((T)TypedValues.To(typeof(T), item, columns[0], Fail)!);
            else if (parsed.ReturnKeys is not null) rows.Add((T)TypedValues.To(typeof(T), item, "the row", Fail)!);
            else rows.Add((T)Row(typeof(T), [.. (EdnSequence)item!], columns)!);
        }
        return rows;
    }

    /// <summary>The one value of a scalar or tuple find as a <typeparamref name="T"/>; default when there is none and <typeparamref name="T"/> can be null.</summary>
    public static T? Value<T>(object? result, ParsedQuery parsed)
    {
        if (parsed.Shape is not (FindShape.Scalar or FindShape.Tuple))
        {
            throw Fail($"QValue<{TypedValues.Display(typeof(T))}> reads a scalar (:find ?x .) or a tuple (:find [?a ?b]); {FindText(parsed)} gives rows: use Q<T>");
        }
        var columns = Columns(parsed);
        if (result is null)
        {
            if (typeof(T).IsValueType && Nullable.GetUnderlyingType(typeof(T)) is null)
            {
                throw Fail($"{FindText(parsed)} found nothing, which a {TypedValues.Display(typeof(T))} cannot hold; ask for {TypedValues.Display(typeof(T))}? to read nothing as null");
            }
            return default;
        }
        return parsed.Shape == FindShape.Scalar
            ? (T?)TypedValues.To(typeof(T), result, columns[0], Fail)
            : (T?)Row(typeof(T), [.. (EdnSequence)result], columns);
    }

    private static object? Row(Type target, object?[] row, string[] columns)
    {
        if (row.Length == 1 && !ByPosition(target, row[0])) return TypedValues.To(target, row[0], columns[0], Fail);
        if (TypedValues.IsComposite(target)) return ObjectShapes.Of(target).FromRow(row, i => columns[i], Fail);
        if (target == typeof(object) || CollectionShape.Of(target) is not null) return TypedValues.To(target, EdnVector.From(row), "the row", Fail);
        throw Fail($"A {TypedValues.Display(target)} cannot hold a row of {row.Length} columns {Errors.Show(EdnVector.From(row))}; ask for a tuple, a record with a constructor of {row.Length} parameters, or object[]");
    }

    /// <summary>Whether a one-column row goes to <paramref name="target"/>'s one-parameter constructor rather than being converted as its value.</summary>
    private static bool ByPosition(Type target, object? value) =>
        TypedValues.IsComposite(target) && value is not (EdnMap or Entity or EdnSequence);

    /// <summary>What each column is called in a message: <c>column 2 (?age)</c>.</summary>
    private static string[] Columns(ParsedQuery parsed)
    {
        var columns = new string[parsed.Find.Length];
        for (int i = 0; i < columns.Length; i++) columns[i] = $"column {i + 1} ({parsed.Find[i]})";
        return columns;
    }

    private static string FindText(ParsedQuery parsed) => parsed.Shape switch
    {
        FindShape.Scalar => $":find {parsed.Find[0]} .",
        FindShape.Collection => $":find [{parsed.Find[0]} ...]",
        FindShape.Tuple => $":find [{string.Join(" ", parsed.Find.Select(f => f.ToString()))}]",
        _ => ":find " + string.Join(" ", parsed.Find.Select(f => f.ToString())),
    };
}
