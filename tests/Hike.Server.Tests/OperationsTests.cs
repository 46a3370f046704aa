using System.Diagnostics;

namespace Hike.Server.Tests;

/// <summary>What a server does besides the routes: health and version, browsers' origins, and the query time limit.</summary>
public sealed class OperationsTests
{
    /// <summary>The arguments of a query that runs for minutes (a nested query per number up to ?n), as JSON.</summary>
    private const string SlowQuery =
        """["[:find (count ?z) . :in ?n :where [(range 0 ?n) [?x ...]] [(q \"[:find ?y . :in ?x :where [(range 0 5000) [?y ...]] [(> ?y ?x)]]\" ?x) ?z]]", 5000000]""";

    [Fact]
    public async Task Health_and_version_answer_without_a_token()
    {
        await using var server = await TestServer.StartAsync(new ServerConfig { Token = "t" });
        Assert.Equal("ok", await server.Client.GetStringAsync("/health/live"));
        Assert.Equal("ok", await server.Client.GetStringAsync("/health/ready"));
        Assert.Matches("^\\{:hike \"[0-9]+\\.[0-9]+\\.[0-9]+", await server.Client.GetStringAsync("/version"));
    }

    [Fact]
    public async Task A_browser_on_an_allowed_origin_may_call_and_another_may_not()
    {
        await using var server = await TestServer.StartAsync(new ServerConfig { AllowedOrigins = ["http://console.example"] });
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/q");
        preflight.Headers.Add("Origin", "http://console.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var allowed = await server.Client.SendAsync(preflight);
        Assert.Equal("http://console.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("GET, POST", allowed.Headers.GetValues("Access-Control-Allow-Methods").Single());

        using var other = new HttpRequestMessage(HttpMethod.Options, "/q");
        other.Headers.Add("Origin", "http://elsewhere.example");
        using var refused = await server.Client.SendAsync(other);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_query_past_the_time_limit_is_cancelled_and_answered_503()
    {
        await using var server = await TestServer.StartAsync(new ServerConfig { QueryTimeout = TimeSpan.FromMilliseconds(300) });
        var watch = Stopwatch.StartNew();
        var (status, body) = await server.SendAsync(HttpMethod.Post, "q", SlowQuery);
        Assert.True(status == 503, body);
        Assert.Contains("query/timeout", body, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }
}
