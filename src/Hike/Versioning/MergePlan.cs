using Hike.Api;

namespace Hike.Versioning;

/// <summary>
/// What a three-way merge transacts on the branch merged into, and what it found on the way.
/// <paramref name="SchemaTx"/> goes first, as a transaction of its own, so that attributes their side
/// defined exist before <paramref name="DataTx"/> uses them; an empty list is a transaction to skip.
/// <paramref name="Conflicts"/> holds every conflict, those a strategy settled included, in entity and
/// attribute order.
/// </summary>
internal sealed record MergePlan(IReadOnlyList<object?> SchemaTx, IReadOnlyList<object?> DataTx, IReadOnlyList<MergeConflict> Conflicts);
