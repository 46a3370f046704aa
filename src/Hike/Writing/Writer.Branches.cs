using Hike.Db;
using Hike.Edn;
using Hike.Transactions;
using Hike.Versioning;

namespace Hike.Writing;

internal sealed partial class Writer
{
    /// <inheritdoc />
    public async Task<WriteOutcome> MergeAsync(BranchHead branch, IReadOnlyList<object> parents, object? data, object? meta, ITxCallbacks functions, CancellationToken cancellationToken)
    {
        var committed = await RunAsync(() =>
        {
            var pending = new PendingTx(branch, data, meta, functions, cancellationToken) { Merged = [.. parents.Select(_database.ResolveCommit)] };
            CommitAlone(pending);
            return pending.Task;
        }).ConfigureAwait(false);
        return await committed.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<WriteOutcome?> MergeBranchAsync(BranchHead branch, object source, MergeStrategy? strategy, object? meta, ITxCallbacks functions, CancellationToken cancellationToken)
    {
        var committed = await RunAsync<Task<WriteOutcome>?>(() =>
        {
            var ours = _database.WriterHead(branch);
            var theirs = _database.ResolveCommit(source);
            if (Branching.PlanMerge(_database.Log, branch.Name, ours, theirs, source, _database.LoadCommit, strategy) is not { } plan) return null;
            var pending = new PendingTx(branch, (List<object?>)[.. plan.SchemaTx, .. plan.DataTx], meta, functions, cancellationToken) { Merged = [theirs] };
            CommitAlone(pending);
            return pending.Task;
        }).ConfigureAwait(false);
        return committed is null ? null : await committed.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task CreateBranchAsync(Keyword name, object from) => RunAsync(() =>
    {
        _database.CreateBranch(name, _database.ResolveCommit(from));
        return true;
    });

    /// <inheritdoc />
    public Task DeleteBranchAsync(Keyword name) => RunAsync(() =>
    {
        _database.DeleteBranch(name);
        return true;
    });

    /// <inheritdoc />
    public Task<Guid> ForceBranchAsync(Keyword name, DbState state, IReadOnlyList<object> parents, Guid? expectedHead) => RunAsync(() =>
    {
        if (expectedHead is { } expected && _database.Log.HeadId(name) is var actual && actual != expected) throw Errors.StaleHead(name, expected, actual);
        return _database.ForceBranch(name, state, [.. parents.Select(_database.ResolveCommit)]).Id;
    });

    /// <inheritdoc />
    public Task AcquireAsync() => !_database.Log.IsDurable ? Task.CompletedTask : RunAsync(() =>
    {
        _database.BecomeWriter();
        return true;
    });

    /// <inheritdoc />
    public Task<Func<CancellationToken, int>> StartCollectionAsync(DateTime removeBefore) => RunAsync(() =>
    {
        _database.BecomeWriter();
        return _database.BetweenCommits(() => _database.Log.StartCollection(removeBefore));
    });

    /// <summary>
    /// Applies <paramref name="pending"/> in a commit of its own, whose further parents are its
    /// <see cref="PendingTx.Merged"/> commits, and returns once it is done. Writer thread only (a branch job).
    /// </summary>
    private void CommitAlone(PendingTx pending) => CommitGroup(pending.Branch, [pending], pending.Merged);
}
