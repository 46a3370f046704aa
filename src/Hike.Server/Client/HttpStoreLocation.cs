using Hike.Api;
using Hike.Edn;
using Hike.Server.Formats;
using Hike.Server.Handles;
using Hike.Storage;

namespace Hike.Server.Client;

/// <summary>A database's store as a remote peer reaches it: through the server at <paramref name="url"/>, which knows it as <paramref name="config"/>'s <c>:store</c>.</summary>
internal sealed class HttpStoreLocation(Uri url, string? token, DatabaseConfig config) : IStoreLocation
{
    public string Key => $"{url} {EdnPrinter.Print(config.Store.ToEdn())}";

    public string Description => $"{EdnPrinter.Print(config.Store.ToEdn())} through {url}";

    /// <summary>Asks the server (<c>/database-exists</c>).</summary>
    public bool MayExist()
    {
        using var server = new ServerClient(url, token);
        return server.CallAsync("database-exists", [ServerConfigText()], CancellationToken.None).GetAwaiter().GetResult() is true;
    }

    public IKeyValueStore Open()
    {
        var server = new ServerClient(url, token);
        return new HttpStore(server, Description, () =>
        {
            var answer = server.CallAsync("connect", [ServerConfigText()], CancellationToken.None).GetAwaiter().GetResult();
            return ConnectionHandle.From((answer as Tagged)?.Value) ?? throw ServerErrors.BadAnswer("a connection", answer);
        });
    }

    /// <summary>Nothing to do here: the server deletes its databases (<c>/delete-database</c>).</summary>
    public void Vacate(IKeyValueStore store, IReadOnlyList<string> keyFolders)
    {
    }

    /// <summary>The config the server opens the database with: its store and branch, the rest as stored.</summary>
    private string ServerConfigText() => EdnPrinter.Print(EdnMap.Of(Keyword.Intern("store"), config.Store.ToEdn(), Keyword.Intern("branch"), config.Branch));
}
