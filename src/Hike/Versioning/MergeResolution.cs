namespace Hike.Versioning;

/// <summary>How one merge conflict is settled: keep our value, take theirs, or use another value.</summary>
public sealed class MergeResolution
{
    private MergeResolution(int choice, object? value)
    {
        Choice = choice;
        Value = value;
    }

    /// <summary>Keep the attribute as it is on the branch merged into.</summary>
    public static MergeResolution Ours { get; } = new(0, null);

    /// <summary>Take the attribute as it is on the branch merged from.</summary>
    public static MergeResolution Theirs { get; } = new(1, null);

    /// <summary>0 ours, 1 theirs, 2 <see cref="Value"/>.</summary>
    internal int Choice { get; }

    /// <summary>The value given to <see cref="Use"/>.</summary>
    internal object? Value { get; }

    /// <summary>
    /// Give the attribute <paramref name="value"/>: a value for cardinality one, a collection of values
    /// for cardinality many, null for none (the attribute is retracted).
    /// </summary>
    public static MergeResolution Use(object? value) => new(2, value);
}
