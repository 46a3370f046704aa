using System.Net.Http.Headers;
using System.Text;
using Hike.Edn;
using Hike.Server.Formats;

namespace Hike.Server.Client;

/// <summary>
/// Calls to a Hike (or Datahike) server: a route with its positional arguments, in EDN or Datahike's
/// tagged JSON (<c>:format</c>), answered in the same or with the server's error as the
/// <see cref="HikeException"/> it was; and event streams. Sends the token as <c>Authorization: token …</c>.
/// Thread-safe.
/// </summary>
internal sealed class ServerClient : IDisposable
{
    private static readonly Keyword MsgKey = Keyword.Intern("msg");
    private static readonly Keyword ExDataKey = Keyword.Intern("ex-data");
    private static readonly Keyword TypeKey = Keyword.Intern("type");

    private readonly HttpClient _http;
    private readonly WireFormat _format;
    private volatile bool _closed;

    public ServerClient(Uri url, string? token, WireFormat format)
    {
        Url = url;
        _format = format;
        _http = new HttpClient { BaseAddress = url, Timeout = Timeout.InfiniteTimeSpan };
        if (token is not null) _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", token);
    }

    /// <summary>The server's address.</summary>
    public Uri Url { get; }

    /// <summary>
    /// Posts <paramref name="args"/> to <c>/<paramref name="route"/></c>; the answer read. A config goes as
    /// <see cref="Config"/> gives it.
    /// </summary>
    public async Task<object?> CallAsync(string route, object?[] args, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(_format.Write(EdnVector.From(args)));
        content.Headers.ContentType = new MediaTypeHeaderValue(_format.MediaType);
        var request = new HttpRequestMessage(HttpMethod.Post, "/" + route) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(_format.MediaType));
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode ? _format.Read(body) : throw ErrorOf(_format, body, "/" + route, response);
    }

    /// <summary>A database config as an argument: a map in EDN; in JSON, its EDN text, which the server reads as EDN (a JSON object would lose its keywords' values).</summary>
    public object Config(EdnMap config) => _format.IsJson ? EdnPrinter.Print(config) : config;

    /// <summary>Opens <paramref name="pathAndQuery"/> as a stream (server-sent events); the response, its status checked, for the caller to read and dispose.</summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        // The stream's own format is EDN (f=edn), its errors too.
        var response = await SendAsync(Get(pathAndQuery, WireFormat.Edn), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return response;
        using (response) throw ErrorOf(WireFormat.Edn, await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), pathAndQuery, response);
    }

    /// <summary>
    /// The body of <c>GET <paramref name="pathAndQuery"/></c>, or null when the server has nothing there
    /// (404). Blocks: for store reads, which block their thread anyway.
    /// </summary>
    public byte[]? Read(string pathAndQuery)
    {
        using var response = Send(Get(pathAndQuery, _format));
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return null;
        using var body = new MemoryStream();
        response.Content.ReadAsStream().CopyTo(body);
        return response.IsSuccessStatusCode ? body.ToArray() : throw ErrorOf(_format, body.ToArray(), pathAndQuery, response);
    }

    /// <summary>Stops sending: later calls fail with <c>connection/released</c>.</summary>
    public void Dispose()
    {
        _closed = true;
        _http.Dispose();
    }

    /// <summary>A GET whose errors come back in <paramref name="format"/>.</summary>
    private static HttpRequestMessage Get(string pathAndQuery, WireFormat format)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(format.MediaType));
        return request;
    }

    private HttpResponseMessage Send(HttpRequestMessage request)
    {
        using (request)
        {
            if (_closed) throw ServerErrors.Released();
            try
            {
                return _http.Send(request, HttpCompletionOption.ResponseContentRead);
            }
            catch (HttpRequestException e)
            {
                throw ServerErrors.Unreachable(Url, e);
            }
            catch (ObjectDisposedException) when (_closed)
            {
                throw ServerErrors.Released();
            }
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using (request)
        {
            if (_closed) throw ServerErrors.Released();
            try
            {
                return await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw ServerErrors.Unreachable(Url, e);
            }
            catch (ObjectDisposedException) when (_closed)
            {
                throw ServerErrors.Released();
            }
        }
    }

    /// <summary>The server's error answer <c>{:msg … :ex-data {:type code}}</c> as the exception it was.</summary>
    private static HikeException ErrorOf(object? answer, string otherwise)
    {
        var error = answer as EdnMap;
        var code = (error?.Get(ExDataKey) as EdnMap)?.Get(TypeKey) as Keyword;
        return ServerErrors.FromServer(code?.FullName, error?.Get(MsgKey) as string ?? otherwise);
    }

    /// <summary>The error an answer's <paramref name="body"/> carries, in <paramref name="format"/>; a body that is none (a proxy's page) is named by its status.</summary>
    private static HikeException ErrorOf(WireFormat format, byte[] body, string pathAndQuery, HttpResponseMessage response)
    {
        string otherwise = $"{pathAndQuery.Split('?')[0]} answered {(int)response.StatusCode}";
        try
        {
            return ErrorOf(format.Read(body), otherwise);
        }
        catch (HikeException)
        {
            return ServerErrors.FromServer(null, otherwise);
        }
    }
}
