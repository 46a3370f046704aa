using System.Net.Http.Headers;
using System.Text;
using Hike.Edn;
using Hike.Server.Formats;

namespace Hike.Server.Client;

/// <summary>
/// Calls to a Hike (or Datahike) server: a route with its positional arguments as EDN, answered in EDN
/// or with the server's error as the <see cref="HikeException"/> it was; and event streams. Sends the
/// token as <c>Authorization: token …</c>. Thread-safe.
/// </summary>
internal sealed class ServerClient : IDisposable
{
    private static readonly Keyword MsgKey = Keyword.Intern("msg");
    private static readonly Keyword ExDataKey = Keyword.Intern("ex-data");
    private static readonly Keyword TypeKey = Keyword.Intern("type");

    private readonly HttpClient _http;
    private volatile bool _closed;

    public ServerClient(Uri url, string? token)
    {
        Url = url;
        _http = new HttpClient { BaseAddress = url, Timeout = Timeout.InfiniteTimeSpan };
        if (token is not null) _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", token);
    }

    /// <summary>The server's address.</summary>
    public Uri Url { get; }

    /// <summary>Posts <paramref name="args"/> (EDN texts) to <c>/<paramref name="route"/></c>; the answer read.</summary>
    public async Task<object?> CallAsync(string route, string[] args, CancellationToken cancellationToken)
    {
        using var content = new StringContent("[" + string.Join(' ', args) + "]", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(WireFormat.Edn.MediaType);
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/" + route) { Content = content }, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var answer = WireFormat.Edn.Read(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
        if (response.IsSuccessStatusCode) return answer;
        throw ErrorOf(answer, $"/{route} answered {(int)response.StatusCode}");
    }

    /// <summary>Opens <paramref name="pathAndQuery"/> as a stream (server-sent events); the response, its status checked, for the caller to read and dispose.</summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        var response = await SendAsync(Get(pathAndQuery), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return response;
        using (response) throw ErrorOf(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), pathAndQuery, response);
    }

    /// <summary>
    /// The body of <c>GET <paramref name="pathAndQuery"/></c>, or null when the server has nothing there
    /// (404). Blocks: for store reads, which block their thread anyway.
    /// </summary>
    public byte[]? Read(string pathAndQuery)
    {
        using var response = Send(Get(pathAndQuery));
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return null;
        using var body = new MemoryStream();
        response.Content.ReadAsStream().CopyTo(body);
        return response.IsSuccessStatusCode ? body.ToArray() : throw ErrorOf(body.ToArray(), pathAndQuery, response);
    }

    /// <summary>Stops sending: later calls fail with <c>connection/released</c>.</summary>
    public void Dispose()
    {
        _closed = true;
        _http.Dispose();
    }

    private static HttpRequestMessage Get(string pathAndQuery)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(WireFormat.Edn.MediaType));
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

    /// <summary>The error an answer's <paramref name="body"/> carries, in EDN; a body that is none (a proxy's page) is named by its status.</summary>
    private static HikeException ErrorOf(byte[] body, string pathAndQuery, HttpResponseMessage response)
    {
        string otherwise = $"{pathAndQuery.Split('?')[0]} answered {(int)response.StatusCode}";
        try
        {
            return ErrorOf(WireFormat.Edn.Read(body), otherwise);
        }
        catch (HikeException)
        {
            return ServerErrors.FromServer(null, otherwise);
        }
    }
}
