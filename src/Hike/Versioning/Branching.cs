using Hike.Db;
using Hike.Edn;

namespace Hike.Versioning;

/// <summary>
/// What each branch operation does to a database's commit log, and the rules it keeps: the commit a
/// reference names, a new commit's parents, which branch cannot be deleted, what a three-way merge
/// commits. The writing runtime runs these on its writer, holding the store's writer lock, and updates
/// the branch heads it has open.
/// </summary>
internal static class Branching
{
    /// <summary>
    /// The commit a branch name (<see cref="Keyword"/>, or its text) or commit id (<see cref="Guid"/>, or
    /// its text) stands for; <paramref name="headOf"/> gives a branch's head commit.
    /// </summary>
    public static CommitInfo Resolve(ICommitLog log, object reference, Func<Keyword, CommitInfo> headOf) => reference switch
    {
        Keyword branch => headOf(branch),
        Guid id => log.FindCommit(id) ?? throw Errors.CommitMissing(id),
        string text when Guid.TryParse(text, out var id) => log.FindCommit(id) ?? throw Errors.CommitMissing(id),
        string text when text.StartsWith(':') && EdnReader.Read(text) is Keyword branch => headOf(branch),
        _ => throw Errors.CommitRef(reference),
    };

    /// <summary>The commit of <paramref name="after"/> on top of <paramref name="head"/> (none for a first commit), with <paramref name="merged"/> as further parents.</summary>
    public static PreparedCommit Prepare(ICommitLog log, CommitInfo? head, DbState after, IReadOnlyList<CommitInfo> merged) =>
        log.Prepare(after, CommitIds.NewCommit(head is null ? merged : [head, .. merged]));

    /// <summary>Creates branch <paramref name="name"/> at <paramref name="at"/>: a valid name no branch has (<c>branch/exists</c>).</summary>
    public static void Create(ICommitLog log, Keyword name, CommitInfo at)
    {
        StoreLayout.ValidateBranch(name);
        log.SetHead(name, at, create: true);
    }

    /// <summary>Fails unless branch <paramref name="name"/> may be deleted: any but the database's main branch (Datahike's <c>:db</c>).</summary>
    public static void CheckDeletable(Keyword name, Keyword main)
    {
        if (name == main) throw Errors.DefaultBranch(name);
    }

    /// <summary>
    /// Commits <paramref name="state"/> as the head of <paramref name="name"/> (created when missing)
    /// with exactly <paramref name="parents"/> as its parents; returns the state as committed.
    /// </summary>
    public static DbState Force(ICommitLog log, Keyword name, DbState state, IReadOnlyList<CommitInfo> parents)
    {
        StoreLayout.ValidateBranch(name);
        var prepared = log.Prepare(state, CommitIds.NewCommit(parents));
        log.Persist(prepared, name);
        return prepared.State;
    }

    /// <summary>
    /// The plan that merges <paramref name="theirs"/> into <paramref name="ours"/> (the head of
    /// <paramref name="branch"/>) from their newest common ancestor; null when <paramref name="theirs"/>
    /// (what <paramref name="source"/> named) is already part of our history. <paramref name="load"/> opens a commit's state.
    /// </summary>
    public static MergePlan? PlanMerge(ICommitLog log, Keyword branch, DbState ours, CommitInfo theirs, object source, Func<CommitInfo, DbState> load, MergeStrategy? strategy)
    {
        var common = CommitDag.MergeBase(log, ours.Commit!, theirs) ?? throw Errors.NoCommonAncestor(branch, source);
        if (common.Id == theirs.Id) return null;
        return ThreeWayMerge.Plan(DbView.Of(load(common)), DbView.Of(ours), DbView.Of(load(theirs)), strategy);
    }
}
