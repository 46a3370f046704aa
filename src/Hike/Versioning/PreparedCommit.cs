using Hike.Db;
using Hike.Index.Stored;

namespace Hike.Versioning;

/// <summary>A commit built but not yet written: the state it stores, the pack that holds it and its record's envelope, the pack's last object (none in memory).</summary>
internal sealed record PreparedCommit(DbState State, PendingPack? Pack, byte[]? Record = null);
