using Hike.Edn;

namespace Hike.Server.Tests;

public sealed class ServerConfigTests
{
    [Fact]
    public void Datahikes_server_keys_and_Hikes_own_are_read_and_an_unknown_key_is_refused()
    {
        var config = ServerConfig.FromEdn((EdnMap)EdnReader.Read(
            "{:port 4445 :host \"0.0.0.0\" :token \"s3cret\" :dev-mode false :level :debug :access-control-allow-origin [\"http://localhost:8080\"] :cache {:get {:max-age 60}} :max-body-bytes 1024 :query-timeout-ms 500}")!);
        Assert.Equal(4445, config.Port);
        Assert.Equal("0.0.0.0", config.Host);
        Assert.Equal("s3cret", config.Token);
        Assert.Equal(["http://localhost:8080"], config.AllowedOrigins);
        Assert.Equal(60, config.CacheMaxAgeSeconds);
        Assert.Equal(1024, config.MaxBodyBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(500), config.QueryTimeout);
        Assert.DoesNotContain("s3cret", config.ToString(), StringComparison.Ordinal);

        var error = Assert.Throws<HikeException>(() => ServerConfig.FromEdn((EdnMap)EdnReader.Read("{:prot 4444}")!));
        Assert.Equal(ServerErrorCodes.BadConfig, error.Code);
        Assert.Contains(":prot", error.Message, StringComparison.Ordinal);
        // A token of the wrong kind is not echoed back either.
        Assert.DoesNotContain("4242", Assert.Throws<HikeException>(() => ServerConfig.FromEdn((EdnMap)EdnReader.Read("{:token 4242}")!)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_environment_overrides_the_file_and_a_token_can_come_from_a_file()
    {
        string dir = Directory.CreateTempSubdirectory().FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "server.edn"), "{:port 4444 :token \"from-file\"}");
            File.WriteAllText(Path.Combine(dir, "token"), "from-token-file\n");
            var env = new Dictionary<string, string> { ["HIKE_PORT"] = "5555", ["HIKE_TOKEN_FILE"] = Path.Combine(dir, "token") };
            var config = ServerConfig.Load(Path.Combine(dir, "server.edn"), name => env.GetValueOrDefault(name));
            Assert.Equal(5555, config.Port);
            Assert.Equal("from-token-file", config.Token);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Relative_paths_in_a_config_file_are_its_folders()
    {
        using var dir = new Hike.Testing.TempDirectory();
        string conf = Directory.CreateDirectory(Path.Combine(dir.Path, "conf")).FullName;
        File.WriteAllText(Path.Combine(conf, "token"), "t0k3n\n");
        File.WriteAllText(Path.Combine(conf, "server.edn"), """
            {:token-file "token"
             :databases [{:store {:backend :file :path "people" :id "p"}}
                         {:store {:backend :file :path "/srv/absolute" :id "a"}}]
             :create-database {:paths ["dbs"]}}
            """);
        var config = ServerConfig.Load(Path.Combine(conf, "server.edn"), _ => null);
        Assert.Equal("t0k3n", config.Token);
        Assert.Equal([Path.Combine(conf, "people"), "/srv/absolute"], config.Databases.Select(d => d.Store.Path));
        Assert.Equal([Path.Combine(conf, "dbs")], config.Policy.Paths);
    }

    [Fact]
    public async Task A_server_open_to_the_network_needs_a_token_and_no_dev_mode()
    {
        Assert.Equal(ServerErrorCodes.BadConfig, (await Assert.ThrowsAsync<HikeException>(() => HikeServer.StartAsync(new ServerConfig { Host = "0.0.0.0", Port = 0 }))).Code);
        Assert.Equal(ServerErrorCodes.BadConfig, (await Assert.ThrowsAsync<HikeException>(() => HikeServer.StartAsync(new ServerConfig { Host = "0.0.0.0", Port = 0, Token = "t", DevMode = true }))).Code);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        await using var server = await TestServer.StartAsync(new ServerConfig { MaxBodyBytes = 100 });
        var (status, body) = await server.SendAsync(HttpMethod.Post, "q", "[\"" + new string('x', 200) + "\"]");
        Assert.Equal(413, status);
        Assert.Contains("server/too-large", body, StringComparison.Ordinal);
    }
}
