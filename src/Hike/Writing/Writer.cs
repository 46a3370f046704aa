using System.Threading.Channels;
using Hike.Db;
using Hike.Transactions;
using Hike.Versioning;

namespace Hike.Writing;

/// <summary>
/// The single writer of one database in this process, for all its branches. Transactions and branch
/// changes queue up and run in arrival order; the transactions of one branch that queued while a
/// commit was in flight go into the next single commit (group commit), so one durability point serves
/// many transactions. A transaction's task completes only once its commit is durable; a transaction
/// that fails affects no other, even when what it holds cannot be written (its group is then committed
/// again one transaction at a time). A failed write of a commit, a conflict the store reports, and
/// anything else that escapes the writer (an <see cref="OutOfMemoryException"/>, say) are fatal: the
/// work in hand, the work queued and every later submission fail with <c>db/writer-failed</c>, so that
/// nobody waits forever. Thread-safe.
/// </summary>
internal sealed partial class Writer : IWriter
{
    /// <summary>The most transactions one commit takes, so a flood of submitters still gets steady acknowledgements.</summary>
    private const int MaxGroup = 512;

    /// <summary>How long a durable commit waits for more transactions to join it: a fraction of its cost (in memory: not at all).</summary>
    private const long GatherMicroseconds = 50;

    private readonly Channel<WriterJob> _queue = Channel.CreateUnbounded<WriterJob>(new UnboundedChannelOptions { SingleReader = true });
    private readonly DatabaseRuntime _database;
    private readonly Action? _onStopped;
    private readonly long _gatherTicks;
    private int _lastGroup = int.MaxValue;
    [ThreadStatic]
    private static Writer? t_running;

    private volatile Exception? _fatal;

    public Writer(DatabaseRuntime database, Action? onStopped = null)
    {
        _database = database;
        _gatherTicks = !database.Log.IsDurable ? 0 : System.Diagnostics.Stopwatch.Frequency * GatherMicroseconds / 1_000_000;
        _onStopped = onStopped;
        Stopped = Task.Run(RunAsync);
    }

    /// <summary>True on the thread running the writer's loop (a listener, for instance), which must not wait for the writer.</summary>
    public bool IsWriterThread => t_running == this;

    /// <summary>Completes when the writer has stopped after <see cref="Close"/> and let go of the store.</summary>
    public Task Stopped { get; }

    /// <inheritdoc />
    /// <remarks>
    /// The secondary indices' work on the data (analysing full-text values) is done on the calling
    /// thread once the transaction is queued, while the writer works on what is ahead of it and on the
    /// transaction's datoms; the writer takes what was done by the time it updates the indices.
    /// </remarks>
    public Task<WriteOutcome> TransactAsync(BranchHead branch, object? data, object? meta, ITxCallbacks functions, CancellationToken cancellationToken)
    {
        var ahead = IsWriterThread ? null : TransactionAhead.Plan(branch.Known?.Schema, data);
        var job = Enqueue(new PendingTx(branch, data, meta, functions, cancellationToken) { Ahead = ahead });
        ahead?.Run();
        return job.Task;
    }

    /// <summary>Runs <paramref name="change"/> on the writer, after everything queued before it and between commits.</summary>
    public async Task<T> RunAsync<T>(Func<T> change)
    {
        var result = await Enqueue(new BranchJob(() => change())).Task.ConfigureAwait(false);
        return (T)result!;
    }

    /// <summary>Runs <paramref name="change"/> on the writer between commits, for the writer's own upkeep: nobody waits for it, and once the writer is closed or failed it is dropped.</summary>
    public void Post(Action change)
    {
        if (_fatal is null) _queue.Writer.TryWrite(new BranchJob(() =>
        {
            change();
            return null;
        }));
    }

