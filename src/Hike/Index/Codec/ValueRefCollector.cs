using Hike.Index.Tree;

namespace Hike.Index.Codec;

/// <summary>
/// Decodes nodes for garbage collection: records the address of every value they refer to instead of
/// reading it, and gives back a placeholder, so marking never loads a large value.
/// </summary>
internal sealed class ValueRefCollector(HashSet<NodeAddress> into) : ILargeValueReader
{
    private static readonly object Placeholder = new();

    public object Resolve(NodeAddress address)
    {
        into.Add(address);
        return Placeholder;
    }
}
