namespace Hike.Query.Execution;

/// <summary>How one position of a data pattern is satisfied when the pattern runs.</summary>
internal enum SlotKind : byte
{
    /// <summary><c>_</c>: anything.</summary>
    Blank,

    /// <summary>One known value: a constant, or a variable bound to a single value.</summary>
    Fixed,

    /// <summary>A variable bound to many values: read from each input row.</summary>
    Row,

    /// <summary>A new variable: written to each output row.</summary>
    Out,

    /// <summary>A variable already met at an earlier position of the same pattern.</summary>
    Same,
}

/// <summary>One position of a pattern as it runs: its kind and the fixed value, row column, output slot or earlier position.</summary>
internal readonly record struct Slot(SlotKind Kind, object? Value, int Index);
