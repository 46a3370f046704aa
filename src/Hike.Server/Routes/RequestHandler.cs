using Hike.Api;
using Hike.Edn;
using Hike.Server.Formats;
using Hike.Server.Handles;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Hike.Server.Routes;

/// <summary>
/// Serves one request to one of <see cref="ApiRoutes"/>: checks the token, reads the body (at most
/// <see cref="ServerConfig.MaxBodyBytes"/>) or GET's <c>?args=</c> as the route's positional arguments,
/// turns handles into connections and database values, runs the route and writes its result, or the
/// failure as <c>{:msg … :ex-data {:type code}}</c> with a status that says whose mistake it was.
/// </summary>
internal sealed partial class RequestHandler(ServerConfig config, ServerConnections connections, ServerGate gate, ILogger logger)
{

    private readonly WireValues _wire = new(connections);

    /// <summary>Answers a browser's CORS preflight: the methods the route takes, for an allowed origin.</summary>
    public Task PreflightAsync(HttpContext http, ApiRoute route)
    {
        if (gate.AllowOrigin(http))
        {
            http.Response.Headers.AccessControlAllowMethods = route.Pure ? "GET, POST" : "POST";
            http.Response.Headers.AccessControlAllowHeaders = "Authorization, Content-Type, Accept";
            http.Response.Headers.AccessControlMaxAge = "600";
        }
        http.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    public async Task HandleAsync(HttpContext http, ApiRoute route)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await AnswerAsync(http, route).ConfigureAwait(false);
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        ServerMetrics.Answered(route.Name, http.Response.StatusCode, elapsed);
        Answered(logger, http.Request.Method, route.Name, http.Response.StatusCode, elapsed.TotalMilliseconds);
    }

    /// <summary>One line per request: never a body, a header or a token.</summary>
    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} /{Route} {Status} in {Milliseconds:F1} ms")]
    private static partial void Answered(ILogger logger, string method, string route, int status, double milliseconds);

    /// <summary>A failure of the server's own (a bug): the client gets its kind, the log the whole of it.</summary>
    [LoggerMessage(Level = LogLevel.Error, Message = "/{Route} failed")]
    private static partial void Failed(ILogger logger, string route, Exception exception);

    private async Task AnswerAsync(HttpContext http, ApiRoute route)
    {
        WireFormat format = WireFormat.Json, answer = WireFormat.Json;
        gate.AllowOrigin(http);
        try
        {
            // Even a refused call is answered in the caller's format.
            answer = ErrorAnswer.Accepted(http.Request) ?? WireFormat.Of(http.Request.ContentType) ?? WireFormat.Json;
            gate.Authorize(http.Request);
            format = WireFormat.Of(http.Request.ContentType) ?? (string.IsNullOrEmpty(http.Request.ContentType)
                ? WireFormat.Json
                : throw ServerErrors.BadRequest($"This server reads application/json (Datahike's tagged JSON) and application/edn, not {http.Request.ContentType}"));
            answer = ErrorAnswer.Accepted(http.Request) ?? format;
            var wire = await ArgumentsAsync(http.Request, route, format).ConfigureAwait(false);
            var handle = WireValues.ConnectionOf(wire);
            var args = new List<object?>(wire.Count);
            foreach (var arg in wire) args.Add(await _wire.FromWireAsync(arg, http.RequestAborted).ConfigureAwait(false));
            if (format.IsJson && route.Name == "transact" && args is [Connection conn, var data])
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
            byte[] encoded;
            try
            {
                encoded = answer.Write(_wire.ToWire(result, handle));
            }
            catch (InvalidOperationException e)
            {
                throw ServerErrors.BadRequest($"/{route.Name}: the result cannot be written as {answer.MediaType}: {e.Message}");
            }
            await WriteAsync(http.Response, answer, 200, encoded).ConfigureAwait(false);
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested || e is not OperationCanceledException)
        {
            if (e is not HikeException) Failed(logger, route.Name, e);
            await ErrorAnswer.WriteAsync(http.Response, answer, e).ConfigureAwait(false);
        }
    }

    /// <summary>The route's arguments as the client sent them: an array in the body, or GET's <c>?args=&lt;base64url&gt;</c>.</summary>
    private async Task<IReadOnlyList<object?>> ArgumentsAsync(HttpRequest request, ApiRoute route, WireFormat format)
    {
        byte[] body = request.Query.TryGetValue("args", out var encoded) ? Base64Url(encoded.ToString()) : await ReadBodyAsync(request).ConfigureAwait(false);
        object? decoded;
        try
        {
            decoded = body.Length == 0 ? EdnVector.Create() : format.Read(body);
        }
        catch (HikeException e) when (e.Code == ServerErrorCodes.BadRequest)
        {
            throw ServerErrors.BadRequest($"/{route.Name}: {e.Message}");
        }
        if (decoded is not EdnSequence args) throw ServerErrors.BadRequest($"/{route.Name}: the body is the array (or vector) of the function's arguments, not {EdnPrinter.Print(decoded)}");
        var list = args.ToList();
        if (list.Count < route.MinArgs || list.Count > route.MaxArgs)
        {
            string arity = route.MinArgs == route.MaxArgs ? $"{route.MinArgs}" : route.MaxArgs == int.MaxValue ? $"at least {route.MinArgs}" : $"{route.MinArgs} to {route.MaxArgs}";
            throw ServerErrors.BadRequest($"/{route.Name} takes {arity} argument{(route.MaxArgs == 1 ? "" : "s")}, not {list.Count}");
        }
        if (format.IsJson && route.FirstStringIsEdn && list is [string text, ..]) list[0] = ReadEdn(text, route);
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

    /// <summary>The body, at most <see cref="ServerConfig.MaxBodyBytes"/>: read into an array of its declared length, or, sent in chunks, grown as it comes.</summary>
    private async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        var aborted = request.HttpContext.RequestAborted;
        if (request.ContentLength is { } declared)
        {
            if (declared > config.MaxBodyBytes) throw TooLarge();
            var body = new byte[declared];
            int length = 0;
            for (int read; length < body.Length && (read = await request.Body.ReadAsync(body.AsMemory(length), aborted).ConfigureAwait(false)) > 0;) length += read;
            return length == body.Length ? body : body[..length];
        }
        var buffer = new byte[4096];
        int count = 0;
        while (true)
        {
            if (count == buffer.Length) Array.Resize(ref buffer, (int)Math.Min(Math.Min(buffer.Length * 2L, config.MaxBodyBytes + 1), Array.MaxLength));
            int read = await request.Body.ReadAsync(buffer.AsMemory(count), aborted).ConfigureAwait(false);
            if (read == 0) return buffer[..count];
            count += read;
            if (count > config.MaxBodyBytes) throw TooLarge();
        }
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

    private static async Task WriteAsync(HttpResponse response, WireFormat format, int status, byte[] body)
    {
        response.StatusCode = status;
        response.ContentType = format.MediaType;
        await response.Body.WriteAsync(body).ConfigureAwait(false);
    }
}
