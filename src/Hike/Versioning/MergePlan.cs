namespace Hike.Versioning;

/// <summary>
/// What a three-way merge transacts on the branch merged into, and what it found on the way.
/// <paramref name="SchemaTx"/> comes before <paramref name="DataTx"/>, so that attributes their side
/// defined exist before the data uses them (a transaction sees its own schema changes); the merge
/// transacts the two in that order as one transaction. <paramref name="Conflicts"/> holds every
/// conflict, those a strategy settled included, in entity and attribute order.
/// </summary>
internal sealed record MergePlan(IReadOnlyList<object?> SchemaTx, IReadOnlyList<object?> DataTx, IReadOnlyList<MergeConflict> Conflicts);