    private T Enqueue<T>(T job)
        where T : WriterJob
    {
        if (_fatal is { } fatal) job.Fail(Errors.WriterFailed(fatal));
        else if (!_queue.Writer.TryWrite(job)) job.Fail(Errors.ConnectionReleased());
        return job;
    }

    /// <summary>Stops taking transactions; queued ones still run.</summary>
    public void Close() => _queue.Writer.TryComplete();

    /// <summary>Listens on <paramref name="branch"/> itself: this writer notifies it after each commit.</summary>
    public IDisposable Listen(BranchHead branch, Action<WriteOutcome> listener) => branch.AddListener(listener);

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var group = new List<WriterJob>();
        var transactions = new List<PendingTx>();
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                group.Clear();
                transactions.Clear();
                Gather(reader, group);
                if (_fatal is { } fatal)
                {
                    foreach (var job in group) job.Fail(Errors.WriterFailed(fatal));
                    continue;
                }
                try
                {
                    RunGroup(group, transactions);
                }
                catch (Exception e)
                {
                    // Whatever escaped (out of memory, a bug) leaves the writer's state unknown: stop
                    // writing, and fail the jobs in hand (those already done keep their results).
                    _fatal = e;
                    foreach (var job in group) job.Fail(Errors.WriterFailed(e));
                }
            }
        }
        finally
        {
            _database.ReleaseWriter();
            _onStopped?.Invoke();
        }
    }

    /// <summary>Runs a group in order: transactions gather into commits per branch; a branch change waits for the commits before it.</summary>
    private void RunGroup(List<WriterJob> group, List<PendingTx> transactions)
    {
        foreach (var job in group)
        {
            if (job is PendingTx tx)
            {
                transactions.Add(tx);
                continue;
            }
            CommitEach(transactions);
            if (_fatal is { } failed) job.Fail(Errors.WriterFailed(failed));
            else RunChange((BranchJob)job);
        }
        CommitEach(transactions);
    }

    /// <summary>Commits <paramref name="transactions"/>: one commit per branch, each branch's in their order; then clears the list.</summary>
    private void CommitEach(List<PendingTx> transactions)
    {
        if (transactions.Count == 0) return;
        var first = transactions[0].Branch;
        if (transactions.TrueForAll(t => t.Branch == first))
        {
            CommitGroup(first, transactions, []);
        }
        else
        {
            foreach (var branch in transactions.Select(t => t.Branch).Distinct().ToList()) CommitGroup(branch, transactions.FindAll(t => t.Branch == branch), []);
        }
        transactions.Clear();
    }

    /// <summary>
    /// Applies <paramref name="group"/> on <paramref name="branch"/>'s head and writes it as one commit.
    /// When the commit cannot be built from their data (a value the store cannot hold that got past the
    /// transactor), the group's transactions are committed again one by one, so that only the one
    /// holding it fails.
    /// </summary>
    private void CommitGroup(BranchHead branch, List<PendingTx> group, IReadOnlyList<CommitInfo> merged)
    {
        if (_fatal is { } fatal)
        {
            group.ForEach(t => t.Fail(Errors.WriterFailed(fatal)));
            return;
        }
        if (Apply(branch, group) is not var (applied, state)) return;
        PreparedCommit commit;
        try
        {
            commit = _database.Prepare(branch, state, merged);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Nothing was written: the writer goes on from the head.
            if (applied.Count == 1) applied[0].Pending.Fail(e);
            else applied.ForEach(a => CommitGroup(branch, [a.Pending], merged));
            return;
        }
        Write(new Batch(branch, applied, commit));
    }

    /// <summary>
    /// Runs a branch change. Its failure is its caller's (an invalid name, a missing commit, a merge
    /// strategy that threw), except one the store reported: a conflict on a head (another writer moved
    /// it, and going on would lose updates) or a failed store operation (<c>storage/io</c>, which only
    /// the store raises: what reached the disk is unknown). Those stop the writer, as a failed commit does.
    /// </summary>
    private void RunChange(BranchJob change)
    {
        t_running = this;
        try
        {
            // storage/io comes only from the store (ReportingStore): the store write failed, and its state is unknown.
            if (change.Run() is HikeException { Code: ErrorCodes.DbWriterConflict or ErrorCodes.StorageIo } failure) _fatal = failure;
        }
        finally
        {
            t_running = null;
        }
    }

    /// <summary>
    /// Takes what is queued, then keeps taking while more keeps arriving (briefly: submitters woken by
    /// the previous commit are still coming back), so one commit serves as many of them as it can.
    /// </summary>
    private void Gather(ChannelReader<WriterJob> reader, List<WriterJob> group)
    {
        long deadline = System.Diagnostics.Stopwatch.GetTimestamp() + _gatherTicks;
        while (group.Count < MaxGroup)
        {
            if (reader.TryRead(out var pending))
            {
                group.Add(pending);
                continue;
            }
            // Waiting pays only until as many have come back as joined the last commit.
            if (group.Count >= _lastGroup || System.Diagnostics.Stopwatch.GetTimestamp() > deadline) break;
            Thread.Yield();
        }
        _lastGroup = group.Count;
    }

    /// <summary>Applies a group's transactions on <paramref name="branch"/>'s head; null when none applied.</summary>
    private (List<(PendingTx Pending, DbState Before, TxResult Result)> Applied, DbState After)? Apply(BranchHead branch, List<PendingTx> group)
    {
        DbState state;
        try
        {
            state = _database.WriterHead(branch);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not being able to write (another process holds the database, the branch is gone) fails these transactions, not the writer.
            foreach (var p in group) p.Fail(e);
            return null;
        }
        var applied = new List<(PendingTx Pending, DbState Before, TxResult Result)>(group.Count);
        t_running = this;
        try
        {
            foreach (var pending in group)
            {
                if (pending.CancellationToken.IsCancellationRequested)
                {
                    pending.Cancel();
                    continue;
                }
                try
                {
                    var result = TxProcessor.Run(state, pending.Data, pending.Meta, pending.Functions, DateTime.UtcNow, pending.Ahead);
                    applied.Add((pending, state, result));
                    state = result.After;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    pending.Fail(e);
                }
                finally
                {
                    pending.Ahead?.Release();
                }
            }
        }
        finally
        {
            t_running = null;
        }
        return applied.Count == 0 ? null : (applied, state);
    }

    /// <summary>Writes a batch's commit, then reports to listeners and submitters; a failed write is fatal.</summary>
    private void Write(Batch batch)
    {
        DbState committed;
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            committed = _database.Persist(batch.Branch, batch.Commit);
            WriterMetrics.Committed(batch.Applied.Count, started);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _fatal = e;
            batch.Fail(e);
            return;
        }
        var applied = batch.Applied;
        var outcomes = new WriteOutcome[applied.Count];
        for (int i = 0; i < applied.Count; i++)
        {
            var (_, before, result) = applied[i];
            outcomes[i] = new WriteOutcome(before, i == applied.Count - 1 ? committed : result.After, result, committed.Commit!);
        }
        t_running = this;
        try
        {
            // Listeners run before the submitters resume, as in Datahike: a transaction returns after its listeners ran.
            foreach (var outcome in outcomes) batch.Branch.Notify(outcome);
        }
        finally
        {
            t_running = null;
            // Committed is committed, even when a listener brought the writer down.
            for (int i = 0; i < outcomes.Length; i++) applied[i].Pending.Complete(outcomes[i]);
        }
    }

    /// <summary>A group's applied transactions and the commit built for them.</summary>
    private sealed record Batch(BranchHead Branch, List<(PendingTx Pending, DbState Before, TxResult Result)> Applied, PreparedCommit Commit)
    {
        public void Fail(Exception cause)
        {
            foreach (var (pending, _, _) in Applied) pending.Fail(Errors.WriterFailed(cause));
        }
    }
}
