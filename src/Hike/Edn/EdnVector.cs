namespace Hike.Edn;

/// <summary>An immutable EDN vector, <c>[a b c]</c>. Also the value of tuple attributes.</summary>
public sealed class EdnVector : EdnSequence
{
    /// <summary>The empty vector.</summary>
    public static readonly EdnVector Empty = new([]);

    private EdnVector(object?[] items)
        : base(items)
    {
    }

    /// <summary>Creates a vector holding a copy of <paramref name="items"/>.</summary>
    public static EdnVector Create(params ReadOnlySpan<object?> items) =>
        items.Length == 0 ? Empty : new EdnVector(items.ToArray());

    /// <summary>
    /// Creates a vector holding the items of a sequence. (<c>Create(x)</c> with a single sequence
    /// argument makes a one-element vector instead.)
    /// </summary>
    public static EdnVector From(IEnumerable<object?> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var array = items.ToArray();
        return array.Length == 0 ? Empty : new EdnVector(array);
    }

    /// <summary>Wraps an array the caller gives up ownership of (no copy).</summary>
    internal static EdnVector Wrap(object?[] items) => items.Length == 0 ? Empty : new EdnVector(items);
}
