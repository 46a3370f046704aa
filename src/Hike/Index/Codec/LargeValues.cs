namespace Hike.Index.Codec;

/// <summary>
/// Values stored out of line. A datom value whose encoding (<see cref="ValueCodec"/>) is longer than
/// <see cref="InlineLimit"/> is written once, as an object of its own (<see cref="Envelope.KindValue"/>)
/// in the pack of the commit that first stores it; leaves, tails and branches hold a 17-byte
/// reference to it (<see cref="ValueCodec.TagValueRef"/> and its address) instead, so the commits
/// that later rewrite them do not rewrite the value. Reading a node resolves its references through
/// the node cache, so every index shares one instance of each value.
/// </summary>
internal static class LargeValues
{
    /// <summary>
    /// The longest encoding kept inline, in bytes. Inline, a value is copied into every rewrite of
    /// every node that holds it: up to six indices, and a tail (up to 48 datoms) is rewritten by each
    /// commit to its chunk. Out of line it costs a 17-byte reference per node, a 12-byte frame, and one
    /// more read when a node holding it is loaded. Measured with <c>bench/Hike.Bench --large-values
    /// large-mixed</c> (2,000 texts, then 400 one-text commits): texts of 512 bytes made a 70 MB store
    /// inline and 6 MB out of line, texts of 1 KiB 135 MB and 7 MB; a cold scan of them took about
    /// 5 ms inline and 20–50 ms out of line (a read of its own per value). At 1 KiB the store grows
    /// about 20 times less while a cold scan costs a few microseconds more per value, and a tail holds
    /// at most 48 KiB of inline values.
    /// </summary>
    public const int InlineLimit = 1024;
}
