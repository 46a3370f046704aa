namespace Hike.Index;

/// <summary>A sealed pack waiting to be appended to its segment at <see cref="Offset"/>.</summary>
internal sealed record PendingPack(ulong Segment, long Offset, byte[] Bytes);
