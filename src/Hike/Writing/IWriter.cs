using Hike.Db;
using Hike.Edn;
using Hike.Transactions;
using Hike.Versioning;

namespace Hike.Writing;

/// <summary>
/// The writing side of one database: everything that moves a branch head goes through it, one change
/// at a time, in arrival order. <see cref="Writer"/> is the one in this process; a remote writer (a
/// server holding the store's writer lock) implements the same contract, its readers reading the store
/// directly.
/// </summary>
/// <remarks>
/// Every task completes once what it did is durable, or fails; none is left waiting. Failures:
/// <list type="bullet">
/// <item>the operation's own error (<see cref="HikeException"/> with its code: an invalid transaction,
/// a missing branch or commit, a merge conflict, a stale head), which affects no other operation;</item>
/// <item><see cref="OperationCanceledException"/> for a transaction cancelled before it was applied;</item>
/// <item><c>db/writer-failed</c> once a commit could not be written, the store reported a conflict on a
/// head (another writer moved it) or anything else left the writer's state unknown: the operation in
/// hand, the queued ones and every later one fail so;</item>
/// <item><c>connection/released</c> after <see cref="Close"/>;</item>
/// <item><c>db/writer-conflict</c> (or <c>storage/io</c>) when the store's writer lock cannot be taken:
/// another process writes the database.</item>
/// </list>
/// </remarks>
internal interface IWriter
{
    /// <summary>Completes when the writer has stopped after <see cref="Close"/> and let go of the store.</summary>
    Task Stopped { get; }

    /// <summary>
    /// Applies <paramref name="data"/> (tx-data with optional <paramref name="meta"/>) on
    /// <paramref name="branch"/>'s head and commits it. <paramref name="functions"/> are the submitter's
    /// transaction functions and predicates; a remote writer runs the ones registered on its side under
    /// the same names instead.
    /// </summary>
    Task<WriteOutcome> TransactAsync(BranchHead branch, object? data, object? meta, ITxCallbacks functions, CancellationToken cancellationToken);

    /// <summary>As <see cref="TransactAsync"/>, in a commit of its own whose further parents are the commits <paramref name="parents"/> name (branch names or commit ids).</summary>
    Task<WriteOutcome> MergeAsync(BranchHead branch, IReadOnlyList<object> parents, object? data, object? meta, ITxCallbacks functions, CancellationToken cancellationToken);

    /// <summary>
    /// Merges branch or commit <paramref name="source"/> into <paramref name="branch"/> three-way
    /// (<see cref="ThreeWayMerge"/>), committing the plan with both heads as parents; null when
    /// <paramref name="source"/> is already part of the branch's history.
    /// </summary>
    Task<WriteOutcome?> MergeBranchAsync(BranchHead branch, object source, MergeStrategy? strategy, object? meta, ITxCallbacks functions, CancellationToken cancellationToken);

    /// <summary>Creates branch <paramref name="name"/> at the commit <paramref name="from"/> names (a branch name or a commit id).</summary>
    Task CreateBranchAsync(Keyword name, object from);

    /// <summary>Deletes branch <paramref name="name"/>; its commits stay until garbage collection.</summary>
    Task DeleteBranchAsync(Keyword name);

    /// <summary>
    /// Commits <paramref name="state"/> as the head of <paramref name="name"/> (created when missing) with
    /// exactly the commits <paramref name="parents"/> name as parents; with <paramref name="expectedHead"/>,
    /// only when the branch is at that commit. Returns the new commit's id.
    /// </summary>
    Task<Guid> ForceBranchAsync(Keyword name, DbState state, IReadOnlyList<object> parents, Guid? expectedHead);

    /// <summary>Takes the store's writer lock now, after what is queued (a bulk load does, before reading its input).</summary>
    Task AcquireAsync();

    /// <summary>Starts garbage collection between commits; the sweep it returns runs off the writer.</summary>
    Task<Func<CancellationToken, int>> StartCollectionAsync(DateTime removeBefore);

    /// <summary>
    /// Calls <paramref name="listener"/> with the outcome of every later transaction on
    /// <paramref name="branch"/>, once each and in commit order, until the result is disposed.
    /// </summary>
    IDisposable Listen(BranchHead branch, Action<WriteOutcome> listener);

    /// <summary>Stops taking work; what is queued still runs.</summary>
    void Close();
}
