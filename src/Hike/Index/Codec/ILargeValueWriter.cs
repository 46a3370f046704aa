using Hike.Index.Tree;

namespace Hike.Index.Codec;

/// <summary>
/// Where a node encoder puts datom values too large to keep inline (<see cref="LargeValues"/>): the
/// store of the pack being written, which keeps each such value as an object of its own and hands out
/// references to it. Used by the single writer only.
/// </summary>
internal interface ILargeValueWriter
{
    /// <summary>
    /// The address of <paramref name="value"/> (this very instance) when it is already stored out of
    /// line and may be referred to; false when it must be encoded.
    /// </summary>
    bool TryGetStored(object? value, out NodeAddress address);

    /// <summary>
    /// Moves <paramref name="value"/>'s encoding — the bytes of <paramref name="sink"/> from
    /// <paramref name="valueStart"/> to its end, longer than <see cref="LargeValues.InlineLimit"/> —
    /// out of the object being written into an object of its own, leaving the sink as it was before
    /// the value; returns the new object's address.
    /// </summary>
    NodeAddress MoveOut(ByteSink sink, int valueStart, object value);
}
