namespace Hike.Versioning;

/// <summary>What a sync did (<c>Database.SyncAsync</c>, <c>hike sync</c>).</summary>
/// <param name="Objects">The stored objects (segments of packs, the config) it copied or completed; 0 when the target was up to date.</param>
/// <param name="Bytes">The bytes it wrote to the target.</param>
/// <param name="Branches">The branches whose heads it moved in the target.</param>
public sealed record SyncReport(int Objects, long Bytes, IReadOnlyList<Edn.Keyword> Branches);
