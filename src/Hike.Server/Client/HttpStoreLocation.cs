using Hike.Api;
using Hike.Edn;
using Hike.Server.Formats;
using Hike.Server.Handles;
using Hike.Storage;

namespace Hike.Server.Client;

/// <summary>A database's store as a remote peer reaches it: through the server <paramref name="server"/> opens clients of, which knows it as <paramref name="config"/>'s <c>:store</c>.</summary>
internal sealed class HttpStoreLocation(Func<ServerClient> server, DatabaseConfig config) : IStoreLocation
{
    private readonly Uri _url = server().Url;

    public string Key => $"{_url} {EdnPrinter.Print(config.Store.ToEdn())}";

    public string Description => $"{EdnPrinter.Print(config.Store.ToEdn())} through {_url}";

    /// <summary>Asks the server (<c>/database-exists</c>).</summary>
    public bool MayExist()
    {
        using var client = server();
        return client.CallAsync("database-exists", [client.Config(ServerConfig())], CancellationToken.None).GetAwaiter().GetResult() is true;
    }

    public IKeyValueStore Open()
    {
        var client = server();
        return new HttpStore(client, Description, () =>
        {
            var answer = client.CallAsync("connect", [client.Config(ServerConfig())], CancellationToken.None).GetAwaiter().GetResult();
            return ConnectionHandle.From((answer as Tagged)?.Value) ?? throw ServerErrors.BadAnswer("a connection", answer);
        });
    }

    /// <summary>Nothing to do here: the server deletes its databases (<c>/delete-database</c>).</summary>
    public void Vacate(IKeyValueStore store, IReadOnlyList<string> keyFolders)
    {
    }

    /// <summary>The config the server opens the database with: its store and branch, the rest as stored.</summary>
    private EdnMap ServerConfig() => EdnMap.Of(Keyword.Intern("store"), config.Store.ToEdn(), Keyword.Intern("branch"), config.Branch);
}
