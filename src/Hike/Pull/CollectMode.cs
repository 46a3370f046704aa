namespace Hike.Pull;

/// <summary>How a <see cref="CollectFrame"/> pulls the entities an attribute refers to.</summary>
internal enum CollectMode : byte
{
    /// <summary>With the attribute's subpattern, in a fresh recursion context.</summary>
    Subpattern,

    /// <summary>With the enclosing pattern again, one level deeper.</summary>
    Recursion,

    /// <summary>Component entities under no explicit pattern: everything, recursively.</summary>
    Component,
}
