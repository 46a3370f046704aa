namespace Hike.Db;

/// <summary>The identity of a stored commit: its id (a time-ordered UUID) and its parents' ids.</summary>
internal sealed record CommitInfo(Guid Id, IReadOnlyList<Guid> Parents, DateTime Instant);
