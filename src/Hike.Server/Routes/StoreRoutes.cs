using System.Globalization;
using Hike.Edn;
using Hike.Index.Stored;
using Hike.Server.Formats;
using Hike.Server.Handles;
using Hike.Storage;
using Microsoft.AspNetCore.Http;

namespace Hike.Server.Routes;

/// <summary>
/// Hike's routes for remote peers (<c>:remote-peer</c>): a database's stored objects, read as they are
/// stored, so that a process without access to the store opens the database, queries it with its own
/// cache and follows its heads, all through the server. Read-only: writes go through the API routes.
/// <list type="bullet">
/// <item><c>GET /store/get?store=&lt;backend&gt;:&lt;id&gt;&amp;key=&lt;key&gt;[&amp;offset=N&amp;length=N]</c>: the value's bytes (or that range of them); 404 when there is no such key.</item>
/// <item><c>GET /store/size?store=…&amp;key=…</c>: the value's length, as text; 404 when there is no such key.</item>
/// <item><c>GET /store/list?store=…&amp;prefix=…</c>: the keys that start with the prefix, one per line.</item>
/// </list>
/// The database must be open on the server (<c>/connect</c>). A range of a pack never changes, so its
/// answer may be cached for good; everything else is answered <c>no-cache</c>.
/// </summary>
internal sealed class StoreRoutes(ServerConnections connections, ServerGate gate)
{
    /// <summary>The largest range one request reads: a pack segment is at most this (<see cref="Packs.SegmentBytes"/> and then some).</summary>
    private const int MaxRangeBytes = 256 << 20;

    public Task GetAsync(HttpContext http) => RunAsync(http, async store =>
    {
        string key = Key(http.Request.Query);
        var query = http.Request.Query;
        bool ranged = query.ContainsKey("offset") || query.ContainsKey("length");
        var value = ranged
            ? store.GetRange(key, Number(query, "offset", 0, long.MaxValue), (int)Number(query, "length", 0, MaxRangeBytes))
            : store.Get(key);
        if (value is null)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        http.Response.ContentType = "application/octet-stream";
        http.Response.Headers.CacheControl = ranged && key.StartsWith(Packs.Prefix, StringComparison.Ordinal) ? "public, max-age=31536000, immutable" : "no-cache";
        http.Response.ContentLength = value.Length;
        await http.Response.Body.WriteAsync(value, http.RequestAborted).ConfigureAwait(false);
    });

    public Task SizeAsync(HttpContext http) => RunAsync(http, async store =>
    {
        if (store.Size(Key(http.Request.Query)) is not { } size)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        http.Response.Headers.CacheControl = "no-cache";
        await http.Response.WriteAsync(size.ToString(CultureInfo.InvariantCulture), http.RequestAborted).ConfigureAwait(false);
    });

    public Task ListAsync(HttpContext http) => RunAsync(http, async store =>
    {
        string prefix = http.Request.Query["prefix"].ToString();
        try
        {
            StoreKeys.ValidatePrefix(prefix);
        }
        catch (ArgumentException e)
        {
            throw ServerErrors.BadRequest(e.Message);
        }
        http.Response.ContentType = "text/plain; charset=utf-8";
        http.Response.Headers.CacheControl = "no-cache";
        await http.Response.WriteAsync(string.Concat(store.List(prefix).Select(k => k + "\n")), http.RequestAborted).ConfigureAwait(false);
    });

    /// <summary>Reads the store the request names, when it may; an error is answered as the API routes answer theirs (JSON unless <c>Accept</c> says EDN).</summary>
    private async Task RunAsync(HttpContext http, Func<IKeyValueStore, Task> read)
    {
        try
        {
            gate.Authorize(http.Request);
            string store = http.Request.Query["store"].ToString();
            int colon = store.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == store.Length - 1) throw ServerErrors.BadRequest("?store= must name a store as <backend>:<id>, the store of a database this server holds open (e.g. ?store=file:/srv/orders)");
            await read(connections.StoreOf(Keyword.Intern(store[..colon]), store[(colon + 1)..])).ConfigureAwait(false);
        }
        catch (HikeException e) when (!http.Response.HasStarted)
        {
            await ErrorAnswer.WriteAsync(http.Response, ErrorAnswer.Accepted(http.Request) ?? WireFormat.Json, e).ConfigureAwait(false);
        }
    }

    private static string Key(IQueryCollection query) =>
        query["key"].ToString() is var key && StoreKeys.IsValid(key) ? key : throw ServerErrors.BadRequest($"?key= must name a store key, not \"{key}\"");

    private static long Number(IQueryCollection query, string name, long min, long max) =>
        long.TryParse(query[name].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out long n) && n >= min && n <= max
            ? n
            : throw ServerErrors.BadRequest($"?{name}= must be a whole number from {min} to {max}");
}
