using Hike.Index.Tree;

namespace Hike.Index.Codec;

/// <summary>Resolves a node's references to values stored out of line (<see cref="LargeValues"/>). Thread-safe.</summary>
internal interface ILargeValueReader
{
    /// <summary>
    /// The value stored at <paramref name="address"/>; an object that is missing, damaged or not a
    /// value is a <see cref="CorruptionException"/> naming it.
    /// </summary>
    object Resolve(NodeAddress address);
}
