namespace Hike.Index.Tree;

/// <summary>
/// Where a stored object lives in its key/value store: 128 bits (laid out by <c>Index.Stored.Packs</c>),
/// <c>default</c> meaning "not stored yet". Objects are immutable, so an address names one object's
/// content forever. One bit is a hint rather than part of the name: a leaf written with references
/// to values stored out of line has <see cref="HoldsValueRefs"/> set in the address its parent keeps,
/// so garbage collection reads only those leaves. Equality and hashing ignore the hint, so an
/// address read from a pack's index and one read from a branch compare equal.
/// </summary>
internal readonly record struct NodeAddress(UInt128 Value)
{
    // The top bit of the low half, above the offset Packs keeps there (Packs.MaxOffset leaves it free).
    private const ulong ValueRefsBit = 1UL << 63;

    public bool IsStored => Value != UInt128.Zero;

    /// <summary>Whether the object (a leaf) refers to values stored out of line.</summary>
    public bool HoldsValueRefs => ((ulong)Value & ValueRefsBit) != 0;

    /// <summary>This address with <see cref="HoldsValueRefs"/> set.</summary>
    public NodeAddress WithValueRefs() => new(Value | ValueRefsBit);

    /// <summary>The address without the hint: what names the object.</summary>
    private UInt128 Name => Value & ~(UInt128)ValueRefsBit;

    public bool Equals(NodeAddress other) => Name == other.Name;

    public override int GetHashCode() => Name.GetHashCode();

    public override string ToString() => Name.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);
}
