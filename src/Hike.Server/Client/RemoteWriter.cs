using Hike.Api;
using Hike.Db;
using Hike.Edn;
using Hike.Server.Formats;
using Hike.Server.Handles;
using Hike.Transactions;
using Hike.Versioning;
using Hike.Writing;

namespace Hike.Server.Client;

/// <summary>
/// A connection's writer on a Hike (or Datahike) server (<c>:writer {:backend :datahike-server :url …
/// :token …}</c>): transactions and branch changes go to the server as EDN, which commits them to the
/// shared store; the answer names the commits, and their states are read from the store here, as every
/// read of this connection is. A transaction completes once the server's commit is durable, with the same
/// report a local one gives — except that a transaction the server committed together with others
/// reports the states of their commit and of the one before it, which this process can read, rather than
/// the states between them. Thread-safe.
/// </summary>
internal sealed class RemoteWriter : IWriter
{
    private static readonly Keyword TxDataKey = Keyword.Intern("tx-data");
    private static readonly Keyword TxMetaKey = Keyword.Intern("tx-meta");
    private static readonly Keyword DbBeforeKey = Keyword.Intern("db-before");
    private static readonly Keyword DbAfterKey = Keyword.Intern("db-after");
    private static readonly Keyword CommitIdKey = Keyword.Intern("commit-id");

    private readonly ServerClient _server;
    private readonly object _config;
    private readonly RemoteOutcomes _outcomes;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private readonly Lock _feedsLock = new();
    private readonly Dictionary<Keyword, RemoteFeed> _feeds = [];
    private ConnectionHandle? _handle;
    private volatile bool _closed;

    public RemoteWriter(ServerClient server, DatabaseConfig config, DatabaseRuntime runtime)
    {
        _server = server;
        _config = server.Config(config.ToEdn());
        _outcomes = new RemoteOutcomes(runtime);
    }

    public Task Stopped => _stopped.Task;

    public async Task<WriteOutcome> TransactAsync(BranchHead branch, object? data, object? meta, ITxCallbacks functions, CancellationToken cancellationToken)
    {
        var report = await CallOnAsync("transact", handle => [handle, EdnMap.Of(TxDataKey, data, TxMetaKey, meta)], cancellationToken).ConfigureAwait(false);
        return Outcome(branch, report);
    }

    public async Task<WriteOutcome> MergeAsync(BranchHead branch, IReadOnlyList<object> parents, object? data, object? meta, ITxCallbacks functions, CancellationToken cancellationToken)
    {
        var report = await CallOnAsync("merge-db", handle => [handle, EdnVector.From(parents), data, meta], cancellationToken).ConfigureAwait(false);
        return Outcome(branch, report);
    }

    /// <summary><c>/merge-branch</c>: a strategy is sent by name, so only <see cref="MergeStrategy.Ours"/> and <see cref="MergeStrategy.Theirs"/> (or none) go to a server.</summary>
    public async Task<WriteOutcome?> MergeBranchAsync(BranchHead branch, object source, MergeStrategy? strategy, object? meta, ITxCallbacks functions, CancellationToken cancellationToken)
    {
        var named = strategy is null ? null
            : ReferenceEquals(strategy, MergeStrategy.Ours) ? Keyword.Intern("ours")
            : ReferenceEquals(strategy, MergeStrategy.Theirs) ? Keyword.Intern("theirs")
            : throw Errors.ConnectionRemote("MergeBranchAsync with a strategy of your own (only MergeStrategy.Ours and .Theirs have names a server knows)");
        var report = await CallOnAsync("merge-branch", handle => [handle, source, named, meta], cancellationToken).ConfigureAwait(false);
        return report is null ? null : Outcome(branch, report);
    }

    public async Task CreateBranchAsync(Keyword name, object from) =>
        await CallOnAsync("branch", handle => [handle, from, name], CancellationToken.None).ConfigureAwait(false);

    public async Task DeleteBranchAsync(Keyword name) =>
        await CallOnAsync("delete-branch", handle => [handle, name], CancellationToken.None).ConfigureAwait(false);

    public Task<Guid> ForceBranchAsync(Keyword name, DbState state, IReadOnlyList<object> parents, Guid? expectedHead) =>
        throw Errors.ConnectionRemote("ForceBranchAsync");

    /// <summary>The server holds the store's writer lock: nothing to take here.</summary>
    public Task AcquireAsync() => Task.CompletedTask;

