using Hike.Api;
using Hike.Edn;
using Hike.Storage;
using Hike.Writing;

[assembly: WriterBackend(typeof(Hike.Server.Client.DatahikeServerBackend))]

namespace Hike.Server.Client;

/// <summary>
/// <c>{:backend :datahike-server :url "http://…" :token "…"}</c>, as a connection's <c>:writer</c> (a
/// <see cref="RemoteWriter"/>) or its <c>:remote-peer</c> (the store read through the server, the
/// databases created and deleted by it, and the same writer).
/// </summary>
internal sealed class DatahikeServerBackend : IWriterBackend, IRemotePeerBackend
{
    public string Kind => "datahike-server";

    public IWriter Open(EdnMap options, DatabaseConfig config, DatabaseRuntime runtime)
    {
        var (url, token) = Server(options);
        return new RemoteWriter(url, token, config, runtime);
    }

    public IStoreLocation Locate(EdnMap options, DatabaseConfig config)
    {
        var (url, token) = Server(options);
        return new HttpStoreLocation(url, token, config);
    }

    public async Task CreateAsync(EdnMap options, DatabaseConfig config, CancellationToken cancellationToken)
    {
        var (url, token) = Server(options);
        using var server = new ServerClient(url, token);
        var created = config.InitialTx is null ? config.ToEdn() : config.ToEdn().With(Keyword.Intern("initial-tx"), config.InitialTx);
        await server.CallAsync("create-database", [EdnPrinter.Print(created)], cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(EdnMap options, DatabaseConfig config, CancellationToken cancellationToken)
    {
        var (url, token) = Server(options);
        using var server = new ServerClient(url, token);
        return await server.CallAsync("delete-database", [EdnPrinter.Print(config.ToEdn())], cancellationToken).ConfigureAwait(false) is true;
    }

    /// <summary>The server's address and token the options give; <c>server/config</c> naming what is wrong.</summary>
    private static (Uri Url, string? Token) Server(EdnMap options)
    {
        var url = options.Get(Keyword.Intern("url")) as string is { } text && Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw ServerErrors.BadConfig($":datahike-server needs :url, the server's http:// or https:// address, got {EdnPrinter.Print(options.Get(Keyword.Intern("url")))}");
        var token = options.Get(Keyword.Intern("token")) switch
        {
            null => null,
            string t => t,
            _ => throw ServerErrors.BadConfig(":datahike-server :token must be a string"),
        };
        return (url, token);
    }
}
