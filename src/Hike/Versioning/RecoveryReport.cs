namespace Hike.Versioning;

/// <summary>
/// The result of <c>Database.RecoverAsync</c>: each
/// branch's state, the store's damaged parts, and whether the repairs were applied.
/// </summary>
/// <param name="Branches">Every branch, in name order.</param>
/// <param name="Damaged">
/// What in the store fails its checks and is not yet dealt with (segments that cannot be read as packs,
/// a damaged branch set or format record), each with what is wrong.
/// </param>
/// <param name="Quarantined">
/// Damaged segments set aside: kept as they are, skipped by garbage collection, which deletes one only
/// once no branch reaches anything in it.
/// </param>
/// <param name="Applied">True when the repairs were made; false for a report only.</param>
public sealed record RecoveryReport(IReadOnlyList<BranchRecovery> Branches, IReadOnlyList<string> Damaged, IReadOnlyList<string> Quarantined, bool Applied)
{
    /// <summary>True when every branch reads whole and nothing in the store needs recovery (quarantined segments aside).</summary>
    public bool IsWhole => Damaged.Count == 0 && Branches.All(b => b.IsWhole);

    /// <inheritdoc />
    public override string ToString()
    {
        var lines = Branches.Select(b => b.ToString())
            .Concat(Damaged.Select(d => "damaged: " + d))
            .Concat(Quarantined.Select(q => "quarantined: " + q)).ToList();
        if (IsWhole) lines.Add("the database reads whole; nothing to recover");
        else lines.Add(Applied ? "applied: each branch now stands at its newest whole commit" : "nothing changed; apply to move the branches and set damaged segments aside");
        return string.Join(Environment.NewLine, lines);
    }
}
