namespace Hike.Versioning;

/// <summary>A three-way merge found conflicts and no strategy settled them; nothing was committed.</summary>
public sealed class MergeConflictException : HikeException
{
    internal MergeConflictException(IReadOnlyList<MergeConflict> conflicts)
        : base(ErrorCodes.MergeConflict, Describe(conflicts))
    {
        Conflicts = conflicts;
    }

    /// <summary>Every conflict, in entity and attribute order.</summary>
    public IReadOnlyList<MergeConflict> Conflicts { get; }

    private static string Describe(IReadOnlyList<MergeConflict> conflicts)
    {
        var first = conflicts[0];
        return $"The merge has {conflicts.Count} conflict(s); the first: {first.Kind} on {first.Attribute} of entity {first.Entity} " +
            $"(base {Errors.Show(first.Base)}, ours {Errors.Show(first.Ours)}, theirs {Errors.Show(first.Theirs)})";
    }
}
