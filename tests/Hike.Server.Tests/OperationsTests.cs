using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;

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

    [Fact]
    public async Task The_OpenAPI_description_has_every_route_with_its_methods_and_arguments()
    {
        await using var server = await TestServer.StartAsync();
        using var document = JsonDocument.Parse(await server.Client.GetStringAsync("/openapi.json"));
        var paths = document.RootElement.GetProperty("paths");
        Assert.Equal(
            Routes.ApiRoutes.All.Keys.Select(r => "/" + r).Concat(Routes.OpenApiDocument.OtherRoutes.Select(r => r.Path)).Order(StringComparer.Ordinal),
            paths.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("text/event-stream", paths.GetProperty("/listen").GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content").EnumerateObject().Single().Name);
        Assert.Equal(Routes.ApiRoutes.All.Keys.Order(StringComparer.Ordinal), Routes.OpenApiDocument.Routes.Keys.Order(StringComparer.Ordinal));
        Assert.True(paths.GetProperty("/q").TryGetProperty("get", out _));
        Assert.False(paths.GetProperty("/transact").TryGetProperty("get", out _));
        Assert.Equal(2, paths.GetProperty("/transact").GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("minItems").GetInt32());
    }

    [Fact]
    public async Task Requests_are_counted_by_route_and_status()
    {
        var seen = new List<(string Instrument, long Value, string Route, int Status)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == Routes.ServerMetrics.MeterName) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string route = "";
            int status = 0;
            foreach (var tag in tags)
            {
                if (tag.Key == "route") route = (string)tag.Value!;
                if (tag.Key == "status") status = (int)tag.Value!;
            }
            lock (seen) seen.Add((instrument.Name, value, route, status));
        });
        listener.Start();
        await using var server = await TestServer.StartAsync();
        await server.SendAsync(HttpMethod.Post, "q", "[\"[:find ?x . :in ?x]\", 1]");
        await server.SendAsync(HttpMethod.Post, "db", "[]");
        lock (seen)
        {
            Assert.Contains(("hike.server.requests", 1L, "q", 200), seen);
            Assert.Contains(("hike.server.requests", 1L, "db", 400), seen);
            Assert.Contains(("hike.server.queries", 1L, "", 0), seen);
        }
    }
}
