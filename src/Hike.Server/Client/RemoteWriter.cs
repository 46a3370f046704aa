using System.Net.Http.Headers;
using System.Text;
using Hike.Api;
using Hike.Db;
using Hike.Edn;
using Hike.Index.Datoms;
using Hike.Server.Formats;
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
    private static readonly Keyword TempIdsKey = Keyword.Intern("tempids");
    private static readonly Keyword CommitIdKey = Keyword.Intern("commit-id");
    private static readonly Keyword MsgKey = Keyword.Intern("msg");
    private static readonly Keyword ExDataKey = Keyword.Intern("ex-data");
    private static readonly Keyword TypeKey = Keyword.Intern("type");

    private readonly HttpClient _http;
    private readonly string _configText;
    private readonly DatabaseRuntime _runtime;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private string? _handle;
    private volatile bool _closed;

    public RemoteWriter(Uri url, string? token, DatabaseConfig config, DatabaseRuntime runtime)
    {
        _http = new HttpClient { BaseAddress = url, Timeout = Timeout.InfiniteTimeSpan };
        if (token is not null) _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", token);
        _configText = EdnPrinter.Print(config.ToEdn());
        _runtime = runtime;
    }

    public Task Stopped => _stopped.Task;

    public async Task<WriteOutcome> TransactAsync(BranchHead branch, object? data, object? meta, ITxCallbacks functions, CancellationToken cancellationToken)
    {
        var report = await CallAsync("transact", [await HandleAsync(cancellationToken).ConfigureAwait(false), Edn(EdnMap.Of(TxDataKey, data, TxMetaKey, meta))], cancellationToken).ConfigureAwait(false);
        return Outcome(branch, report);
    }

    public async Task<WriteOutcome> MergeAsync(BranchHead branch, IReadOnlyList<object> parents, object? data, object? meta, ITxCallbacks functions, CancellationToken cancellationToken)
    {
        var report = await CallAsync("merge-db", [await HandleAsync(cancellationToken).ConfigureAwait(false), Edn(EdnVector.From(parents)), Edn(data), Edn(meta)], cancellationToken).ConfigureAwait(false);
        return Outcome(branch, report);
    }

    public Task<WriteOutcome?> MergeBranchAsync(BranchHead branch, object source, MergeStrategy? strategy, object? meta, ITxCallbacks functions, CancellationToken cancellationToken) =>
        throw Errors.ConnectionRemote("MergeBranchAsync");

    public async Task CreateBranchAsync(Keyword name, object from) =>
        await CallAsync("branch", [await HandleAsync(CancellationToken.None).ConfigureAwait(false), Edn(from), Edn(name)], CancellationToken.None).ConfigureAwait(false);

    public async Task DeleteBranchAsync(Keyword name) =>
        await CallAsync("delete-branch", [await HandleAsync(CancellationToken.None).ConfigureAwait(false), Edn(name)], CancellationToken.None).ConfigureAwait(false);

    public Task<Guid> ForceBranchAsync(Keyword name, DbState state, IReadOnlyList<object> parents, Guid? expectedHead) =>
        throw Errors.ConnectionRemote("ForceBranchAsync");

    /// <summary>The server holds the store's writer lock: nothing to take here.</summary>
    public Task AcquireAsync() => Task.CompletedTask;

    public async Task<Func<CancellationToken, int>> StartCollectionAsync(DateTime removeBefore)
    {
        string handle = await HandleAsync(CancellationToken.None).ConfigureAwait(false);
        return cancellationToken => Convert.ToInt32(CallAsync("gc-storage", [handle, Edn(removeBefore)], cancellationToken).GetAwaiter().GetResult(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Stops sending: later calls fail with <c>connection/released</c>. The server's connection stays, other clients' too.</summary>
    public void Close()
    {
        _closed = true;
        _http.Dispose();
        _stopped.TrySetResult();
    }

    /// <summary>The server's handle of this database's connection, asked for once (<c>/connect</c>).</summary>
    private async Task<string> HandleAsync(CancellationToken cancellationToken)
    {
        if (_handle is { } known) return known;
        await _connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _handle ??= Edn(await CallAsync("connect", [_configText], cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            _connecting.Release();
        }
    }

    /// <summary>Posts <paramref name="args"/> (EDN texts) to <c>/<paramref name="route"/></c>; the answer read, or the server's error as the <see cref="HikeException"/> it was.</summary>
    private async Task<object?> CallAsync(string route, string[] args, CancellationToken cancellationToken)
    {
        if (_closed) throw ServerErrors.Released();
        using var content = new StringContent("[" + string.Join(' ', args) + "]", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(WireFormat.Edn.MediaType);
        HttpResponseMessage response;
        try
        {
            response = await _http.PostAsync("/" + route, content, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw ServerErrors.Unreachable(_http.BaseAddress!, e);
        }
        using (response)
        {
            var answer = WireFormat.Edn.Read(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
            if (response.IsSuccessStatusCode) return answer;
            var error = answer as EdnMap;
            var code = (error?.Get(ExDataKey) as EdnMap)?.Get(TypeKey) as Keyword;
            throw ServerErrors.FromServer(code?.FullName, error?.Get(MsgKey) as string ?? $"/{route} answered {(int)response.StatusCode}");
        }
    }

    /// <summary>A local outcome for the server's report: the states of its two commits as this process reads them from the store, and its datoms.</summary>
    private WriteOutcome Outcome(BranchHead branch, object? answer)
    {
        var report = (answer as Tagged)?.Value as EdnMap ?? throw ServerErrors.BadAnswer("a transaction report", answer);
        // A transaction the server committed with others has no commit of its own: its states are the group's commit and the one before it.
        var commit = report.Get(WireValues.CommitKey) as Guid? ?? CommitOf(report.Get(DbAfterKey)) ?? throw ServerErrors.BadAnswer("a report naming its commit", answer);
        var after = StateOf(branch, commit);
        var before = CommitOf(report.Get(DbBeforeKey)) is { } own ? StateOf(branch, own)
            : after.Commit!.Parents.Count > 0 ? StateOf(branch, after.Commit.Parents[0])
            : throw ServerErrors.BadAnswer("a report whose commit has a parent", answer);
        var view = DbView.Of(after);
        var datoms = (report.Get(TxDataKey) as IEnumerable<object?> ?? []).Select(d => IndexDatomOf(d, after, view)).ToList();
        var tempIds = (report.Get(TempIdsKey) as EdnMap ?? EdnMap.Empty).ToDictionary(kv => kv.Key, kv => kv.Value is long id ? id : throw ServerErrors.BadAnswer("tempids mapped to ids", kv.Value));
        return new WriteOutcome(before, after, new TxResult(after, datoms, tempIds, report.Get(TxMetaKey)), after.Commit!);
    }

    /// <summary>The state of commit <paramref name="id"/>: the branch's head when it is that commit (read afresh from the store), else the commit found in the log.</summary>
    private DbState StateOf(BranchHead branch, Guid id)
    {
        var head = branch.Refresh();
        if (head.Commit?.Id == id) return head;
        var commit = _runtime.Log.FindCommit(id) ?? throw ServerErrors.BadAnswer($"a commit the store holds, not {id}", id);
        return _runtime.LoadCommit(commit);
    }

    /// <summary>The commit a database handle names; null when it names none (a state between the commits of a group).</summary>
    private static Guid? CommitOf(object? db) =>
        (db as Tagged)?.Value is EdnMap map ? map.Get(CommitIdKey) as Guid? : throw ServerErrors.BadAnswer("a database handle", db);

    /// <summary>A datom of the report (<c>#datahike/Datom [e a v tx added]</c>) as the index holds it, by <paramref name="state"/>'s schema.</summary>
    private static IndexDatom IndexDatomOf(object? datom, DbState state, DbView view)
    {
        if (datom is not EdnSequence { Count: 5 } d || d[0] is not long e || d[1] is not Keyword a || d[3] is not long tx || d[4] is not bool added || d[2] is not { } v)
            throw ServerErrors.BadAnswer("datoms [e a v tx added]", datom);
        if (!state.Schema.TryGet(a, out var attribute)) throw ServerErrors.BadAnswer($"datoms of attributes in the schema, not {a}", datom);
        return new IndexDatom(e, attribute.Id, view.StoredValue(attribute, v) ?? v, tx, added);
    }

    private static string Edn(object? value) => EdnPrinter.Print(value);
}
