using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;

namespace Hike.Server.Tests;

/// <summary>A Hike server on a free loopback port for one test, and raw HTTP to it.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestServer(WebApplication app, string url)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = new Uri(url) };
    }

    public HttpClient Client { get; }

    public static async Task<TestServer> StartAsync(ServerConfig? config = null)
    {
        var app = await HikeServer.StartAsync((config ?? new ServerConfig()) with { Port = 0 });
        return new TestServer(app, app.Urls.First());
    }

    /// <summary>Sends <paramref name="body"/> (JSON unless <paramref name="mediaType"/> says otherwise) to <c>/<paramref name="route"/></c> with <paramref name="token"/>; the status and the body as text.</summary>
    public async Task<(int Status, string Body)> SendAsync(HttpMethod method, string route, string body, string? token = null, string mediaType = "application/json")
    {
        using var request = new HttpRequestMessage(method, "/" + route) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("token", token);
        using var response = await Client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
