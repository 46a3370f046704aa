namespace Hike.Edn;

/// <summary>An immutable EDN list, <c>(a b c)</c>.</summary>
public sealed class EdnList : EdnSequence
{
    /// <summary>The empty list.</summary>
    public static readonly EdnList Empty = new([]);

    private EdnList(object?[] items)
        : base(items)
    {
    }

    /// <summary>Creates a list holding a copy of <paramref name="items"/>.</summary>
    public static EdnList Create(params ReadOnlySpan<object?> items) =>
        items.Length == 0 ? Empty : new EdnList(items.ToArray());

    /// <summary>
    /// Creates a list holding the items of a sequence. (<c>Create(x)</c> with a single sequence
    /// argument makes a one-element list instead.)
    /// </summary>
    public static EdnList From(IEnumerable<object?> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var array = items.ToArray();
        return array.Length == 0 ? Empty : new EdnList(array);
    }

    /// <summary>Wraps an array the caller gives up ownership of (no copy).</summary>
    internal static EdnList Wrap(object?[] items) => items.Length == 0 ? Empty : new EdnList(items);
}
