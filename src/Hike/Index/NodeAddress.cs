namespace Hike.Index;

/// <summary>
/// Where a stored index node lives in its key/value store: 128 bits, <c>default</c> meaning "not
/// stored yet". Nodes are immutable, so an address names one node's content forever.
/// </summary>
internal readonly record struct NodeAddress(UInt128 Value)
{
    public bool IsStored => Value != UInt128.Zero;

    public override string ToString() => Value.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);
}
