using Hike.Index.Codec;

namespace Hike.Index.Stored;

/// <summary>
/// A sealed pack waiting to be appended to its segment at <see cref="Offset"/>: its bytes stay in the
/// buffer they were encoded into (no copy however large the pack), which <see cref="Dispose"/> returns.
/// </summary>
internal sealed class PendingPack(ulong segment, long offset, ByteSink body) : IDisposable
{
    public ulong Segment { get; } = segment;

    public long Offset { get; } = offset;

    public ReadOnlySpan<byte> Bytes => body.WrittenSpan;

    public int Length => body.Length;

    public void Dispose() => body.Dispose();
}
