using System.Globalization;
using System.Text;
using Hike.Testing;

namespace Hike.Cli.Tests;

/// <summary><c>hike serve</c>: Datahike's HTTP API until Ctrl-C.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_prints_its_url_answers_requests_and_stops_on_Ctrl_C_with_exit_0()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "server.edn"), "{:port 4444 :token \"cli-token\"}");
        using var hike = Cli.Start(dir.Path, "serve", "--config", "server.edn", "--port", "0");
        hike.StandardInput.Close();
        var error = hike.StandardError.ReadToEndAsync();
        var first = await hike.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1)) ?? "";
        Assert.StartsWith("{:url \"http://127.0.0.1:", first, StringComparison.Ordinal);
        var url = first[(first.IndexOf('"', StringComparison.Ordinal) + 1)..first.LastIndexOf('"')];

        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, url + "/database-exists")
        {
            Content = new StringContent("[\"{:store {:backend :mem :id \\\"serve-test\\\"}}\"]", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("token", "cli-token");
        using var response = await client.SendAsync(request);
        Assert.Equal("false", await response.Content.ReadAsStringAsync());

        Cli.RunTool("kill", "-INT", hike.Id.ToString(CultureInfo.InvariantCulture));
        await hike.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, hike.ExitCode);
        Assert.Equal("", await error);
    }

    [Fact]
    public async Task Commands_with_a_remote_peer_config_create_write_read_and_delete_through_the_server()
    {
        using var serverDir = new TempDirectory();
        using var clientDir = new TempDirectory();
        using var hike = Cli.Start(serverDir.Path, "serve", "--port", "0");
        hike.StandardInput.Close();
        var first = await hike.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1)) ?? "";
        var url = first[(first.IndexOf('"', StringComparison.Ordinal) + 1)..first.LastIndexOf('"')];
        try
        {
            // The client names the store as the server sees it; it never opens it.
            string store = Path.Combine(serverDir.Path, "shop");
            File.WriteAllText(Path.Combine(clientDir.Path, "peer.edn"), $"{{:store {{:backend :file :path \"{store}\"}} :schema-flexibility :read :remote-peer {{:backend :datahike-server :url \"{url}\"}}}}");
            Cli.Ok(clientDir.Path, "create-database", "peer.edn");
            Assert.Equal("true", Cli.Ok(clientDir.Path, "database-exists", "peer.edn"));
            Cli.Ok(clientDir.Path, "transact", "conn:peer.edn", "[{:item \"tea\" :qty 2} {:item \"cake\" :qty 1}]");
            Assert.Equal("3", Cli.Ok(clientDir.Path, "query", "[:find (sum ?q) . :where [_ :qty ?q]]", "db:peer.edn"));
            Assert.True(File.Exists(Path.Combine(store, "config")) || Directory.EnumerateFileSystemEntries(store).Any());
            Cli.Ok(clientDir.Path, "delete-database", "peer.edn");
            Assert.Equal("false", Cli.Ok(clientDir.Path, "database-exists", "peer.edn"));
        }
        finally
        {
            Cli.RunTool("kill", "-INT", hike.Id.ToString(CultureInfo.InvariantCulture));
            await hike.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public void Serve_refuses_a_network_address_without_a_token()
    {
        using var dir = new TempDirectory();
        var result = Cli.Run(dir.Path, null, "serve", "--host", "0.0.0.0", "--port", "0");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("[server/config]", result.Error, StringComparison.Ordinal);
    }
}
