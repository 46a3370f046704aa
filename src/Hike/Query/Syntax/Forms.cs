using System.Collections;
using Hike.Edn;

namespace Hike.Query.Syntax;

/// <summary>Helpers for reading query forms given as EDN values or as C# collections.</summary>
internal static class Forms
{
    /// <summary>The elements of a list, vector or other sequence; null for anything else.</summary>
    public static object?[]? Items(object? form) => form switch
    {
        EdnSequence s => s.AsSpan().ToArray(),
        object?[] a => a,
        string => null,
        not null when ValueEquality.IsSequential(form) => ((IEnumerable)form).Cast<object?>().ToArray(),
        _ => null,
    };

    /// <summary>
    /// True when a sequence is a call, <c>(f ...)</c>: an EDN list, or a C# sequence that starts with
    /// a plain symbol (optionally after a source), which no data pattern does.
    /// </summary>
    public static bool IsCall(object? form, object?[] items)
    {
        if (form is EdnList) return true;
        if (form is EdnVector || items.Length == 0) return false;
        int i = Term.IsSourceSymbol(items[0]) && items.Length > 1 ? 1 : 0;
        return items[i] is Symbol s && !Term.IsVariableSymbol(s) && !Term.IsBlankSymbol(s) && !Term.IsSourceSymbol(s);
    }

    public static bool IsSymbol(object? form, string name) => form is Symbol { Namespace: null } s && s.Name == name;

    public static string Show(object? form) => Errors.Show(form);
}
