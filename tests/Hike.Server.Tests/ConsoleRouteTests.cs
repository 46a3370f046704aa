using System.Text.RegularExpressions;

namespace Hike.Server.Tests;

/// <summary>
/// The routes the query console draws on beside Datahike's: <c>/commit-graph</c>, <c>/diff</c> and
/// <c>/merge-branch</c>, in EDN and in tagged JSON, behind the token like every other route.
/// </summary>
public sealed partial class ConsoleRouteTests : IAsyncLifetime
{
    private const string Token = "t0ken";
    private TestServer _server = null!;
    private string _id = "";
    private string _conn = "";

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(new ServerConfig { Token = Token });
        _id = Guid.NewGuid().ToString();
        await Edn("create-database", Config(":db"));
        _conn = await Edn("connect", Config(":db"));
        await Edn("transact", $"[{_conn} [{{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}}" +
            " {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one} {:db/ident :source :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]]");
        await Edn("transact", $"[{_conn} [{{:name \"Ada\" :age 36}}]]");
    }

    public async Task DisposeAsync()
    {
        await Edn("delete-database", Config(":db"));
        await _server.DisposeAsync();
    }

    private string Config(string branch) => $"[{{:store {{:backend :mem :id \"{_id}\"}} :keep-history? true :branch {branch}}}]";

    private async Task<string> Edn(string route, string body, HttpMethod? method = null)
    {
        var (status, answer) = await _server.SendAsync(method ?? HttpMethod.Post, route, body, Token, "application/edn");
        Assert.True(status == 200, $"/{route} answered {status}: {answer}");
        return answer;
    }

    private async Task<string> Json(string route, string body, HttpMethod? method = null)
    {
        var (status, answer) = await _server.SendAsync(method ?? HttpMethod.Post, route, body, Token);
        Assert.True(status == 200, $"/{route} answered {status}: {answer}");
        return answer;
    }

    /// <summary>Branch <c>:side</c> off <c>:db</c> with one transaction of its own; the side connection's handle.</summary>
    private async Task<string> SideBranchAsync(string txData)
    {
        await Edn("branch", $"[{_conn} :db :side]");
        string side = await Edn("connect", Config(":side"));
        await Edn("transact", $"[{side} {txData}]");
        return side;
    }

    [Fact]
    public async Task Commit_graph_lists_commits_newest_first_with_parents_branches_and_heads_in_EDN()
    {
        await SideBranchAsync("[{:name \"Bob\" :age 41}]");
        await Edn("transact", $"[{_conn} [{{:name \"Cy\" :age 7}}]]");
        string cy = Uuid().Match(await Edn("commit-id", $"[{await Edn("db", $"[{_conn}]")}]")).Value;
        await Edn("merge-branch", $"[{_conn} :side]");
        string merge = Uuid().Match(await Edn("commit-id", $"[{await Edn("db", $"[{_conn}]")}]")).Value;

        string graph = await Edn("commit-graph", $"[{_conn}]");

        var commits = CommitMap().Matches(graph).Select(m => m.Value).ToList();
        // The creation, the schema and Ada on :db, Bob on :side, Cy on :db, the merge.
        Assert.Equal(6, commits.Count);
        // The merge's first parent is the branch it merged into, though :side's commit is older.
        Assert.StartsWith($"{{:id {merge}, :parents [{cy} #uuid", commits[0], StringComparison.Ordinal);
        Assert.Equal(2, Uuid().Matches(ParentsOf(commits[0])).Count);
        Assert.EndsWith(":branches #{:db}, :head-of #{:db}}", commits[0], StringComparison.Ordinal);
        Assert.Single(commits, c => c.EndsWith(":head-of #{:side}}", StringComparison.Ordinal));
        Assert.Contains(":parents [],", commits[^1], StringComparison.Ordinal);
        // Every commit comes before its parents.
        var ids = commits.Select(c => Uuid().Match(c).Value).ToList();
        for (int i = 0; i < commits.Count; i++)
        {
            Assert.All(Uuid().Matches(ParentsOf(commits[i])), parent => Assert.True(ids.IndexOf(parent.Value) > i, $"{parent.Value} is not after {ids[i]}"));
        }
    }

    [Fact]
    public async Task Commit_graph_answers_in_tagged_JSON()
    {
        string conn = await Json("connect", $"[\"{{:store {{:backend :mem :id \\\"{_id}\\\"}}}}\"]");
        string graph = await Json("commit-graph", $"[{conn}]");
        Assert.StartsWith("[{\"id\":[\"!uuid\",", graph, StringComparison.Ordinal);
        Assert.Contains("\"instant\":[\"!date\",", graph, StringComparison.Ordinal);
        Assert.Contains("\"head-of\":[\"!set\",[[\"!kw\",\"db\"]]]", graph, StringComparison.Ordinal);
        Assert.Contains("\"parents\":[]", graph, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_answers_the_removed_and_added_datoms_between_two_databases()
    {
        string before = await Edn("db", $"[{_conn}]");
        await Edn("transact", $"[{_conn} [{{:name \"Ada\" :age 37}}]]");
        string after = await Edn("db", $"[{_conn}]");

        string diff = await Edn("diff", $"[{before} {after}]", HttpMethod.Get);
        // The new value and the transaction's own entity came in; the old value went.
        Assert.Matches("^\\{:removed \\[#datahike/Datom \\[([0-9]+) :age 36 536870914 true\\]\\], :added \\[#datahike/Datom \\[\\1 :age 37 536870915 true\\] #datahike/Datom \\[536870915 :db/txInstant #inst \"[^\"]+\" 536870915 true\\]\\]\\}$", diff);
        Assert.Equal("{:removed [], :added []}", await Edn("diff", $"[{after} {after}]"));

        string conn = await Json("connect", $"[\"{{:store {{:backend :mem :id \\\"{_id}\\\"}}}}\"]");
        string then = await Json("db", $"[{conn}]");
        await Json("transact", $"[{conn}, [{{\"name\": \"Ada\", \"age\": 38}}]]");
        string json = await Json("diff", $"[{await Json("db", $"[{conn}]")}, {then}]");
        Assert.Matches("^\\{\"removed\":\\[\\[\"!datahike/Datom\",\\[([0-9]+),\\[\"!kw\",\"age\"\\],38,536870916,true\\]\\],\\[\"!datahike/Datom\",\\[536870916,\\[\"!kw\",\"db/txInstant\"\\],\\[\"!date\",\"[0-9]+\"\\],536870916,true\\]\\]\\]," +
            "\"added\":\\[\\[\"!datahike/Datom\",\\[\\1,\\[\"!kw\",\"age\"\\],37,536870915,true\\]\\]\\]\\}$", json);
    }

    [Fact]
    public async Task Diff_of_a_database_that_is_not_current_is_the_engines_error()
    {
        string db = await Edn("db", $"[{_conn}]");
        var (status, answer) = await _server.SendAsync(HttpMethod.Post, "diff", $"[{await Edn("history", $"[{db}]")} {db}]", Token, "application/edn");
        Assert.Equal(400, status);
        Assert.EndsWith(":ex-data {:type :db/view}}", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Merge_branch_commits_the_other_side_once_and_then_answers_nil()
    {
        await SideBranchAsync("[{:name \"Bob\" :age 41}]");
        string report = await Edn("merge-branch", $"[{_conn} :side nil {{:source \"console\"}}]");
        Assert.StartsWith("#datahike/TxReport {", report, StringComparison.Ordinal);
        Assert.Contains("\"Bob\"", report, StringComparison.Ordinal);
        Assert.Contains(":tx-meta {:source \"console\"}", report, StringComparison.Ordinal);
        Assert.Equal("#{[\"Ada\"] [\"Bob\"]}", await Edn("q", $"[[:find ?n :where [_ :name ?n]] {await Edn("db", $"[{_conn}]")}]"));
        Assert.Equal("nil", await Edn("merge-branch", $"[{_conn} :side]"));
    }

    [Fact]
    public async Task Merge_branch_in_JSON_settles_a_conflict_by_the_strategy_and_fails_without_one()
    {
        await SideBranchAsync("[{:name \"Ada\" :age 40}]");
        await Edn("transact", $"[{_conn} [{{:name \"Ada\" :age 50}}]]");

        string conn = await Json("connect", $"[\"{{:store {{:backend :mem :id \\\"{_id}\\\"}}}}\"]");
        var (status, conflict) = await _server.SendAsync(HttpMethod.Post, "merge-branch", $"[{conn}, [\"!kw\",\"side\"]]", Token);
        Assert.Equal(400, status);
        Assert.Contains("\"type\":[\"!kw\",\"merge/conflict\"]", conflict, StringComparison.Ordinal);

        Assert.StartsWith("[\"!datahike/TxReport\",", await Json("merge-branch", $"[{conn}, [\"!kw\",\"side\"], [\"!kw\",\"theirs\"]]"), StringComparison.Ordinal);
        Assert.Equal("40", await Json("q", $"[\"[:find ?a . :where [?e :name \\\"Ada\\\"] [?e :age ?a]]\", {await Json("db", $"[{conn}]")}]"));
    }

    [Fact]
    public async Task The_new_routes_refuse_a_missing_or_wrong_token()
    {
        string db = await Edn("db", $"[{_conn}]");
        foreach (var (route, body) in new[] { ("commit-graph", $"[{_conn}]"), ("diff", $"[{db} {db}]"), ("merge-branch", $"[{_conn} :db]") })
        {
            Assert.Equal(401, (await _server.SendAsync(HttpMethod.Post, route, body, mediaType: "application/edn")).Status);
            Assert.Equal(401, (await _server.SendAsync(HttpMethod.Post, route, body, "wrong", "application/edn")).Status);
        }
    }

    [Fact]
    public async Task Every_route_refuses_a_call_without_the_token()
    {
        foreach (var route in Routes.ApiRoutes.All.Keys)
        {
            var (status, answer) = await _server.SendAsync(HttpMethod.Post, route, "[]");
            Assert.True(status == 401, $"/{route} answered {status}: {answer}");
        }
    }

    [Fact]
    public async Task Every_route_refuses_a_malformed_body_with_400_naming_what_is_wrong()
    {
        foreach (var route in Routes.ApiRoutes.All.Keys)
        {
            // No arguments fits no route; an object is no argument array; a number is none of their first arguments.
            foreach (var (body, expected) in new[] { ("[]", "takes "), ("{\"a\": 1}", "arguments"), ("[1, 2", "not JSON") })
            {
                var (status, answer) = await _server.SendAsync(HttpMethod.Post, route, body, Token);
                Assert.True(status == 400 && answer.Contains(expected, StringComparison.Ordinal), $"/{route} with {body} answered {status}: {answer}");
            }
        }
    }

    [Theory]
    [InlineData("commit-graph", "[]", "takes 1 argument, not 0")]
    [InlineData("commit-graph", "[42]", "argument 1 must be a connection, not 42")]
    [InlineData("diff", "[{db}]", "takes 2 arguments, not 1")]
    [InlineData("diff", "[{db} :db]", "argument 2 must be a database value, not :db")]
    [InlineData("merge-branch", "[{conn}]", "takes 2 to 4 arguments, not 1")]
    [InlineData("merge-branch", "[{conn} :side :mine]", "argument 3 must be :ours, :theirs or nil, not :mine")]
    [InlineData("merge-branch", "[{conn} nil]", "argument 2 must be a branch or commit id, not nil")]
    public async Task A_malformed_call_is_400_naming_what_is_wrong(string route, string body, string expected)
    {
        body = body.Replace("{db}", await Edn("db", $"[{_conn}]"), StringComparison.Ordinal).Replace("{conn}", _conn, StringComparison.Ordinal);
        var (status, answer) = await _server.SendAsync(HttpMethod.Post, route, body, Token, "application/edn");
        Assert.Equal(400, status);
        Assert.Contains(expected, answer, StringComparison.Ordinal);
        Assert.EndsWith(":ex-data {:type :server/bad-request}}", answer, StringComparison.Ordinal);
    }

    private static string ParentsOf(string commit) => Regex.Match(commit, ":parents \\[[^\\]]*\\]").Value;

    [GeneratedRegex("#uuid \"[0-9a-f-]{36}\"")]
    private static partial Regex Uuid();

    [GeneratedRegex("\\{:id #uuid [^{}]*\\{[^{}]*\\}[^{}]*\\{[^{}]*\\}\\}")]
    private static partial Regex CommitMap();
}
