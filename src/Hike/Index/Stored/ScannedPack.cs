namespace Hike.Index.Stored;

/// <summary>A pack found by <see cref="Packs.Scan"/>: where it starts in its segment, its length, and its objects in order (the last is the commit record).</summary>
internal sealed record ScannedPack(long Start, long Length, List<(long Offset, int Length)> Objects);
