namespace Hike.Api;

/// <summary>What changed between two database values: the datoms only the first holds and those only the second holds, in EAVT order.</summary>
public sealed record DatabaseDiff(IReadOnlyList<Datom> Removed, IReadOnlyList<Datom> Added);
