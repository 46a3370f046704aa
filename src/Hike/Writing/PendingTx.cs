using Hike.Db;
using Hike.Transactions;

namespace Hike.Writing;

/// <summary>A transaction waiting in a writer's queue, and the task its submitter awaits.</summary>
internal sealed class PendingTx(BranchHead branch, object? data, object? meta, ITxCallbacks functions, CancellationToken cancellationToken) : WriterJob
{
    private readonly TaskCompletionSource<WriteOutcome> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public object? Data { get; } = data;

    public object? Meta { get; } = meta;

    /// <summary>The branch it is applied to and committed on.</summary>
    public BranchHead Branch { get; } = branch;

    /// <summary>The transaction functions and predicates it may call (the submitting connection's).</summary>
    public ITxCallbacks Functions { get; } = functions;

    /// <summary>Commits besides the branch head that this transaction's commit merges (it is then committed alone, by a branch job).</summary>
    public IReadOnlyList<CommitInfo> Merged { get; init; } = [];

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>The secondary indices' work on its data, done by the submitting thread while it waits in the queue (null: none).</summary>
    public TransactionAhead? Ahead { get; init; }

    public Task<WriteOutcome> Task => _done.Task;

    public void Complete(WriteOutcome outcome) => _done.TrySetResult(outcome);

    public override void Fail(Exception error) => _done.TrySetException(error);

    public void Cancel() => _done.TrySetCanceled(CancellationToken);
}
