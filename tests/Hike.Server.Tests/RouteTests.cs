using System.Text;

namespace Hike.Server.Tests;

/// <summary>Every route answers in Datahike's tagged JSON on a database made through the server itself.</summary>
public sealed class RouteTests : IAsyncLifetime
{
    private const string Token = "t0ken";
    private TestServer _server = null!;
    private string _config = "";
    private string _conn = "";
    private string _db = "";

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(new ServerConfig { Token = Token });
        string id = Guid.NewGuid().ToString();
        _config = $"[\"{{:store {{:backend :mem :id \\\"{id}\\\"}} :keep-history? true}}\"]";
        Assert.Equal(200, (await Post("create-database", _config)).Status);
        _conn = (await Post("connect", _config)).Body;
        var schema = await Post("transact", $"[{_conn}, [{{\"db/ident\": \"name\", \"db/valueType\": \"db.type/string\", \"db/cardinality\": \"db.cardinality/one\", \"db/unique\": \"db.unique/identity\"}}," +
            "{\"db/ident\": \"age\", \"db/valueType\": \"db.type/long\", \"db/cardinality\": \"db.cardinality/one\"}," +
            "{\"db/ident\": \"friend\", \"db/valueType\": \"db.type/ref\", \"db/cardinality\": \"db.cardinality/many\"}]]");
        Assert.True(schema.Status == 200, schema.Body);
        var data = await Post("transact", $"[{_conn}, [{{\"name\": \"Ada\", \"age\": 36}}, {{\"name\": \"Bob\", \"age\": \"41\", \"friend\": [[\"name\", \"Ada\"]]}}]]");
        Assert.True(data.Status == 200, data.Body);
        _db = (await Post("db", $"[{_conn}]")).Body;
    }

    public async Task DisposeAsync()
    {
        await Post("delete-database", _config);
        await _server.DisposeAsync();
    }

    private Task<(int Status, string Body)> Post(string route, string body) => _server.SendAsync(HttpMethod.Post, route, body, Token);

    private async Task<string> Ok(string route, string body, HttpMethod? method = null)
    {
        var (status, answer) = await _server.SendAsync(method ?? HttpMethod.Post, route, body, Token);
        Assert.True(status == 200, $"/{route} answered {status}: {answer}");
        return answer;
    }

    [Fact]
    public async Task Queries_read_through_a_database_handle_by_GET_and_POST_alike()
    {
        string query = "[\"[:find ?n ?a :where [?e :name ?n] [?e :age ?a]]\"," + _db + "]";
        Assert.Equal("[\"!set\",[[\"Ada\",36],[\"Bob\",41]]]", Sorted(await Ok("q", query, HttpMethod.Get)));
        Assert.Equal("[\"!set\",[[\"Ada\",36],[\"Bob\",41]]]", Sorted(await Ok("q", query)));
        Assert.Contains("\"ret\":", await Ok("query-stats", query));
        Assert.Contains("Ada", await Ok("q", $"[{{\"query\": \"[:find ?n . :in $ ?a :where [?e :age ?a] [?e :name ?n]]\", \"args\": [{_db}, 36]}}]"));
        Assert.Contains(":name", await Ok("explain", query));
    }

    [Fact]
    public async Task Pull_entity_and_the_index_reads_answer_datoms_and_maps()
    {
        Assert.Equal("{\"name\":\"Bob\",\"friend\":[{\"name\":\"Ada\"}]}", await Ok("pull", $"[{_db}, \"[:name {{:friend [:name]}}]\", [[\"!kw\",\"name\"], \"Bob\"]]"));
        Assert.Contains("\"age\":41", await Ok("pull-many", $"[{_db}, \"[:age]\", [[[\"!kw\",\"name\"], \"Bob\"]]]"));
        Assert.StartsWith("[\"!datahike/Entity\",", await Ok("entity", $"[{_db}, [[\"!kw\",\"name\"], \"Ada\"]]"), StringComparison.Ordinal);
        Assert.Contains("\"Ada\"", await Ok("datoms", $"[{_db}, [\"!kw\",\"avet\"], [\"!kw\",\"name\"]]"));
        Assert.Contains("\"Bob\"", await Ok("datoms", $"[{_db}, {{\"index\": [\"!kw\",\"avet\"], \"components\": [[\"!kw\",\"name\"], \"Bob\"]}}]"));
        Assert.Contains("\"Ada\"", await Ok("seek-datoms", $"[{_db}, [\"!kw\",\"avet\"], [\"!kw\",\"name\"]]"));
        Assert.Contains("\"Bob\"", await Ok("rseek-datoms", $"[{_db}, [\"!kw\",\"avet\"], [\"!kw\",\"name\"]]"));
        Assert.Contains("36", await Ok("index-range", $"[{_db}, {{\"attrid\": [\"!kw\",\"age\"], \"start\": 30, \"end\": 40}}]"));
    }

    [Fact]
    public async Task Time_travel_schema_and_versioning_routes_answer()
    {
        Assert.StartsWith("[\"!datahike/HistoricalDB\",", await Ok("history", $"[{_db}]"), StringComparison.Ordinal);
        // The schema went in with transaction 536870913, the people with 536870914.
        string beforePeople = await Ok("as-of", $"[{_db}, 536870913]");
        Assert.StartsWith("[\"!datahike/AsOfDB\",", beforePeople, StringComparison.Ordinal);
        Assert.Equal("null", await Ok("q", $"[\"[:find (count ?e) . :where [?e :name]]\", {beforePeople}]"));
        Assert.Equal("2", await Ok("q", $"[\"[:find (count ?e) . :where [?e :name]]\", {await Ok("as-of", $"[{_db}, 536870914]")}]"));
        Assert.StartsWith("[\"!datahike/SinceDB\",", await Ok("since", $"[{_db}, 536870914]"), StringComparison.Ordinal);
        Assert.Contains("\"db.type/string\"", await Ok("schema", $"[{_db}]"));
        Assert.Contains("\"db/unique\"", await Ok("reverse-schema", $"[{_db}]"));
        Assert.Contains("\"count\"", await Ok("metrics", $"[{_db}]"));
        string commit = await Ok("commit-id", $"[{_db}]");
        Assert.StartsWith("[\"!uuid\",", commit, StringComparison.Ordinal);
        Assert.StartsWith("[\"!set\",", await Ok("parent-commit-ids", $"[{_db}]"), StringComparison.Ordinal);
        Assert.StartsWith("[\"!datahike/DB\",", await Ok("commit-as-db", $"[{_conn}, {commit}]"), StringComparison.Ordinal);
        Assert.Equal("null", await Ok("branch", $"[{_conn}, [\"!kw\",\"db\"], [\"!kw\",\"draft\"]]"));
        Assert.Equal("[\"!set\",[[\"!kw\",\"db\"],[\"!kw\",\"draft\"]]]", Sorted(await Ok("branches", $"[{_conn}]")));
        Assert.StartsWith("[\"!datahike/DB\",", await Ok("branch-as-db", $"[{_conn}, [\"!kw\",\"draft\"]]"), StringComparison.Ordinal);
        Assert.Equal("null", await Ok("delete-branch", $"[{_conn}, [\"!kw\",\"draft\"]]"));
        Assert.Equal("true", await Ok("database-exists", _config));
    }

    [Fact]
    public async Task A_read_through_a_database_handle_is_repeatable_after_later_commits()
    {
        string count = "[\"[:find (count ?e) . :where [?e :name]]\", " + _db + "]";
        Assert.Equal("2", await Ok("q", count));
        await Ok("transact", $"[{_conn}, [{{\"name\": \"Cy\", \"age\": 7}}]]");
        Assert.Equal("2", await Ok("q", count));
        Assert.Equal("2", await Ok("q", count, HttpMethod.Get));
        Assert.Equal("3", await Ok("q", "[\"[:find (count ?e) . :where [?e :name]]\", " + await Ok("db", $"[{_conn}]") + "]"));
    }

    [Fact]
    public async Task Merging_loading_collecting_and_releasing_answer()
    {
        await Ok("branch", $"[{_conn}, [\"!kw\",\"db\"], [\"!kw\",\"side\"]]");
        Assert.StartsWith("[\"!datahike/TxReport\",", await Ok("merge-db", $"[{_conn}, [[\"!kw\",\"side\"]], [{{\"name\": \"Cy\", \"age\": 7}}]]"), StringComparison.Ordinal);
        Assert.Equal("{\"transactions\":1,\"datoms\":2}", await Ok("load-entities", $"[{_conn}, [[100, [\"!kw\",\"name\"], \"Dee\", 536870999, true], [100, [\"!kw\",\"age\"], 50, 536870999, true]]]"));
        Assert.Matches("^[0-9]+$", await Ok("gc-storage", $"[{_conn}]"));
        Assert.Equal("true", await Ok("release", $"[{_conn}]"));
        Assert.Equal(400, (await Post("db", $"[{_conn}]")).Status);
    }

    [Fact]
    public async Task A_missing_or_wrong_token_is_401_and_the_right_one_lets_the_call_in()
    {
        Assert.Equal(401, (await _server.SendAsync(HttpMethod.Post, "db", $"[{_conn}]")).Status);
        Assert.Equal(401, (await _server.SendAsync(HttpMethod.Post, "db", $"[{_conn}]", "t0ken-")).Status);
        Assert.Equal(401, (await _server.SendAsync(HttpMethod.Get, "q", "[\"[:find ?e :where [?e :name]]\"]", "wrong")).Status);
        Assert.Equal(200, (await _server.SendAsync(HttpMethod.Post, "db", $"[{_conn}]", Token)).Status);
    }

    [Theory]
    [InlineData("transact", "[1, 2", "not JSON")]
    [InlineData("db", "{\"a\": 1}", "of the function's arguments")]
    [InlineData("db", "[]", "takes 1 argument, not 0")]
    [InlineData("pull", "[1]", "takes 2 to 3 arguments, not 1")]
    [InlineData("q", "[\"[:find ?e :where\"]", "does not read")]
    [InlineData("schema", "[42]", "argument 1 must be a database value, not 42")]
    [InlineData("db", "[[\"!datahike/Connection\", [[[\"!kw\",\"mem\"],\"nobody\"],[\"!kw\",\"db\"]]]]", "holds no connection")]
    public async Task A_malformed_body_is_400_naming_what_is_wrong(string route, string body, string expected)
    {
        var (status, answer) = await _server.SendAsync(HttpMethod.Post, route, body, Token);
        Assert.Equal(400, status);
        Assert.Contains(expected, answer, StringComparison.Ordinal);
        Assert.Contains("\"ex-data\":{\"type\":[\"!kw\",\"server/", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_engine_error_is_400_with_its_code_and_a_write_by_GET_is_refused()
    {
        var (status, answer) = await _server.SendAsync(HttpMethod.Post, "transact", $"[{_conn}, [[\"db/add\", -1, \"nosuch\", 1]]]", Token);
        Assert.Equal(400, status);
        Assert.Contains("[\"!kw\",\"transact/schema\"]", answer, StringComparison.Ordinal);
        Assert.Equal(405, (await _server.SendAsync(HttpMethod.Get, "transact", $"[{_conn}, []]", Token)).Status);
    }

    [Fact]
    public async Task GET_takes_its_arguments_from_args_in_base64url()
    {
        string args = Convert.ToBase64String(Encoding.UTF8.GetBytes("[\"[:find ?n . :where [?e :age 36] [?e :name ?n]]\"," + _db + "]")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/q?args={args}");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("token", Token);
        using var response = await _server.Client.SendAsync(request);
        Assert.Equal("\"Ada\"", await response.Content.ReadAsStringAsync());
    }

    /// <summary>A set's members in a stable order, so that a set can be compared as text.</summary>
    private static string Sorted(string json)
    {
        var value = Formats.TaggedJson.Read(Encoding.UTF8.GetBytes(json));
        return value is Edn.EdnSet set
            ? "[\"!set\",[" + string.Join(",", set.Select(Formats.TaggedJson.WriteText).Order(StringComparer.Ordinal)) + "]]"
            : json;
    }
}
