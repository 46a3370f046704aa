using System.Threading.Channels;
using Hike.Db;
using Hike.Transactions;

namespace Hike.Api;

/// <summary>
/// The single writer of one database in this process. Transactions queue up and are applied in
/// arrival order; whatever queued while a commit was in flight goes into the next single commit
/// (group commit), so one durability point serves many transactions. A transaction's task completes
/// only once its commit is durable; a transaction that fails affects no other. A failed commit is
/// fatal: its transactions and every later one fail with <c>db/writer-failed</c>. Thread-safe.
/// </summary>
internal sealed class Writer
{
    /// <summary>The most transactions one commit takes, so a flood of submitters still gets steady acknowledgements.</summary>
    private const int MaxGroup = 512;

    private readonly Channel<PendingTx> _queue = Channel.CreateUnbounded<PendingTx>(new UnboundedChannelOptions { SingleReader = true });
    private readonly StoredDatabase _database;
    private readonly Action? _onStopped;
    [ThreadStatic]
    private static Writer? t_running;

    private volatile Exception? _fatal;

    public Writer(StoredDatabase database, Action? onStopped = null)
    {
        _database = database;
        _onStopped = onStopped;
        Stopped = Task.Run(RunAsync);
    }

    /// <summary>True on the thread running the writer's loop (a listener, for instance), which must not wait for the writer.</summary>
    public bool IsWriterThread => t_running == this;

    /// <summary>Completes when the writer has stopped after <see cref="Close"/> and let go of the store.</summary>
    public Task Stopped { get; }

    public Task<TxReport> Submit(Connection connection, object? data, object? meta, CancellationToken cancellationToken)
    {
        if (_fatal is { } fatal) return Task.FromException<TxReport>(Errors.WriterFailed(fatal));
        var pending = new PendingTx(connection, data, meta, cancellationToken);
        if (!_queue.Writer.TryWrite(pending)) return Task.FromException<TxReport>(Errors.ConnectionReleased());
        return pending.Task;
    }

    /// <summary>Stops taking transactions; queued ones still run.</summary>
    public void Close() => _queue.Writer.TryComplete();

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var group = new List<PendingTx>();
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                group.Clear();
                while (group.Count < MaxGroup && reader.TryRead(out var pending)) group.Add(pending);
                if (_fatal is { } fatal)
                {
                    foreach (var p in group) p.Fail(Errors.WriterFailed(fatal));
                    continue;
                }
                t_running = this;
                try
                {
                    RunGroup(group);
                }
                finally
                {
                    t_running = null;
                }
            }
        }
        finally
        {
            _database.ReleaseWriter();
            _onStopped?.Invoke();
        }
    }

    private void RunGroup(List<PendingTx> group)
    {
        DbState state;
        try
        {
            state = _database.WriterHead();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not being able to write (another process holds the database) fails these transactions, not the writer.
            foreach (var p in group) p.Fail(e);
            return;
        }
        var applied = new List<(PendingTx Pending, DbState Before, TxResult Result)>(group.Count);
        foreach (var pending in group)
        {
            if (pending.CancellationToken.IsCancellationRequested)
            {
                pending.Cancel();
                continue;
            }
            try
            {
                var result = TxProcessor.Run(state, pending.Data, pending.Meta, pending.Functions, DateTime.UtcNow);
                applied.Add((pending, state, result));
                state = result.After;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                pending.Fail(e);
            }
        }
        if (applied.Count == 0) return;
        DbState committed;
        try
        {
            committed = _database.Commit(state);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _fatal = e;
            foreach (var (pending, _, _) in applied) pending.Fail(Errors.WriterFailed(e));
            return;
        }
        var reports = new TxReport[applied.Count];
        for (int i = 0; i < applied.Count; i++)
        {
            var (pending, before, result) = applied[i];
            var dbBefore = pending.Connection.DatabaseOf(before);
            reports[i] = dbBefore.ToReport(result, i == applied.Count - 1 ? committed : result.After);
        }
        // Listeners run before the submitters resume, as in Datahike: a transaction returns after its listeners ran.
        foreach (var report in reports) _database.Notify(report);
        for (int i = 0; i < reports.Length; i++) applied[i].Pending.Complete(reports[i]);
    }
}
