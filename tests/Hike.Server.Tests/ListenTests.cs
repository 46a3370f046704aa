using System.Net.Http.Headers;

namespace Hike.Server.Tests;

/// <summary><c>/listen</c>: a connection's commits as server-sent events.</summary>
public sealed class ListenTests
{
    [Fact]
    public async Task A_listener_sees_every_commit_once_in_order_and_a_late_one_is_told_to_resync()
    {
        await using var server = await TestServer.StartAsync(new ServerConfig { Token = "t", Heartbeat = TimeSpan.FromMilliseconds(200), ListenMaxDatoms = 1 });
        string id = Guid.NewGuid().ToString("N");
        string config = $"[\"{{:store {{:backend :mem :id \\\"{id}\\\"}} :schema-flexibility :read}}\"]";
        await server.SendAsync(HttpMethod.Post, "create-database", config, "t");
        var (_, conn) = await server.SendAsync(HttpMethod.Post, "connect", config, "t");

        using var stream = await OpenAsync(server, $"/listen?store=mem:{id}&token=t");
        var events = new EventReader(stream);
        for (int i = 1; i <= 3; i++) await server.SendAsync(HttpMethod.Post, "transact", $"[{conn}, [{{\"n\": {i}}}]]", "t");

        var reports = new List<(string Name, string Id, string Data)>();
        while (reports.Count < 3)
        {
            var e = await events.NextAsync();
            if (e.Name == "report") reports.Add(e);
        }
        Assert.All(reports, r => Assert.StartsWith("{\"db\":[\"!datahike/DB\",", r.Data, StringComparison.Ordinal));
        Assert.Equal([536870913L, 536870914L, 536870915L], reports.Select(r => long.Parse(Between(r.Data, "\"tx\":", ","), System.Globalization.CultureInfo.InvariantCulture)));
        // Each transaction has two datoms (:n and its instant), more than the one a report may carry here: the report says it was cut.
        Assert.All(reports, r => Assert.Contains("\"truncated\":true", r.Data, StringComparison.Ordinal));
        Assert.Equal(3, reports.Select(r => r.Id).Distinct().Count());

        // A listener that comes back with the first commit's id has missed two: it is told to read afresh.
        using var late = await OpenAsync(server, $"/listen?store=mem:{id}&since={reports[0].Id}&token=t");
        var first = await new EventReader(late).NextAsync();
        Assert.Equal("resync", first.Name);
        Assert.Contains(reports[2].Id.Split('/')[0], first.Data, StringComparison.Ordinal);

        // A quiet stream gets heartbeats.
        Assert.Equal(": heartbeat", await events.NextCommentAsync());
    }

    [Fact]
    public async Task Listening_needs_the_token_and_a_connection_the_server_holds()
    {
        await using var server = await TestServer.StartAsync(new ServerConfig { Token = "t" });
        using var noToken = await server.Client.GetAsync("/listen?store=mem:x");
        Assert.Equal(401, (int)noToken.StatusCode);
        using var unknown = await server.Client.GetAsync("/listen?store=mem:x&token=t");
        Assert.Equal(400, (int)unknown.StatusCode);
        Assert.Contains("server/unknown-handle", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<Stream> OpenAsync(TestServer server, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)response.StatusCode);
        return await response.Content.ReadAsStreamAsync();
    }

    private static string Between(string text, string start, string end)
    {
        int from = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        return text[from..text.IndexOf(end, from, StringComparison.Ordinal)];
    }

    /// <summary>Reads server-sent events: <c>event:</c>, <c>id:</c> and <c>data:</c> lines up to a blank line; comments apart.</summary>
    private sealed class EventReader(Stream stream)
    {
        private readonly StreamReader _reader = new(stream);
        private readonly Queue<string> _comments = new();

        public async Task<(string Name, string Id, string Data)> NextAsync()
        {
            string name = "", id = "", data = "";
            while (true)
            {
                var line = await _reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) ?? throw new EndOfStreamException();
                if (line.Length == 0)
                {
                    if (name.Length > 0) return (name, id, data);
                    continue;
                }
                if (line.StartsWith(':')) _comments.Enqueue(line);
                else if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
                else if (line.StartsWith("id: ", StringComparison.Ordinal)) id = line[4..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal)) data = line[6..];
            }
        }

        public async Task<string> NextCommentAsync()
        {
            while (_comments.Count == 0)
            {
                var line = await _reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) ?? throw new EndOfStreamException();
                if (line.StartsWith(':')) return line;
            }
            return _comments.Dequeue();
        }
    }
}
