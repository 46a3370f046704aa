namespace Hike.Server.Handles;

/// <summary>
/// A database value as a client holds it (Datahike's <c>#datahike/DB {:store-id … :commit-id …}</c>):
/// the connection it came from and the exact commit it is, so that a read through it is repeatable.
/// </summary>
internal sealed record DbHandle(ConnectionHandle Connection, Guid CommitId, long MaxEid, long MaxTx);
