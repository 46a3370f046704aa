using Hike.Db;

namespace Hike.Api;

/// <summary>A transaction waiting in a writer's queue, and the task its submitter awaits.</summary>
internal sealed class PendingTx(Connection connection, object? data, object? meta, CancellationToken cancellationToken) : WriterJob
{
    private readonly TaskCompletionSource<TxReport> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public object? Data { get; } = data;

    public object? Meta { get; } = meta;

    /// <summary>The connection that submitted it: its branch is written, its functions run, its database values are reused.</summary>
    public Connection Connection { get; } = connection;

    public BranchHead Branch => Connection.Branch;

    public FunctionRegistry Functions => Connection.Config.Functions;

    /// <summary>Commits besides the branch head that this transaction's commit merges (it is then committed alone, by a branch job).</summary>
    public IReadOnlyList<CommitInfo> Merged { get; init; } = [];

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public Task<TxReport> Task => _done.Task;

    public void Complete(TxReport report) => _done.TrySetResult(report);

    public override void Fail(Exception error) => _done.TrySetException(error);

    public void Cancel() => _done.TrySetCanceled(CancellationToken);
}
