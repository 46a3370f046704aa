using Hike.Db;
using Hike.Transactions;

namespace Hike.Writing;

/// <summary>
/// What the writer hands back for one committed transaction: the state it applied to
/// (<paramref name="Before"/>), the state it produced as committed (<paramref name="After"/>), what the
/// transaction did (its datoms, tempids and metadata: <paramref name="Result"/>) and the commit that
/// holds it (<paramref name="Commit"/>; transactions grouped into one commit share it). The public face
/// turns it into a <c>TxReport</c>. Immutable.
/// </summary>
internal sealed record WriteOutcome(DbState Before, DbState After, TxResult Result, CommitInfo Commit);
