using System.Text;
using System.Threading.Channels;
using Hike.Api;
using Hike.Edn;
using Hike.Server.Formats;
using Hike.Server.Handles;
using Microsoft.AspNetCore.Http;

namespace Hike.Server.Routes;

/// <summary>
/// <c>GET /listen?store=&lt;backend&gt;:&lt;id&gt;&amp;branch=&lt;name&gt;&amp;since=&lt;commit-id&gt;</c>: a connection's
/// commits as server-sent events, in Datahike's tagged JSON (<c>&amp;f=edn</c> for EDN). Each transaction is a
/// <c>report</c> event, its id <c>&lt;commit-id&gt;/&lt;tx&gt;</c> (transactions committed together share their
/// commit): <c>{"db": …, "commit-id": …, "tx": …, "tx-data": [...], "truncated": false, "tempids": {…}, "tx-meta": …}</c>,
/// with at most <see cref="ServerConfig.ListenMaxDatoms"/> datoms.
/// A <c>resync</c> event (<c>{"db": …}</c>) says to read the database afresh: first, when <c>since</c> (or
/// <c>Last-Event-ID</c>) names another commit than the head, or an event before the head's last transaction, and whenever the client fell so far behind
/// that reports were dropped. A comment line every <see cref="ServerConfig.Heartbeat"/> keeps a quiet
/// stream open. The connection must be open on the server (<c>/connect</c>).
/// </summary>
internal sealed class ChangeFeed(ServerConfig config, ServerConnections connections, ServerGate gate, WireValues wire)
{
    /// <summary>How many reports wait for a slow client before it is told to resync instead.</summary>
    private const int Backlog = 1024;

    private static readonly Keyword DbKey = Keyword.Intern("db");

    public async Task ListenAsync(HttpContext http)
    {
        ConnectionHandle handle;
        Connection conn;
        WireFormat format;
        try
        {
            gate.AllowOrigin(http);
            gate.Authorize(http.Request, tokenInQuery: true);
            handle = HandleOf(http.Request);
            conn = connections.Get(handle);
            format = http.Request.Query["f"].ToString() is "edn" ? WireFormat.Edn : WireFormat.Json;
        }
        catch (HikeException e)
        {
            await ErrorAnswer.WriteAsync(http.Response, http.Request.Query["f"].ToString() is "edn" ? WireFormat.Edn : WireFormat.Json, e).ConfigureAwait(false);
            return;
        }

        var reports = Channel.CreateBounded<TxReport>(new BoundedChannelOptions(Backlog) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        int dropped = 0;
        // The listener runs on the writer: it only hands the report over.
        using var subscription = conn.Listen(report =>
        {
            if (!reports.Writer.TryWrite(report)) Interlocked.Exchange(ref dropped, 1);
        });
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        var since = http.Request.Query["since"].ToString() is { Length: > 0 } given ? given : http.Request.Headers["Last-Event-ID"].ToString();
        if (since.Length > 0 && !IsHead(since, conn.Db))
        {
            await SendAsync(http, format, "resync", null, EdnMap.Of(DbKey, wire.ToWire(conn.Db, handle))).ConfigureAwait(false);
        }
        else
        {
            await http.Response.Body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
        }
        try
        {
            while (!http.RequestAborted.IsCancellationRequested)
            {
                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
                quiet.CancelAfter(config.Heartbeat);
                bool ready;
                try
                {
                    ready = await reports.Reader.WaitToReadAsync(quiet.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
                {
                    await http.Response.WriteAsync(": heartbeat\n\n", http.RequestAborted).ConfigureAwait(false);
                    await http.Response.Body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
                    continue;
                }
                if (!ready) return;
                if (Interlocked.Exchange(ref dropped, 0) == 1)
                {
                    while (reports.Reader.TryRead(out _))
                    {
                    }
                    await SendAsync(http, format, "resync", null, EdnMap.Of(DbKey, wire.ToWire(conn.Db, handle))).ConfigureAwait(false);
                    continue;
                }
                while (reports.Reader.TryRead(out var report)) await SendAsync(http, format, "report", $"{CommitOf(report)}/{report.Tx}", Report(report, handle)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    /// <summary>
    /// Whether <paramref name="since"/>, a commit id or an event id <c>&lt;commit-id&gt;/&lt;tx&gt;</c>, leaves
    /// nothing of <paramref name="db"/> unsent: it names its commit, and (an event id) that commit's last transaction.
    /// </summary>
    private static bool IsHead(string since, Database db)
    {
        var parts = since.Split('/');
        return parts.Length <= 2 && Guid.TryParse(parts[0], out var commit) && commit == db.CommitId
            && (parts.Length == 1 || (long.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var tx) && tx >= db.MaxTx));
    }

    /// <summary>The connection <c>?store=backend:id&amp;branch=name</c> names (branch <c>db</c> by default).</summary>
    private static ConnectionHandle HandleOf(HttpRequest request)
    {
        string store = request.Query["store"].ToString();
        int colon = store.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == store.Length - 1) throw ServerErrors.BadRequest("/listen needs ?store=<backend>:<id>, the store of a connection this server holds (e.g. ?store=file:orders)");
        string branch = request.Query["branch"].ToString() is { Length: > 0 } b ? b.TrimStart(':') : "db";
        return new ConnectionHandle(Keyword.Intern(store[..colon].TrimStart(':')), store[(colon + 1)..], Keyword.Intern(branch));
    }

    private EdnMap Report(TxReport report, ConnectionHandle handle)
    {
        var datoms = report.TxData.Take(config.ListenMaxDatoms).Select(d => (object?)d);
        return EdnMap.Of(
            DbKey, wire.ToWire(report.DbAfter, handle),
            Keyword.Intern("commit-id"), CommitOf(report),
            Keyword.Intern("tx"), report.Tx,
            Keyword.Intern("tx-data"), EdnVector.From(datoms),
            Keyword.Intern("truncated"), report.TxData.Count > config.ListenMaxDatoms,
            Keyword.Intern("tempids"), DbPrinting.TempIds(report),
            Keyword.Intern("tx-meta"), report.TxMeta);
    }

    /// <summary>The commit that holds a transaction, also one committed together with others (whose own after-value names none).</summary>
    private static Guid? CommitOf(TxReport report) => report.Outcome?.Commit.Id ?? report.DbAfter.CommitId;

    private static async Task SendAsync(HttpContext http, WireFormat format, string name, string? id, object data)
    {
        var text = new StringBuilder();
        text.Append("event: ").Append(name).Append('\n');
        if (id is not null) text.Append("id: ").Append(id).Append('\n');
        // One data line: neither format puts a line break outside a string, where it is escaped.
        text.Append("data: ").Append(Encoding.UTF8.GetString(format.Write(data)).ReplaceLineEndings("\\n")).Append("\n\n");
        await http.Response.WriteAsync(text.ToString(), http.RequestAborted).ConfigureAwait(false);
        await http.Response.Body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
    }
}
