using Hike.Edn;

namespace Hike.Versioning;

/// <summary>
/// One conflict of a three-way merge: <paramref name="Attribute"/> of <paramref name="Entity"/> as it
/// was at the common ancestor (<paramref name="Base"/>), on the branch merged into
/// (<paramref name="Ours"/>) and on the branch merged from (<paramref name="Theirs"/>). A value is the
/// attribute's value for cardinality one and the set of its values for cardinality many; null when the
/// entity has none. For <see cref="MergeConflictKind.UniqueClaimed"/>, <paramref name="Entity"/> is the
/// entity that claims the value on their side and <see cref="ClaimedBy"/> the one holding it on ours.
/// </summary>
public sealed record MergeConflict(MergeConflictKind Kind, long Entity, Keyword Attribute, object? Base, object? Ours, object? Theirs)
{
    /// <summary>For <see cref="MergeConflictKind.UniqueClaimed"/>: the entity that holds the value on our side.</summary>
    public long? ClaimedBy { get; init; }
}
