using Hike.Db;
using Hike.Transactions;

namespace Hike.Api;

/// <summary>
/// A connection to a database: its current value (<see cref="Db"/>) and its writer. Transactions on
/// one database run one at a time, in the order they arrive. Thread-safe.
/// </summary>
public sealed class Connection : IDisposable
{
    private readonly StoredDatabase _stored;
    private Database? _cached;
    private volatile bool _released;

    internal Connection(StoredDatabase stored, DatabaseConfig config)
    {
        _stored = stored;
        Config = config;
    }

    /// <summary>The configuration this connection was opened with.</summary>
    public DatabaseConfig Config { get; }

    /// <summary>The current database value. O(1); the same instance until the next transaction.</summary>
    public Database Db
    {
        get
        {
            EnsureOpen();
            var head = _stored.Head;
            var cached = _cached;
            if (cached is not null && ReferenceEquals(cached.State, head)) return cached;
            var db = new Database(DbView.Of(head), Config.Functions);
            _cached = db;
            return db;
        }
    }

    /// <summary>
    /// Transacts <paramref name="txData"/> (EDN text, a sequence of entity maps and operations, or
    /// Datahike's <c>{:tx-data [...] :tx-meta {...}}</c>) with optional metadata for the transaction
    /// entity. Completes when the transaction is committed.
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
        return _stored.AddListener(listener);
    }

    /// <summary>Releases the connection; later calls on it fail. Database values already taken stay readable.</summary>
    public void Release() => _released = true;

    /// <inheritdoc />
    public void Dispose() => Release();

    private async Task<TxReport> TransactCore(object? txData, object? txMeta, bool async, CancellationToken cancellationToken)
    {
        EnsureOpen();
        var (data, meta) = TxInput.Parse(txData, txMeta);
        if (async) await _stored.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        else _stored.WriteLock.Wait(cancellationToken);
        TxReport report;
        try
        {
            var before = Db;
            var result = TxProcessor.Run(before.State, data, meta, Config.Functions, DateTime.UtcNow);
            report = before.ToReport(result);
            _stored.Commit(result.After);
            _cached = report.DbAfter;
        }
        finally
        {
            _stored.WriteLock.Release();
        }
        _stored.Notify(report);
        return report;
    }

    private void EnsureOpen()
    {
        if (_released) throw Errors.ConnectionReleased();
    }
}
