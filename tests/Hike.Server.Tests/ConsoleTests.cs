using System.Text.Json;
using System.Text.RegularExpressions;
using Hike.Testing;
using Xunit.Abstractions;

namespace Hike.Server.Tests;

/// <summary>The query console at <c>/</c>: served as static files without a token, and used in a real headless Chromium.</summary>
public sealed partial class ConsoleTests(ITestOutputHelper output)
{
    private const string Token = "t0ken";

    [Theory]
    [InlineData("/", "text/html", "<title>Hike query console</title>")]
    [InlineData("/console/console.js", "text/javascript", "import { read, print")]
    [InlineData("/console/edn.js", "text/javascript", "export function read(text)")]
    [InlineData("/console/console.css", "text/css", ":root {")]
    public async Task The_console_is_served_without_a_token_under_a_policy_that_keeps_it_to_this_server(string path, string mediaType, string content)
    {
        await using var server = await TestServer.StartAsync(new ServerConfig { Token = Token });
        using var response = await server.Client.GetAsync(path);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(content, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("default-src 'none'; script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());

        // Unchanged since the browser's copy: not sent again.
        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var notModified = await server.Client.SendAsync(again);
        Assert.Equal(304, (int)notModified.StatusCode);
    }

    [Fact]
    public async Task A_browser_connects_runs_a_typed_query_transacts_and_sees_the_commit_graph()
    {
        using var folder = new TempDirectory();
        await using var server = await TestServer.StartAsync(new ServerConfig { Token = Token });
        string config = $"{{:store {{:backend :file :path \"{folder.Path}\"}}}}";
        var (commits, merge) = await HikeWithBranchesAsync(server, config);

        await using var browser = await ConsoleBrowser.LaunchAsync(1400, 1000);
        await browser.NavigateAsync(server.Client.BaseAddress!.ToString());
        await browser.TypeAsync("#token", Token);
        await browser.TypeAsync("#config", config);
        await browser.ClickAsync("#connect");
        await browser.WaitForAsync($"document.querySelectorAll('#graph circle.commit').length === {commits}", $"{commits} commits in the graph");
        Assert.Equal(["db", "survey"], Strings(await browser.EvaluateAsync("[...document.querySelectorAll('#branch option')].map(o => o.value)")));
        Assert.Equal(2, (await browser.EvaluateAsync("document.querySelectorAll('#graph .head-tag').length")).GetInt32());
        Assert.Equal(config, (await browser.EvaluateAsync("JSON.parse(localStorage.getItem('hike.console.recent'))[0]")).GetString());

        await browser.TypeAsync("#query", "[:find ?name ?km\n :where [?t :trail/name ?name] [?t :trail/km ?km] [(> ?km 10)]]");
        await browser.PressControlEnterAsync();
        await browser.WaitForAsync("document.querySelectorAll('#results tbody tr').length > 0", "the query's results");
        Assert.Equal(["?name", "?km"], Strings(await browser.EvaluateAsync("[...document.querySelectorAll('#results th')].map(th => th.textContent)")));
        Assert.Equal([["Col de Balme", "12.5"], ["Lac Blanc loop", "14.0"], ["Tour des Fiz", "21.8"]], await CellsAsync(browser, "#results"));
        Assert.Matches("^3 rows in [0-9.]+ ms$", (await browser.EvaluateAsync("document.getElementById('status').textContent")).GetString());

        await browser.ClickAsync("#explain");
        await browser.WaitForAsync("!document.getElementById('plan').hidden", "the query's plan");
        Assert.Contains(":trail/km", (await browser.EvaluateAsync("document.getElementById('plan').textContent")).GetString(), StringComparison.Ordinal);

        await browser.TypeAsync("#tx", "[{:trail/name \"Aiguillette des Houches\" :trail/km 11.2 :trail/region \"Chamonix\"}]");
        await browser.PressControlEnterAsync();
        await browser.WaitForAsync($"document.querySelectorAll('#graph circle.commit').length === {commits + 1}", "the new commit in the graph");
        Assert.Equal(4, (await browser.EvaluateAsync("document.querySelectorAll('#report tbody tr').length")).GetInt32());
        await browser.ClickAsync("#run");
        await browser.WaitForAsync("document.querySelectorAll('#results tbody tr').length === 4", "the new trail in the results");
        Assert.Equal(["Aiguillette des Houches", "11.2"], (await CellsAsync(browser, "#results"))[0]);
        Assert.True((await browser.EvaluateAsync("document.getElementById('error').hidden")).GetBoolean(), await ErrorAsync(browser));

        string screenshot = Path.Combine(AppContext.BaseDirectory, "console.png");
        await File.WriteAllBytesAsync(screenshot, await browser.ScreenshotAsync());
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await File.ReadAllBytesAsync(screenshot))[..4]);
        output.WriteLine($"Screenshot: {screenshot}");

        // Back to the merge commit: the query runs again there, before the new trail, and the commit's changes show.
        await browser.MouseClickAsync($"#graph circle.commit[data-id='{merge}']");
        await browser.WaitForAsync("document.querySelectorAll('#results tbody tr').length === 3", "the results at the merge commit");
        Assert.Equal(merge[^8..], (await browser.EvaluateAsync("document.getElementById('pinned-id').textContent")).GetString());
        await browser.WaitForAsync("document.querySelectorAll('#commit tbody tr').length > 0", "the merge commit's changes");
        Assert.Contains(await CellsAsync(browser, "#commit"), row => row.Contains("Tour des Fiz"));
    }

