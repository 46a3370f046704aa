using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hike.Api;
using Hike.Edn;
using Hike.Server.Formats;
using Hike.Server.Handles;
using Microsoft.AspNetCore.Http;

namespace Hike.Server.Routes;

/// <summary>
/// Serves one request to one of <see cref="ApiRoutes"/>: checks the token, reads the body (at most
/// <see cref="ServerConfig.MaxBodyBytes"/>) or GET's <c>?args=</c> as the route's positional arguments,
/// turns handles into connections and database values, runs the route and writes its result, or the
/// failure as <c>{:msg … :ex-data {:type code}}</c> with a status that says whose mistake it was.
/// </summary>
internal sealed class RequestHandler(ServerConfig config, ServerConnections connections)
{
    private const string JsonType = "application/json";
    private static readonly Keyword MsgKey = Keyword.Intern("msg");
    private static readonly Keyword ExDataKey = Keyword.Intern("ex-data");
    private static readonly Keyword TypeKey = Keyword.Intern("type");

    private readonly WireValues _wire = new(connections);
    private readonly byte[]? _token = config.Token is null ? null : Encoding.UTF8.GetBytes(config.Token);

    public async Task HandleAsync(HttpContext http, ApiRoute route)
    {
        try
        {
            Authorize(http.Request);
            if (http.Request.Method == HttpMethods.Get && !route.Pure)
                throw ServerErrors.BadRequest($"/{route.Name} changes the database: POST it");
            var wire = await ArgumentsAsync(http.Request, route).ConfigureAwait(false);
            var handle = WireValues.ConnectionOf(wire);
            var args = new List<object?>(wire.Count);
            foreach (var arg in wire) args.Add(await _wire.FromWireAsync(arg, http.RequestAborted).ConfigureAwait(false));
            if (route.Name == "transact" && args is [Connection conn, var data])
            {
                args[1] = JsonTxData.Retype(data, conn.Db.Schema());
            }
            var result = await route.Run(new ApiCall(args, connections, config, route.Name, http.RequestAborted)).ConfigureAwait(false);
            if (result is ConnectionHandle connected) handle = connected;
            if (http.Request.Method == HttpMethods.Get && config.CacheMaxAgeSeconds is { } maxAge && wire.Any(a => a is Tagged { Tag: WireValues.DbTag }))
            {
                // A database handle names one commit: what is read through it never changes.
                http.Response.Headers.CacheControl = $"{(config.Token is null ? "public, " : "private, ")}max-age={maxAge}";
            }
            await WriteAsync(http.Response, 200, _wire.ToWire(result, handle)).ConfigureAwait(false);
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested || e is not OperationCanceledException)
        {
            var code = e is HikeException h ? h.Code : ServerErrorCodes.Internal;
            var message = e is HikeException or JsonException ? e.Message : $"The server failed: {e.GetType().Name}";
            await WriteAsync(http.Response, ServerErrors.StatusOf(e), EdnMap.Of(MsgKey, message, ExDataKey, EdnMap.Of(TypeKey, Keyword.Intern(code)))).ConfigureAwait(false);
        }
    }

    /// <summary>Lets a request in when the server has no token, is in dev mode, or the request carries its token (compared in constant time).</summary>
    private void Authorize(HttpRequest request)
    {
        if (_token is null || config.DevMode) return;
        string header = request.Headers.Authorization.ToString();
        const string scheme = "token ";
        var given = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()) : [];
        if (!CryptographicOperations.FixedTimeEquals(given, _token)) throw ServerErrors.Unauthorized();
    }

    /// <summary>The route's arguments as the client sent them: a JSON array in the body, or GET's <c>?args=&lt;base64url&gt;</c>.</summary>
    private async Task<IReadOnlyList<object?>> ArgumentsAsync(HttpRequest request, ApiRoute route)
    {
        if (request.ContentType is { } type && !type.StartsWith(JsonType, StringComparison.OrdinalIgnoreCase) && type.Length > 0)
            throw ServerErrors.BadRequest($"This server reads {JsonType} (Datahike's tagged JSON), not {type}");
        byte[] body = request.Query.TryGetValue("args", out var encoded) ? Base64Url(encoded.ToString()) : await ReadBodyAsync(request).ConfigureAwait(false);
        object? decoded;
        try
        {
            decoded = body.Length == 0 ? EdnVector.Create() : TaggedJson.Read(body);
        }
        catch (JsonException e)
        {
            throw ServerErrors.BadRequest($"/{route.Name}: the body is not JSON: {e.Message}");
        }
        if (decoded is not EdnSequence args) throw ServerErrors.BadRequest($"/{route.Name}: the body is the array of the function's arguments, not {EdnPrinter.Print(decoded)}");
        var list = args.ToList();
        if (list.Count < route.MinArgs || list.Count > route.MaxArgs)
        {
            string arity = route.MinArgs == route.MaxArgs ? $"{route.MinArgs}" : route.MaxArgs == int.MaxValue ? $"at least {route.MinArgs}" : $"{route.MinArgs} to {route.MaxArgs}";
            throw ServerErrors.BadRequest($"/{route.Name} takes {arity} argument{(route.MaxArgs == 1 ? "" : "s")}, not {list.Count}");
        }
        if (route.FirstStringIsEdn && list is [string text, ..]) list[0] = ReadEdn(text, route);
        return list;
    }

    private static object? ReadEdn(string text, ApiRoute route)
    {
        try
        {
            return EdnReader.Read(text);
        }
        catch (EdnSyntaxException e)
        {
            throw ServerErrors.BadRequest($"/{route.Name}: argument 1 is EDN text that does not read: {e.Message}");
        }
    }

    private async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength > config.MaxBodyBytes) throw TooLarge();
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > config.MaxBodyBytes) throw TooLarge();
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private HikeException TooLarge() => ServerErrors.TooLarge(config.MaxBodyBytes);

    private static byte[] Base64Url(string text)
    {
        try
        {
            return Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/').PadRight((text.Length + 3) / 4 * 4, '='));
        }
        catch (FormatException)
        {
            throw ServerErrors.BadRequest("?args= is the arguments' JSON in base64url");
        }
    }

    private static async Task WriteAsync(HttpResponse response, int status, object? value)
    {
        response.StatusCode = status;
        response.ContentType = JsonType;
        await response.Body.WriteAsync(TaggedJson.Write(value)).ConfigureAwait(false);
    }
}
