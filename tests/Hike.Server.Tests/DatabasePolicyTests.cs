using Hike.Api;
using Hike.Edn;

namespace Hike.Server.Tests;

/// <summary>
/// <c>:create-database</c>: which databases a server's clients may open, create and delete; the ones the
/// server opened itself (<c>:databases</c>) are always theirs to use, and no client config makes the
/// server call elsewhere.
/// </summary>
public sealed class DatabasePolicyTests : IAsyncLifetime
{
    private const string Token = "t";
    private string _dir = "";

    public Task InitializeAsync()
    {
        _dir = Directory.CreateTempSubdirectory("hike-policy-").FullName;
        Directory.CreateDirectory(Path.Combine(_dir, "allowed"));
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public void The_policy_is_read_from_the_server_config_and_a_wrong_key_is_refused()
    {
        var config = ServerConfig.FromEdn((EdnMap)EdnReader.Read($"{{:create-database {{:backends [:file] :paths [\"{_dir}/allowed\"] :create? false}}}}")!);
        Assert.Equal(["file"], config.Policy.Backends!);
        Assert.Equal([Path.Combine(_dir, "allowed")], config.Policy.Paths!);
        Assert.False(config.Policy.MayCreate);
        Assert.True(new ServerConfig().Policy.MayCreate);
        var error = Assert.Throws<HikeException>(() => ServerConfig.FromEdn((EdnMap)EdnReader.Read("{:create-database {:backend [:file]}}")!));
        Assert.Equal(ServerErrorCodes.BadConfig, error.Code);
        Assert.Contains(":backend", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clients_create_only_where_the_policy_lets_them_and_anything_else_is_403_naming_why()
    {
        var policy = new DatabasePolicy { Backends = new HashSet<string> { "file" }, Paths = [Path.Combine(_dir, "allowed")] };
        await using var server = await TestServer.StartAsync(new ServerConfig { Token = Token, Policy = policy });

        var (created, _) = await server.SendAsync(HttpMethod.Post, "create-database", Config("allowed/db"), Token, "application/edn");
        Assert.Equal(200, created);
        var (outside, why) = await server.SendAsync(HttpMethod.Post, "create-database", Config("elsewhere"), Token, "application/edn");
        Assert.Equal(403, outside);
        Assert.Contains(":server/forbidden", why, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_dir, "allowed"), why, StringComparison.Ordinal);
        // A path that only looks inside is outside.
        Assert.Equal(403, (await server.SendAsync(HttpMethod.Post, "connect", Config("allowed/../elsewhere"), Token, "application/edn")).Status);
        Assert.Equal(403, (await server.SendAsync(HttpMethod.Post, "connect", Config("allowed-not"), Token, "application/edn")).Status);
        Assert.False(Directory.Exists(Path.Combine(_dir, "elsewhere")));
        var (memory, mem) = await server.SendAsync(HttpMethod.Post, "create-database", "[{:store {:backend :mem :id \"m\"}}]", Token, "application/edn");
        Assert.Equal(403, memory);
        Assert.Contains("not :mem", mem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_create_clients_open_what_there_is_and_the_servers_own_databases_whatever_the_policy()
    {
        var own = new DatabaseConfig { Store = StoreConfig.File(Path.Combine(_dir, "own")) };
        await Database.CreateAsync(own);
        await Database.CreateAsync(new DatabaseConfig { Store = StoreConfig.File(Path.Combine(_dir, "allowed", "old")) });
        var policy = new DatabasePolicy { Paths = [Path.Combine(_dir, "allowed")], MayCreate = false };
        await using var server = await TestServer.StartAsync(new ServerConfig { Token = Token, Policy = policy, Databases = [own] });

        Assert.Equal(403, (await server.SendAsync(HttpMethod.Post, "create-database", Config("allowed/new"), Token, "application/edn")).Status);
        Assert.Equal(403, (await server.SendAsync(HttpMethod.Post, "delete-database", Config("allowed/old"), Token, "application/edn")).Status);
        Assert.Equal(200, (await server.SendAsync(HttpMethod.Post, "connect", Config("allowed/old"), Token, "application/edn")).Status);
        Assert.Equal(200, (await server.SendAsync(HttpMethod.Post, "connect", Config("own"), Token, "application/edn")).Status);
    }

    [Fact]
    public async Task A_config_that_would_make_the_server_call_elsewhere_is_refused()
    {
        await using var server = await TestServer.StartAsync(new ServerConfig { Token = Token });
        foreach (var key in new[] { "writer", "remote-peer" })
        {
            var (status, why) = await server.SendAsync(HttpMethod.Post, "create-database", $"[{{:store {{:backend :file :path \"{_dir}/x\"}} :{key} {{:backend :datahike-server :url \"http://169.254.169.254/\"}}}}]", Token, "application/edn");
            Assert.Equal(403, status);
            Assert.Contains("the server is the writer", why, StringComparison.Ordinal);
        }
    }

    private string Config(string path) => $"[{{:store {{:backend :file :path \"{Path.Combine(_dir, path)}\"}}}}]";
}
