using System.Globalization;
using Hike.Edn;

namespace Hike.Server;

/// <summary>
/// How a Hike server runs, with Datahike's server keys: <c>:port :host :token :dev-mode
/// :access-control-allow-origin :cache {:get {:max-age N}}</c>, and Hike's <c>:max-body-bytes</c>
/// (default 64 MiB), <c>:query-timeout-ms</c> (default 30 s), <c>:token-file</c>, <c>:databases</c>, <c>:create-database</c>, <c>:prometheus</c> and <c>:console</c>.
/// </summary>
public sealed record ServerConfig
{
    /// <summary>The port a server listens on unless told otherwise, as in Datahike's example config.</summary>
    public const int DefaultPort = 4444;

    /// <summary>The TCP port (<c>:port</c>, 4444 by default as Datahike's example config).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>The address to listen on (<c>:host</c>); loopback unless said otherwise.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The token a client must send as <c>Authorization: token &lt;t&gt;</c> (<c>:token</c>, or read from <c>:token-file</c>).</summary>
    public string? Token { get; init; }

    /// <summary>Datahike's <c>:dev-mode</c>: every request is let in, token or not (only on a loopback address).</summary>
    public bool DevMode { get; init; }

    /// <summary>Origins a browser may call from (<c>:access-control-allow-origin</c>, a string or a vector of them); Datahike's default, the local development origins.</summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = ["http://localhost", "http://localhost:8080"];

    /// <summary><c>:cache {:get {:max-age N}}</c>: how long a GET through a database handle may be cached, in seconds.</summary>
    public int? CacheMaxAgeSeconds { get; init; }

    /// <summary>The largest request body (<c>:max-body-bytes</c>).</summary>
    public long MaxBodyBytes { get; init; } = 64L << 20;

    /// <summary>How long a query may run (<c>:query-timeout-ms</c>); it is cancelled then, and the answer is 503.</summary>
    public TimeSpan QueryTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often <c>/listen</c> sends a heartbeat to a quiet client (<c>:heartbeat-ms</c>, 15 s).</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The most datoms a <c>/listen</c> report carries (<c>:listen-max-datoms</c>, 1,000); a larger transaction's report says it was cut.</summary>
    public int ListenMaxDatoms { get; init; } = 1000;

    /// <summary>
    /// Databases the server opens when it starts (<c>:databases [config …]</c>), with what only it may
    /// hold, such as a store's credentials: a client then connects to one naming its store alone
    /// (<c>{:store {:backend :s3 :bucket … :id …}}</c>), never sending a secret.
    /// </summary>
    public IReadOnlyList<Api.DatabaseConfig> Databases { get; init; } = [];

    /// <summary>Whether the query console is served at <c>/</c> (<c>:console</c>, on by default; off leaves <c>/</c> to an application that maps its own).</summary>
    public bool Console { get; init; } = true;

    /// <summary>Whether <c>GET /prometheus</c> serves the server's and the engine's metrics in Prometheus' text format (<c>:prometheus</c>, off by default).</summary>
    public bool Prometheus { get; init; }

    /// <summary>Which databases clients may open, create and delete (<c>:create-database</c>); any, by default.</summary>
    public DatabasePolicy Policy { get; init; } = new();

    /// <summary>Whether the server listens on a loopback address only.</summary>
    public bool IsLoopback => Host is "localhost" or "127.0.0.1" or "::1" or "[::1]";

