using Hike.Index.Tree;


namespace Hike.Db;

/// <summary>
/// The identity of a commit: its id (a time-ordered UUID), its parents' ids and when it was made;
/// for a stored commit also where its record is, and where its parents' are.
/// </summary>
internal sealed record CommitInfo(Guid Id, IReadOnlyList<Guid> Parents, DateTime Instant)
{
    /// <summary>Where the commit record is stored; default in memory.</summary>
    public NodeAddress Address { get; init; }

    /// <summary>Where the parents' records are stored, in the order of <see cref="Parents"/>; empty in memory.</summary>
    public IReadOnlyList<NodeAddress> ParentAddresses { get; init; } = [];
}
