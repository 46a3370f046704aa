using Hike.Edn;
using Hike.Writing;

namespace Hike.Api;

public sealed partial class Database
{
    /// <summary>
    /// Commits <paramref name="db"/> — a value read from a connection, or derived from one with
    /// <see cref="With"/> — as the head of <paramref name="branch"/> (created when missing) with exactly
    /// <paramref name="parents"/> (branch names or commit ids) as its parents, as Datahike's
    /// <c>force-branch!</c>. With <paramref name="expectedHead"/>, fails with <c>branch/stale-head</c>
    /// unless the branch is at that commit. Returns the new commit's id.
    /// </summary>
    public static Task<Guid> ForceBranchAsync(Database db, Keyword branch, IEnumerable<object> parents, Guid? expectedHead = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(branch);
        ArgumentNullException.ThrowIfNull(parents);
        if (!db.View.IsCurrent) throw Errors.NotCurrent("ForceBranch");
        if (db.State.Origin is not DatabaseRuntime stored) throw Errors.ForeignDatabase("ForceBranch");
        stored.ThrowIfDeleted();
        cancellationToken.ThrowIfCancellationRequested();
        return stored.Writer.ForceBranchAsync(branch, db.State, BranchNames.References(parents), expectedHead);
    }

    /// <summary>As <see cref="ForceBranchAsync(Database, Keyword, IEnumerable{object}, Guid?, CancellationToken)"/>, naming the branch by its text with or without the colon.</summary>
    public static Task<Guid> ForceBranchAsync(Database db, string branch, IEnumerable<object> parents, Guid? expectedHead = null, CancellationToken cancellationToken = default) =>
        ForceBranchAsync(db, BranchNames.Of(branch), parents, expectedHead, cancellationToken);
}
