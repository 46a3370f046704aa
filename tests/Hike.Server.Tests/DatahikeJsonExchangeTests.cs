namespace Hike.Server.Tests;

/// <summary>
/// The JSON exchange of Datahike's own server test (<c>datahike.test.http.server-test/test-json-interface</c>),
/// as raw HTTP with the bodies it sends: create a database with <c>:schema-flexibility :read</c>,
/// connect with the config it answered, transact JSON maps, take the database value, query it.
/// </summary>
public sealed class DatahikeJsonExchangeTests
{
    private const string Token = "securerandompassword";
    private const string Config = "[\"{:store {:backend :memory :id #uuid \\\"23196000-0000-0000-0000-000000000001\\\"} :schema-flexibility :read}\"]";

    [Fact]
    public async Task Create_connect_transact_db_and_q_answer_as_Datahike_does()
    {
        await using var server = await TestServer.StartAsync(new ServerConfig { DevMode = true, Token = Token });

        var (status, rawConfig) = await server.SendAsync(HttpMethod.Post, "create-database", Config, Token);
        Assert.Equal(200, status);
        (status, var rawConn) = await server.SendAsync(HttpMethod.Post, "connect", $"[{rawConfig}]", Token);
        Assert.Equal(200, status);
        Assert.StartsWith("[\"!datahike/Connection\",", rawConn, StringComparison.Ordinal);
        (status, var report) = await server.SendAsync(HttpMethod.Post, "transact", $"[{rawConn}, [{{\"name\": \"Peter\", \"age\": 42}}]]", Token);
        Assert.True(status == 200, report);
        (status, var rawDb) = await server.SendAsync(HttpMethod.Post, "db", $"[{rawConn}]", Token);
        Assert.Equal(200, status);
        Assert.StartsWith("[\"!datahike/DB\",", rawDb, StringComparison.Ordinal);

        (status, var answer) = await server.SendAsync(HttpMethod.Get, "q", $"[\"[:find ?n ?a :in $1 :where [$1 ?e :age ?a] [$1 ?e :name ?n]]\",{rawDb}]", Token);
        Assert.Equal(200, status);
        Assert.Equal("[\"!set\",[[\"Peter\",42]]]", answer);

        (status, var deleted) = await server.SendAsync(HttpMethod.Post, "delete-database", Config, Token);
        Assert.Equal((200, "true"), (status, deleted));
    }
}