    [Fact]
    public async Task A_browser_without_the_token_shows_the_servers_error_and_its_code()
    {
        await using var server = await TestServer.StartAsync(new ServerConfig { Token = Token });
        await using var browser = await ConsoleBrowser.LaunchAsync(1000, 700);
        await browser.NavigateAsync(server.Client.BaseAddress!.ToString());
        await browser.TypeAsync("#config", "{:store {:backend :mem :id \"nobody\"}}");
        await browser.ClickAsync("#connect");
        await browser.WaitForAsync("!document.getElementById('error').hidden", "the error");
        Assert.Equal("server/unauthorized", (await browser.EvaluateAsync("document.getElementById('error-code').textContent")).GetString());
        Assert.StartsWith("Not authorized", (await browser.EvaluateAsync("document.getElementById('error-msg').textContent")).GetString(), StringComparison.Ordinal);
        Assert.True((await browser.EvaluateAsync("document.getElementById('run').disabled")).GetBoolean());
    }

    /// <summary>
    /// Trails on :db, a :draft branch merged back and a :survey branch with a commit of its own; the number of
    /// commits, and the merge's id.
    /// </summary>
    private static async Task<(int Commits, string Merge)> HikeWithBranchesAsync(TestServer server, string config)
    {
        async Task<string> Edn(string route, string body)
        {
            var (status, answer) = await server.SendAsync(HttpMethod.Post, route, body, Token, "application/edn");
            Assert.True(status == 200, $"/{route} answered {status}: {answer}");
            return answer;
        }

        await Edn("create-database", $"[{config}]");
        string conn = await Edn("connect", $"[{config}]");
        await Edn("transact", $"[{conn} [{{:db/ident :trail/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}}" +
            " {:db/ident :trail/km :db/valueType :db.type/double :db/cardinality :db.cardinality/one :db/index true}" +
            " {:db/ident :trail/region :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]]");
        await Edn("transact", $"[{conn} [{{:trail/name \"Lac Blanc loop\" :trail/km 14.0 :trail/region \"Chamonix\"}} {{:trail/name \"Grand Balcon Sud\" :trail/km 9.5 :trail/region \"Chamonix\"}}]]");
        await Edn("branch", $"[{conn} :db :draft]");
        string draft = await Edn("connect", $"[{config[..^1]} :branch :draft}}]");
        await Edn("transact", $"[{draft} [{{:trail/name \"Tour des Fiz\" :trail/km 21.8 :trail/region \"Passy\"}}]]");
        await Edn("transact", $"[{conn} [{{:trail/name \"Col de Balme\" :trail/km 12.5 :trail/region \"Vallorcine\"}}]]");
        await Edn("merge-branch", $"[{conn} :draft]");
        string merge = Uuid().Match(await Edn("commit-id", $"[{await Edn("db", $"[{conn}]")}]")).Groups[1].Value;
        await Edn("delete-branch", $"[{conn} :draft]");
        await Edn("branch", $"[{conn} :db :survey]");
        string survey = await Edn("connect", $"[{config[..^1]} :branch :survey}}]");
        await Edn("transact", $"[{survey} [{{:trail/name \"Lac Blanc loop\" :trail/km 14.2}}]]");
        return (CommitId().Matches(await Edn("commit-graph", $"[{conn}]")).Count, merge);
    }

    private static async Task<List<List<string>>> CellsAsync(ConsoleBrowser browser, string table) =>
        [.. (await browser.EvaluateAsync($"[...document.querySelectorAll('{table} tbody tr')].map(tr => [...tr.cells].map(td => td.textContent))")).EnumerateArray().Select(Strings)];

    private static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private static async Task<string> ErrorAsync(ConsoleBrowser browser) =>
        (await browser.EvaluateAsync("document.getElementById('error').textContent")).GetString() ?? "";

    [GeneratedRegex("\\{:id #uuid")]
    private static partial Regex CommitId();

    [GeneratedRegex("#uuid \"([0-9a-f-]{36})\"")]
    private static partial Regex Uuid();
}
