using Hike.Edn;

namespace Hike.Versioning;

/// <summary>
/// What recovery found for one branch, and what it does (or, without applying, would do) about it.
/// </summary>
/// <param name="Branch">The branch.</param>
/// <param name="Head">The commit its head names, or null when the head cannot be read at all.</param>
/// <param name="Problem">What is wrong, or null when the branch reads whole.</param>
/// <param name="Target">The newest commit of the branch that reads whole, which the head is set to; null when there is none.</param>
/// <param name="Dropped">The commits the branch loses by moving to <paramref name="Target"/>, newest first.</param>
/// <param name="NewerCommits">
/// Whole commits in the store that descend from <paramref name="Target"/> but no head names: what a
/// damaged head slot may have pointed at. Recovery never picks one; <c>Database.ForceBranchAsync</c> can.
/// </param>
public sealed record BranchRecovery(
    Keyword Branch,
    Guid? Head,
    string? Problem,
    Guid? Target,
    IReadOnlyList<Guid> Dropped,
    IReadOnlyList<Guid> NewerCommits)
{
    /// <summary>True when the branch reads whole and recovery leaves it alone.</summary>
    public bool IsWhole => Problem is null;

    /// <inheritdoc />
    public override string ToString()
    {
        if (Problem is null) return $"{Errors.Show(Branch)}: whole at {Head}";
        var line = $"{Errors.Show(Branch)}: {Problem}; ";
        line += Target is { } target
            ? $"its newest whole commit is {target}" + (Dropped.Count > 0 ? $", dropping {string.Join(", ", Dropped)}" : "")
            : "it has no whole commit left";
        if (NewerCommits.Count > 0) line += $"; whole commits after it that no head names: {string.Join(", ", NewerCommits)}";
        return line;
    }
}