    /// <summary>Reads the config an EDN map gives; keys it does not know are refused by name (a typo must not leave a server open).</summary>
    /// <remarks>
    /// Relative paths (<c>:token-file</c>, the stores of <c>:databases</c>) are <paramref name="relativeTo"/>'s
    /// when given (the config file's folder), else the working directory's.
    /// </remarks>
    public static ServerConfig FromEdn(EdnMap map, string? relativeTo = null)
    {
        var config = new ServerConfig();
        foreach (var (key, value) in map)
        {
            config = (key as Keyword)?.FullName switch
            {
                "port" => config with { Port = Int(key, value, 0, 65535) },
                "host" => config with { Host = Text(key, value) },
                "token" => config with { Token = Text(key, value) },
                "token-file" => config with { Token = ReadTokenFile(relativeTo is null ? Text(key, value) : Path.Combine(relativeTo, Text(key, value))) },
                "dev-mode" => config with { DevMode = value is true },
                "access-control-allow-origin" => config with { AllowedOrigins = value is string one ? [one] : value is IEnumerable<object?> many ? [.. many.Select(o => Text(key, o))] : throw Invalid(key, value, "an origin or a vector of origins") },
                "cache" => config with { CacheMaxAgeSeconds = MaxAge(key, value) },
                "max-body-bytes" => config with { MaxBodyBytes = Int(key, value, 1, long.MaxValue) },
                "query-timeout-ms" => config with { QueryTimeout = TimeSpan.FromMilliseconds(Int(key, value, 1, int.MaxValue)) },
                "heartbeat-ms" => config with { Heartbeat = TimeSpan.FromMilliseconds(Int(key, value, 1, int.MaxValue)) },
                "listen-max-datoms" => config with { ListenMaxDatoms = Int(key, value, 0, int.MaxValue) },
                "databases" => config with { Databases = value is EdnSequence databases ? [.. databases.Select(d => Api.DatabaseConfig.FromEdn(d, relativeTo))] : throw Invalid(key, value, "a vector of database configs") },
                "console" => config with { Console = value as bool? ?? throw Invalid(key, value, "true or false") },
                "prometheus" => config with { Prometheus = value as bool? ?? throw Invalid(key, value, "true or false") },
                "create-database" => config with { Policy = DatabasePolicy.FromEdn(value, relativeTo) },
                "level" or "join?" => config,
                _ => throw ServerErrors.BadConfig($"Unknown server config key {EdnPrinter.Print(key)}"),
            };
        }
        return config;
    }

    /// <summary>
    /// The config in <paramref name="path"/> (when given), then the <c>HIKE_PORT</c>, <c>HIKE_HOST</c>,
    /// <c>HIKE_TOKEN</c>, <c>HIKE_TOKEN_FILE</c>, <c>HIKE_DEV_MODE</c> environment variables over it.
    /// </summary>
    public static ServerConfig Load(string? path, Func<string, string?> environment)
    {
        var config = path is null ? new ServerConfig() : FromEdn(EdnReader.Read(File.ReadAllText(path)) as EdnMap
            ?? throw ServerErrors.BadConfig($"{path} holds no EDN map"), Path.GetDirectoryName(Path.GetFullPath(path)));
        if (environment("HIKE_PORT") is { } port) config = config with { Port = int.Parse(port, CultureInfo.InvariantCulture) };
        if (environment("HIKE_HOST") is { } host) config = config with { Host = host };
        if (environment("HIKE_TOKEN") is { } token) config = config with { Token = token };
        if (environment("HIKE_TOKEN_FILE") is { } tokenFile) config = config with { Token = ReadTokenFile(tokenFile) };
        if (environment("HIKE_DEV_MODE") is { } dev) config = config with { DevMode = dev is "1" or "true" };
        return config;
    }

    /// <summary>Refuses a server that anyone on the network could use: a non-loopback address without a token, or in dev mode.</summary>
    public void CheckExposure()
    {
        if (IsLoopback) return;
        if (Token is null) throw ServerErrors.BadConfig($"A server on {Host} needs a :token: only a loopback address may go without one");
        if (DevMode) throw ServerErrors.BadConfig($":dev-mode lets every request in: only a loopback address may use it, not {Host}");
    }

    /// <summary>The config as it may be logged: the token redacted.</summary>
    public override string ToString() => $"{{:port {Port} :host \"{Host}\" :token {(Token is null ? "nil" : "\"REDACTED\"")} :dev-mode {(DevMode ? "true" : "false")}}}";

    private static string ReadTokenFile(string path) => File.ReadAllText(path).Trim();

    private static string Text(object key, object? value) => value as string ?? throw Invalid(key, value, "a string");

    private static long Int(object key, object? value, long min, long max) =>
        value is long n && n >= min && n <= max ? n : throw Invalid(key, value, $"an integer from {min} to {max}");

    private static int Int(object key, object? value, int min, int max) => (int)Int(key, value, (long)min, max);

    private static int? MaxAge(object key, object? value) =>
        value is EdnMap cache && cache.Get(Keyword.Intern("get")) is EdnMap get && get.Get(Keyword.Intern("max-age")) is long age and >= 0 and <= int.MaxValue
            ? (int)age
            : throw Invalid(key, value, "{:get {:max-age seconds}}");

    private static HikeException Invalid(object key, object? value, string what) =>
        new(ServerErrorCodes.BadConfig, $"Server config {EdnPrinter.Print(key)} must be {what}, not {(EdnPrinter.Print(key) is ":token" or ":databases" ? "that" : EdnPrinter.Print(value))}");
}
