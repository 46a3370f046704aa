namespace Hike.Versioning;

/// <summary>How far a sync has come: segments looked at of all there are, and bytes copied.</summary>
public sealed record SyncProgress(int Done, int Total, long Bytes);
