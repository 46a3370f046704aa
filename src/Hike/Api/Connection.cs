using Hike.Db;
using Hike.Writing;

namespace Hike.Api;

/// <summary>
/// A connection to a database: its current value (<see cref="Db"/>) and its writer. Transactions on
/// one database run one at a time, in the order they arrive. Thread-safe.
/// </summary>
public sealed partial class Connection : IDisposable, IAsyncDisposable
{
    private readonly DatabaseRuntime _runtime;
    private readonly IWriter _writer;
    private Database? _cached;
    private TxReport? _lastReport;
    private int _releasedFlag;

    internal Connection(DatabaseRuntime runtime, DatabaseConfig config)
    {
        _runtime = runtime;
        _writer = config.RemoteWriter is { } remote ? WriterBackends.Open(remote, config, runtime) : runtime.Writer;
        Config = config;
        Branch = runtime.Branch(config.Branch);
    }

    /// <summary>The configuration this connection was opened with; its <see cref="DatabaseConfig.Branch"/> is the branch it reads and writes.</summary>
    public DatabaseConfig Config { get; }

    /// <summary>The branch this connection reads and writes.</summary>
    internal BranchHead Branch { get; }

    /// <summary>The open database this connection is to.</summary>
    internal DatabaseRuntime Runtime => _runtime;

    /// <summary>
    /// The current database value, the same instance until the next commit. O(1) in memory and in the
    /// writing process; a process that reads a durable database another process writes re-reads the
    /// branch head (one small read) and opens the newest commit when it moved.
    /// </summary>
    public Database Db
    {
        get
        {
            EnsureOpen();
            var head = Branch.Head;
            var cached = _cached;
            if (cached is not null && ReferenceEquals(cached.State, head)) return cached;
            var db = new Database(DbView.Of(head), Config.Functions, Config.QueryLimits);
            _cached = db;
            return db;
        }
    }

    /// <summary>The database value of <paramref name="state"/>: the one <see cref="Db"/> handed out when it is that state.</summary>
    internal Database DatabaseOf(DbState state)
    {
        var cached = _cached;
        return cached is not null && ReferenceEquals(cached.State, state) ? cached : new Database(DbView.Of(state), Config.Functions, Config.QueryLimits);
    }

    /// <summary>
    /// Transacts <paramref name="txData"/> (EDN text, a sequence of entity maps and operations, or
    /// Datahike's <c>{:tx-data [...] :tx-meta {...}}</c>) with optional metadata for the transaction
    /// entity. Completes when the transaction's commit is durable; transactions submitted while a
    /// commit is in flight share the next commit.
    /// </summary>
    public Task<TxReport> TransactAsync(object? txData, object? txMeta = null, CancellationToken cancellationToken = default) =>
        TransactCore(txData, txMeta, async: true, cancellationToken);

    /// <summary>As <see cref="TransactAsync"/>, blocking until the transaction is committed.</summary>
    public TxReport Transact(object? txData, object? txMeta = null) =>
        TransactCore(txData, txMeta, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Calls <paramref name="listener"/> with the report of every later transaction; dispose the result to stop.</summary>
    public IDisposable Listen(Action<TxReport> listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        EnsureOpen();
        return _writer.Listen(Branch, outcome => listener(ReportOf(outcome)));
    }

    /// <summary>
    /// Collects garbage: keeps every branch head, and the commits made at or after
    /// <paramref name="removeBefore"/> reachable from them through their parents, with everything they
    /// reach; deletes the rest (the commits of deleted branches, older history). In a durable store,
    /// objects written after the collection started are never deleted, so the writer and readers of
    /// recent snapshots keep working. Returns the number of objects deleted (in memory: commits dropped).
    /// </summary>
    public async Task<int> GcStorageAsync(DateTime removeBefore, CancellationToken cancellationToken = default)
    {
        EnsureOpen();
        var sweep = await _writer.StartCollectionAsync(removeBefore).ConfigureAwait(false);
        return await Task.Run(() => sweep(cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Releases the connection; later calls on it fail. Releasing the last connection to a durable
    /// database waits for its queued transactions and closes its store (freeing the writer lock).
    /// Database values already taken stay readable while another connection keeps the database open.
    /// </summary>
    public void Release() => ReleaseAsync().GetAwaiter().GetResult();

    /// <summary>
    /// As <see cref="Release"/>, without blocking a thread: the task completes when the database's store
    /// is closed (at once when other connections keep it open). Calling it again does nothing.
    /// </summary>
    public Task ReleaseAsync()
    {
        if (Interlocked.Exchange(ref _releasedFlag, 1) != 0) return Task.CompletedTask;
        // A remote writer is this connection's own; the runtime's writer is every local connection's.
        if (!ReferenceEquals(_writer, _runtime.Writer)) _writer.Close();
        return Database.DisconnectAsync(_runtime);
    }

    /// <summary>Releases the connection (<see cref="Release"/>).</summary>
    public void Dispose() => Release();

    /// <summary>Releases the connection (<see cref="ReleaseAsync"/>): <c>await using var conn = await Database.ConnectAsync(config);</c>.</summary>
    public ValueTask DisposeAsync() => new(ReleaseAsync());

    private async Task<TxReport> TransactCore(object? txData, object? txMeta, bool async, CancellationToken cancellationToken)
    {
        EnsureOpen();
        var (data, meta) = TxInput.Parse(txData, txMeta);
        var task = _writer.TransactAsync(Branch, data, meta, Config.Functions, cancellationToken);
        var report = ReportOf(async ? await task.ConfigureAwait(false) : task.GetAwaiter().GetResult());
        if (ReferenceEquals(report.DbAfter.State, Branch.Known)) _cached = report.DbAfter;
        return report;
    }

    /// <summary>
    /// The report of a committed transaction, with this connection's database values: one instance for
    /// its listeners and its submitter, as Datahike hands both the same report.
    /// </summary>
    private TxReport ReportOf(WriteOutcome outcome)
    {
        var last = _lastReport;
        if (last is not null && ReferenceEquals(last.Outcome, outcome)) return last;
        var report = DatabaseOf(outcome.Before).ToReport(outcome);
        _lastReport = report;
        return report;
    }

    private void EnsureOpen()
    {
        if (Volatile.Read(ref _releasedFlag) != 0) throw Errors.ConnectionReleased();
    }
}
