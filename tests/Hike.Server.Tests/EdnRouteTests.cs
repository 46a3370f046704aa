namespace Hike.Server.Tests;

/// <summary>Every route in EDN: bodies are vectors of the arguments, handles are <c>#datahike/Connection</c> and <c>#datahike/DB</c>.</summary>
public sealed class EdnRouteTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private string _config = "";
    private string _conn = "";
    private string _db = "";

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _config = $"[{{:store {{:backend :mem :id \"{Guid.NewGuid()}\"}} :keep-history? true}}]";
        await Ok("create-database", _config);
        _conn = await Ok("connect", _config);
        Assert.StartsWith("#datahike/Connection [[:mem ", _conn, StringComparison.Ordinal);
        await Ok("transact", $"[{_conn} [{{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}}" +
            " {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one} {:db/ident :source :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]]");
        await Ok("transact", $"[{_conn} {{:tx-data [{{:name \"Ada\" :age 36}} {{:name \"Bob\" :age 41}}] :tx-meta {{:source \"edn-test\"}}}}]");
        _db = await Ok("db", $"[{_conn}]");
        Assert.StartsWith("#datahike/DB {:store-id [[:mem ", _db, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        await Ok("delete-database", _config);
        await _server.DisposeAsync();
    }

    private async Task<string> Ok(string route, string body, HttpMethod? method = null)
    {
        var (status, answer) = await _server.SendAsync(method ?? HttpMethod.Post, route, body, mediaType: "application/edn");
        Assert.True(status == 200, $"/{route} answered {status}: {answer}");
        return answer;
    }

    [Fact]
    public async Task Every_route_answers_in_EDN()
    {
        Assert.Equal("true", await Ok("database-exists", _config));
        Assert.Equal("#{[\"Ada\" 36] [\"Bob\" 41]}", await Ok("q", $"[[:find ?n ?a :where [?e :name ?n] [?e :age ?a]] {_db}]", HttpMethod.Get));
        Assert.Contains(":ret", await Ok("query-stats", $"[[:find ?n :where [_ :name ?n]] {_db}]"));
        Assert.Contains("name", await Ok("explain", $"[[:find ?n :where [_ :name ?n]] {_db}]"));
        Assert.Equal("{:name \"Ada\", :age 36}", await Ok("pull", $"[{_db} [:name :age] [:name \"Ada\"]]"));
        Assert.Equal("[{:age 41}]", await Ok("pull-many", $"[{_db} [:age] [[:name \"Bob\"]]]"));
        Assert.StartsWith("#datahike/Entity {", await Ok("entity", $"[{_db} [:name \"Ada\"]]"), StringComparison.Ordinal);
        Assert.Contains("#datahike/Datom [", await Ok("datoms", $"[{_db} :avet :name]"));
        Assert.Contains("\"Bob\"", await Ok("seek-datoms", $"[{_db} :avet :name \"Bob\"]"));
        Assert.Contains("\"Bob\"", await Ok("rseek-datoms", $"[{_db} :avet :name]"));
        Assert.Contains("36", await Ok("index-range", $"[{_db} {{:attrid :age :start 30 :end 40}}]"));
        Assert.StartsWith("#datahike/HistoricalDB {:origin #datahike/DB", await Ok("history", $"[{_db}]"), StringComparison.Ordinal);
        string asOf = await Ok("as-of", $"[{_db} 536870913]");
        Assert.Equal("nil", await Ok("q", $"[[:find (count ?e) . :where [?e :name]] {asOf}]"));
        Assert.StartsWith("#datahike/SinceDB", await Ok("since", $"[{_db} 536870913]"), StringComparison.Ordinal);
        Assert.Contains(":db.type/string", await Ok("schema", $"[{_db}]"));
        Assert.Contains(":db/unique", await Ok("reverse-schema", $"[{_db}]"));
        Assert.Contains(":count", await Ok("metrics", $"[{_db}]"));
        string commit = await Ok("commit-id", $"[{_db}]");
        Assert.StartsWith("#uuid \"", commit, StringComparison.Ordinal);
        Assert.StartsWith("#{#uuid", await Ok("parent-commit-ids", $"[{_db}]"), StringComparison.Ordinal);
        Assert.StartsWith("#datahike/DB", await Ok("commit-as-db", $"[{_conn} {commit}]"), StringComparison.Ordinal);
        Assert.Equal("nil", await Ok("branch", $"[{_conn} :db :draft]"));
        Assert.Equal("#{:db :draft}", await Ok("branches", $"[{_conn}]"));
        Assert.StartsWith("#datahike/DB", await Ok("branch-as-db", $"[{_conn} :draft]"), StringComparison.Ordinal);
        Assert.StartsWith("#datahike/TxReport", await Ok("merge-db", $"[{_conn} [:draft] [{{:name \"Cy\" :age 7}}]]"), StringComparison.Ordinal);
        Assert.Equal("nil", await Ok("delete-branch", $"[{_conn} :draft]"));
        Assert.Equal("{:transactions 1, :datoms 2}", await Ok("load-entities", $"[{_conn} [[100 :name \"Dee\" 536870999 true] [100 :age 50 536870999 true]]]"));
        Assert.Matches("^[0-9]+$", await Ok("gc-storage", $"[{_conn}]"));
        Assert.Equal("true", await Ok("release", $"[{_conn}]"));
    }

    [Fact]
    public async Task An_EDN_request_may_ask_for_a_JSON_answer_and_errors_come_in_the_answers_format()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/q") { Content = new StringContent($"[[:find ?a . :where [_ :age ?a] [(< ?a 40)]] {_db}]", System.Text.Encoding.UTF8, "application/edn") };
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await _server.Client.SendAsync(request);
        Assert.Equal("36", await response.Content.ReadAsStringAsync());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);

        var (status, error) = await _server.SendAsync(HttpMethod.Post, "db", "[1 2", mediaType: "application/edn");
        Assert.Equal(400, status);
        Assert.StartsWith("{:msg \"/db: The body is not EDN", error, StringComparison.Ordinal);
        Assert.EndsWith(":ex-data {:type :server/bad-request}}", error, StringComparison.Ordinal);
    }
}
