using Hike.Db;

namespace Hike.Versioning;

/// <summary>
/// A branch head as read at one moment: the id of the commit it names, and what loads that commit's
/// state (with the checks its log makes of a head's commit) — so that a reader reads the head once,
/// compares ids, and loads only when the head moved.
/// </summary>
internal sealed record BranchTip(Guid Id, Func<DbOptions, DbState> Load);
