using Hike.Api;
using Hike.Edn;
using Hike.Server.Handles;

namespace Hike.Server.Routes;

/// <summary>One call of a route: its arguments (handles already turned into connections and database values), the server's state and the request's cancellation.</summary>
internal sealed class ApiCall(IReadOnlyList<object?> args, ServerConnections connections, ServerConfig config, string route, CancellationToken cancellationToken)
{
    public IReadOnlyList<object?> Args { get; } = args;

    public ServerConnections Connections { get; } = connections;

    public ServerConfig Config { get; } = config;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public int Count => Args.Count;

    /// <summary>Argument <paramref name="i"/>, or null past the end.</summary>
    public object? this[int i] => i < Args.Count ? Args[i] : null;

    public Connection Connection(int i) => this[i] as Connection ?? throw Wrong(i, "a connection");

    public Database Db(int i) => this[i] as Database ?? throw Wrong(i, "a database value");

    public Keyword Keyword(int i) => this[i] as Keyword ?? throw Wrong(i, "a keyword");

    public EdnMap Map(int i) => this[i] as EdnMap ?? throw Wrong(i, "a map");

    /// <summary>
    /// Argument <paramref name="i"/> as a database config, once the server's policy lets the client name
    /// that database (and, with <paramref name="changes"/>, create or delete it); the databases the
    /// server opened itself are always let through.
    /// </summary>
    public DatabaseConfig DatabaseConfigAt(int i, bool changes = false)
    {
        var config = this[i] is EdnMap map ? DatabaseConfig.FromEdn(map) : throw Wrong(i, "a database config map");
        // The server writes its databases itself: a client's config must not send it calling elsewhere.
        if (config.RemoteWriter is not null) throw ServerErrors.Forbidden($"/{route}: a config sent to this server names no :writer or :remote-peer; the server is the writer");
        if (!Connections.IsServers(config)) Config.Policy.Check(config, changes);
        return config;
    }

    /// <summary>The arguments from <paramref name="i"/> on.</summary>
    public object?[] Rest(int i) => i < Args.Count ? [.. Args.Skip(i)] : [];

    /// <summary><c>server/bad-request</c>: argument <paramref name="i"/> is not <paramref name="what"/>.</summary>
    public HikeException Wrong(int i, string what) =>
        ServerErrors.BadRequest($"/{route}: argument {i + 1} must be {what}, not {Describe(this[i], i < Args.Count)}");

    private static string Describe(object? value, bool present) => value switch
    {
        _ when !present => "missing",
        Api.Connection => "a connection",
        Database => "a database value",
        _ => EdnPrinter.Print(value),
    };
}