    public async Task<Func<CancellationToken, int>> StartCollectionAsync(DateTime removeBefore)
    {
        await HandleAsync(CancellationToken.None).ConfigureAwait(false);
        return cancellationToken => Convert.ToInt32(CallOnAsync("gc-storage", handle => [handle, removeBefore], cancellationToken).GetAwaiter().GetResult(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Follows the branch's commits on the server (<c>/listen</c>), one stream per branch for all of this connection's listeners.</summary>
    public IDisposable Listen(BranchHead branch, Action<WriteOutcome> listener)
    {
        lock (_feedsLock)
        {
            if (_closed) throw ServerErrors.Released();
            if (!_feeds.TryGetValue(branch.Name, out var feed))
            {
                feed = new RemoteFeed(_server, ConnectAsync, _outcomes, branch, new Listeners());
                _feeds[branch.Name] = feed;
            }
            return feed.Listeners.Add(listener, removed: () => StopIfUnheard(branch.Name, feed));
        }
    }

    /// <summary>Stops sending and following: later calls fail with <c>connection/released</c>. The server's connection stays, other clients' too.</summary>
    public void Close()
    {
        lock (_feedsLock)
        {
            _closed = true;
            foreach (var feed in _feeds.Values) feed.Dispose();
            _feeds.Clear();
        }
        _server.Dispose();
        _stopped.TrySetResult();
    }

    private void StopIfUnheard(Keyword branch, RemoteFeed feed)
    {
        lock (_feedsLock)
        {
            if (feed.Listeners.Count > 0 || !_feeds.Remove(branch, out var open) || open != feed) return;
            feed.Dispose();
        }
    }

    /// <summary>The server's handle of this database's connection (<c>/connect</c>), asked for once.</summary>
    private async Task<ConnectionHandle> HandleAsync(CancellationToken cancellationToken)
    {
        if (_handle is { } known) return known;
        await _connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _handle ??= await ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _connecting.Release();
        }
    }

    /// <summary>Opens the connection on the server (again, after the server restarted: <c>/connect</c> of an open one answers its handle).</summary>
    private async Task<ConnectionHandle> ConnectAsync(CancellationToken cancellationToken)
    {
        var answer = await CallAsync("connect", [_config], cancellationToken).ConfigureAwait(false);
        return ConnectionHandle.From((answer as Tagged)?.Value) ?? throw ServerErrors.BadAnswer("a connection", answer);
    }

    /// <summary>
    /// Calls <paramref name="route"/> on this database's connection (the first argument its handle); a
    /// server that no longer knows the handle (it restarted) ran nothing, and the call is made once more
    /// after connecting again.
    /// </summary>
    private async Task<object?> CallOnAsync(string route, Func<Tagged, object?[]> args, CancellationToken cancellationToken)
    {
        var handle = await HandleAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await CallAsync(route, args(HandleArg(handle)), cancellationToken).ConfigureAwait(false);
        }
        catch (HikeException e) when (e.Code == ServerErrorCodes.UnknownHandle)
        {
            Interlocked.CompareExchange(ref _handle, null, handle);
            return await CallAsync(route, args(HandleArg(await HandleAsync(cancellationToken).ConfigureAwait(false))), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<object?> CallAsync(string route, object?[] args, CancellationToken cancellationToken)
    {
        if (_closed) throw ServerErrors.Released();
        return await _server.CallAsync(route, args, cancellationToken).ConfigureAwait(false);
    }

    private static Tagged HandleArg(ConnectionHandle handle) => new(WireValues.ConnectionTag, handle.ToValue());

    /// <summary>A local outcome for the server's transaction report, its states read from the store.</summary>
    private WriteOutcome Outcome(BranchHead branch, object? answer)
    {
        var report = (answer as Tagged)?.Value as EdnMap ?? throw ServerErrors.BadAnswer("a transaction report", answer);
        var commit = report.Get(WireValues.CommitKey) as Guid? ?? CommitOf(report.Get(DbAfterKey)) ?? throw ServerErrors.BadAnswer("a report naming its commit", answer);
        return _outcomes.FromReport(branch, commit, CommitOf(report.Get(DbBeforeKey)), report);
    }

    /// <summary>The commit a database handle names; null when it names none (a state between the commits of a group).</summary>
    private static Guid? CommitOf(object? db) =>
        (db as Tagged)?.Value is EdnMap map ? map.Get(CommitIdKey) as Guid? : throw ServerErrors.BadAnswer("a database handle", db);

}
