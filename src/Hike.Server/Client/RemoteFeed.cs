using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text;
using Hike.Edn;
using Hike.Server.Formats;
using Hike.Server.Handles;
using Hike.Db;
using Hike.Writing;

namespace Hike.Server.Client;

/// <summary>
/// A branch's commits on a server, followed through its <c>/listen</c> stream for the listeners of a
/// connection whose writer is the server: each transaction reaches them once, in commit order. The
/// stream is only a signal of what to deliver: when it breaks, it is opened again from the last event
/// delivered, and whatever the server could not send (a gap while it was down, a <c>resync</c>, a
/// report cut short) is read from the shared store by walking the commits back to the last one
/// delivered. Listeners run on the feed's own task, one at a time. Thread-safe.
/// </summary>
internal sealed class RemoteFeed : IDisposable
{
    /// <summary>How far back a gap is walked before the feed gives up on it and goes on from the newest commit.</summary>
    private const int MaxGapCommits = 100_000;

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);
    private static readonly Keyword DbKey = Keyword.Intern("db");
    private static readonly Keyword CommitIdKey = Keyword.Intern("commit-id");
    private static readonly Keyword TxKey = Keyword.Intern("tx");
    private static readonly Keyword TruncatedKey = Keyword.Intern("truncated");

    private readonly ServerClient _server;
    private readonly Func<CancellationToken, Task<ConnectionHandle>> _connect;
    private readonly RemoteOutcomes _outcomes;
    private readonly BranchHead _branch;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private Guid _lastCommit;
    private long _lastTx;

    /// <summary>Follows <paramref name="branch"/> from its head as the store has it now, calling <paramref name="listeners"/> with each later transaction.</summary>
    public RemoteFeed(ServerClient server, Func<CancellationToken, Task<ConnectionHandle>> connect, RemoteOutcomes outcomes, BranchHead branch, Listeners listeners)
    {
        _server = server;
        _connect = connect;
        _outcomes = outcomes;
        _branch = branch;
        Listeners = listeners;
        var head = branch.Refresh();
        _lastCommit = head.Commit?.Id ?? Guid.Empty;
        _lastTx = head.MaxTx;
        _running = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Who is told of each transaction.</summary>
    public Listeners Listeners { get; }

    /// <summary>Stops following: no listener is called after this returns, except one already running.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _ = _running.ContinueWith(_ => _stop.Dispose(), TaskScheduler.Default);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var handle = await _connect(cancellationToken).ConfigureAwait(false);
                string query = $"/listen?store={Uri.EscapeDataString(handle.Backend.FullName + ":" + handle.StoreId)}&branch={Uri.EscapeDataString(_branch.Name.FullName)}&f=edn&since={_lastCommit}/{_lastTx.ToString(CultureInfo.InvariantCulture)}";
                using var response = await _server.OpenStreamAsync(query, cancellationToken).ConfigureAwait(false);
                using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                var events = SseParser.Create(stream, (_, data) => WireFormat.Edn.Read(data.ToArray()));
                await foreach (var item in events.EnumerateAsync(cancellationToken).ConfigureAwait(false))
                {
                    delay = TimeSpan.FromMilliseconds(100);
                    Deliver(item.EventType, item.Data as EdnMap ?? throw ServerErrors.BadAnswer("an event carrying a map", item.Data), cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                System.Diagnostics.Trace.TraceWarning($"Hike: the change feed of {_server.Url} broke, reopening it in {delay.TotalMilliseconds} ms: {e.Message}");
            }
            try
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = delay * 2 > MaxRetryDelay ? MaxRetryDelay : delay * 2;
        }
    }

    /// <summary>Delivers what an event says was committed: everything after the last transaction delivered up to it.</summary>
    private void Deliver(string type, EdnMap data, CancellationToken cancellationToken)
    {
        if (type == "report")
        {
            var commit = data.Get(CommitIdKey) as Guid? ?? throw ServerErrors.BadAnswer("a report naming its commit", data);
            long tx = data.Get(TxKey) as long? ?? throw ServerErrors.BadAnswer("a report naming its transaction", data);
            if (commit == _lastCommit && tx <= _lastTx) return;
            CatchUp(commit, tx - 1, cancellationToken);
            if (data.Get(TruncatedKey) is true) CatchUp(commit, tx, cancellationToken);
            else Notify(_outcomes.FromReport(_branch, commit, null, data), commit, tx);
        }
        else if (type == "resync")
        {
            var db = (data.Get(DbKey) as Tagged)?.Value as EdnMap;
            var commit = db?.Get(CommitIdKey) as Guid? ?? throw ServerErrors.BadAnswer("a resync naming a commit", data);
            CatchUp(commit, long.MaxValue, cancellationToken);
        }
    }

    /// <summary>Delivers, from the store, every transaction after the last delivered up to transaction <paramref name="untilTx"/> of <paramref name="commit"/>.</summary>
    private void CatchUp(Guid commit, long untilTx, CancellationToken cancellationToken)
    {
        if (commit != _lastCommit)
        {
            // The commits since the last one delivered, newest first, through first parents (a merge's first parent is the branch it was made on).
            var path = new List<CommitInfo>();
            for (var at = _outcomes.CommitOf(commit); at is not null && at.Id != _lastCommit && path.Count < MaxGapCommits; at = at.Parents.Count > 0 ? _outcomes.CommitOf(at.Parents[0]) : null)
            {
                path.Add(at);
            }
            // DATAHIKE: a branch moved to a commit that does not descend from the last one delivered has no transactions in between to report: the feed goes on from its new head.
            if (path.Count > 0 && path[^1].Parents is [var parent, ..] && parent == _lastCommit)
            {
                Replay(_lastCommit, _lastTx, long.MaxValue, cancellationToken);
                for (int i = path.Count - 1; i > 0; i--) Replay(path[i].Id, 0, long.MaxValue, cancellationToken);
            }
            _lastCommit = commit;
            _lastTx = 0;
        }
        Replay(commit, _lastTx, untilTx, cancellationToken);
        _lastTx = Math.Max(_lastTx, Math.Min(untilTx, _outcomes.StateOf(_branch, commit).MaxTx));
    }

    private void Replay(Guid commit, long afterTx, long untilTx, CancellationToken cancellationToken)
    {
        foreach (var outcome in _outcomes.FromStore(_branch, commit, afterTx, untilTx))
        {
            cancellationToken.ThrowIfCancellationRequested();
            Notify(outcome, commit, outcome.Result.TxData[0].Tx);
        }
    }

    private void Notify(WriteOutcome outcome, Guid commit, long tx)
    {
        Listeners.Notify(outcome);
        _lastCommit = commit;
        _lastTx = tx;
    }
}
