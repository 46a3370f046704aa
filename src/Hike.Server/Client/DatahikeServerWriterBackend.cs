using Hike.Api;
using Hike.Edn;
using Hike.Writing;

[assembly: WriterBackend(typeof(Hike.Server.Client.DatahikeServerWriterBackend))]

namespace Hike.Server.Client;

/// <summary><c>:writer {:backend :datahike-server :url "http://…" :token "…"}</c>: a <see cref="RemoteWriter"/>.</summary>
internal sealed class DatahikeServerWriterBackend : IWriterBackend
{
    public string Kind => "datahike-server";

    public IWriter Open(EdnMap options, DatabaseConfig config, DatabaseRuntime runtime)
    {
        var url = options.Get(Keyword.Intern("url")) as string is { } text && Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw ServerErrors.BadConfig($":writer :datahike-server needs :url, the server's http:// or https:// address, got {EdnPrinter.Print(options.Get(Keyword.Intern("url")))}");
        var token = options.Get(Keyword.Intern("token")) switch
        {
            null => null,
            string t => t,
            _ => throw ServerErrors.BadConfig(":writer :token must be a string"),
        };
        return new RemoteWriter(url, token, config, runtime);
    }
}
