namespace Hike.Server.Tests;

/// <summary>A connection handle names one store: file stores by their full path, as Datahike's store identity does.</summary>
public sealed class HandleTests
{
    [Fact]
    public async Task Two_file_databases_without_ids_get_handles_of_their_own()
    {
        string root = Directory.CreateTempSubdirectory("hike-handles-").FullName;
        try
        {
            await using var server = await TestServer.StartAsync();
            string ConfigOf(string name) => $"[{{:store {{:backend :file :path \"{Path.Combine(root, name)}\"}} :schema-flexibility :read}}]";
            foreach (var name in new[] { "a", "b" }) Assert.Equal(200, (await server.SendAsync(HttpMethod.Post, "create-database", ConfigOf(name), mediaType: "application/edn")).Status);
            var (_, a) = await server.SendAsync(HttpMethod.Post, "connect", ConfigOf("a"), mediaType: "application/edn");
            var (_, b) = await server.SendAsync(HttpMethod.Post, "connect", ConfigOf("b"), mediaType: "application/edn");
            Assert.NotEqual(a, b);
            Assert.Contains(Path.Combine(root, "a"), a, StringComparison.Ordinal);

            await server.SendAsync(HttpMethod.Post, "transact", $"[{a} [{{:n 1}}]]", mediaType: "application/edn");
            var (_, dbB) = await server.SendAsync(HttpMethod.Post, "db", $"[{b}]", mediaType: "application/edn");
            var (_, inB) = await server.SendAsync(HttpMethod.Post, "q", $"[[:find (count ?e) . :where [?e :n]] {dbB}]", mediaType: "application/edn");
            Assert.Equal("nil", inB);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
