namespace Hike.Index.Stored;

/// <summary>
/// The packs of a segment (<see cref="Packs.Scan"/>) and where the scan ended: the segment's end, or
/// the start of the torn pack a crash left there, whose bytes no whole commit can reach.
/// </summary>
internal sealed record SegmentScan(List<ScannedPack> Packs, long End);
