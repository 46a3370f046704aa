using Hike.Db;
using Hike.Index.Stored;

namespace Hike.Versioning;

/// <summary>A commit built but not yet written: the state it stores and the pack that holds it (none in memory).</summary>
internal sealed record PreparedCommit(DbState State, PendingPack? Pack);
