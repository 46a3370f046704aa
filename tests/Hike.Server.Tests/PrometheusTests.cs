using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Hike.Server.Tests;

/// <summary><c>:prometheus true</c>: the server's and the engine's metrics at <c>GET /prometheus</c>, in Prometheus' text format.</summary>
public sealed partial class PrometheusTests
{
    [Fact]
    public async Task Requests_transactions_commits_and_durations_are_served_in_the_text_format_with_the_token()
    {
        await using var server = await TestServer.StartAsync(new ServerConfig { Token = "t", Prometheus = true });
        string id = Guid.NewGuid().ToString("N");
        string config = $"[\"{{:store {{:backend :mem :id \\\"{id}\\\"}} :schema-flexibility :read}}\"]";
        await server.SendAsync(HttpMethod.Post, "create-database", config, "t");
        var (_, conn) = await server.SendAsync(HttpMethod.Post, "connect", config, "t");
        for (int i = 0; i < 3; i++) await server.SendAsync(HttpMethod.Post, "transact", $"[{conn}, [{{\"n\": {i}}}]]", "t");
        var (_, db) = await server.SendAsync(HttpMethod.Post, "db", $"[{conn}]", "t");
        await server.SendAsync(HttpMethod.Post, "q", $"[\"[:find (count ?e) . :where [?e :n]]\", {db}]", "t");

        Assert.Equal(401, (int)(await server.Client.GetAsync("/prometheus")).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/prometheus");
        request.Headers.Authorization = new AuthenticationHeaderValue("token", "t");
        using var response = await server.Client.SendAsync(request);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var text = await response.Content.ReadAsStringAsync();

        // Other tests' servers share the process's meters: counts are at least this test's.
        Assert.Contains("# TYPE hike_server_requests_total counter", text, StringComparison.Ordinal);
        Assert.True(Value(text, "hike_server_requests_total{route=\"transact\",status=\"200\"}") >= 3, text);
        Assert.True(Value(text, "hike_server_transactions_total") >= 3, text);
        Assert.True(Value(text, "hike_transactions_total") >= 3, text);
        Assert.True(Value(text, "hike_commits_total") >= 1, text);
        Assert.Contains("# TYPE hike_server_request_duration_ms histogram", text, StringComparison.Ordinal);
        // A histogram's last bucket holds every measurement, and the buckets only grow.
        Assert.Equal(Value(text, "hike_server_request_duration_ms_count{route=\"q\"}"), Value(text, "hike_server_request_duration_ms_bucket{route=\"q\",le=\"+Inf\"}"));
        var buckets = BucketLine().Matches(text).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(17, buckets.Count);
        Assert.Equal(buckets.Order(), buckets);
        Assert.True(Value(text, "hike_commit_duration_ms_count") >= 1, text);
    }

    [Fact]
    public async Task Without_prometheus_in_the_config_there_is_no_such_route_and_without_the_console_no_page_at_the_root()
    {
        await using var server = await TestServer.StartAsync(new ServerConfig { Console = false });
        Assert.Equal(404, (int)(await server.Client.GetAsync("/prometheus")).StatusCode);
        Assert.Equal(404, (int)(await server.Client.GetAsync("/")).StatusCode);
        var config = ServerConfig.FromEdn((Hike.Edn.EdnMap)Hike.Edn.EdnReader.Read("{:prometheus true :console false}")!);
        Assert.True(config.Prometheus);
        Assert.False(config.Console);
    }

    private static double Value(string text, string series)
    {
        var line = text.Split('\n').SingleOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal)) ?? throw new Xunit.Sdk.XunitException($"no {series} in\n{text}");
        return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("""^hike_server_request_duration_ms_bucket\{route="q",le="[^"]+"\} (\d+)$""", RegexOptions.Multiline)]
    private static partial Regex BucketLine();
}
