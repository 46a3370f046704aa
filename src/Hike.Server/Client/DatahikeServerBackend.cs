using Hike.Api;
using Hike.Edn;
using Hike.Storage;
using Hike.Writing;

[assembly: WriterBackend(typeof(Hike.Server.Client.DatahikeServerBackend))]

namespace Hike.Server.Client;

/// <summary>
/// <c>{:backend :datahike-server :url "http://…" :token "…" :format :edn|:json}</c>, as a connection's <c>:writer</c> (a
/// <see cref="RemoteWriter"/>) or its <c>:remote-peer</c> (the store read through the server, the
/// databases created and deleted by it, and the same writer).
/// </summary>
internal sealed class DatahikeServerBackend : IWriterBackend, IRemotePeerBackend
{
    public string Kind => "datahike-server";

    public IWriter Open(EdnMap options, DatabaseConfig config, DatabaseRuntime runtime) => new RemoteWriter(Client(options), config, runtime);

    public IStoreLocation Locate(EdnMap options, DatabaseConfig config)
    {
        var server = Settings(options);
        return new HttpStoreLocation(() => new ServerClient(server.Url, server.Token, server.Format), config);
    }

    public async Task CreateAsync(EdnMap options, DatabaseConfig config, CancellationToken cancellationToken)
    {
        using var server = Client(options);
        var created = config.InitialTx is null ? config.ToEdn() : config.ToEdn().With(Keyword.Intern("initial-tx"), config.InitialTx);
        await server.CallAsync("create-database", [server.Config(created)], cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(EdnMap options, DatabaseConfig config, CancellationToken cancellationToken)
    {
        using var server = Client(options);
        return await server.CallAsync("delete-database", [server.Config(config.ToEdn())], cancellationToken).ConfigureAwait(false) is true;
    }

    private static ServerClient Client(EdnMap options)
    {
        var (url, token, format) = Settings(options);
        return new ServerClient(url, token, format);
    }

    /// <summary>The server's address, token and format (<c>:format :edn</c>, the default, or <c>:json</c>) the options give; <c>server/config</c> naming what is wrong.</summary>
    private static (Uri Url, string? Token, Formats.WireFormat Format) Settings(EdnMap options)
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
        var format = (options.Get(Keyword.Intern("format")) as Keyword)?.FullName switch
        {
            null when options.Get(Keyword.Intern("format")) is null => Formats.WireFormat.Edn,
            "edn" => Formats.WireFormat.Edn,
            "json" => Formats.WireFormat.Json,
            _ => throw ServerErrors.BadConfig($":datahike-server :format must be :edn or :json, got {EdnPrinter.Print(options.Get(Keyword.Intern("format")))}"),
        };
        return (url, token, format);
    }
}
