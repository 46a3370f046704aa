using Hike.Api;
using Hike.Edn;

namespace Hike.Cli.Inputs;

/// <summary>
/// Turns dthk's prefixed arguments into values: <c>db:CONFIG</c>, <c>conn:CONFIG</c>,
/// <c>history:CONFIG</c>, <c>asof:TIME:CONFIG</c>, <c>since:TIME:CONFIG</c>, <c>branch:NAME:CONFIG</c>,
/// <c>commit:UUID:CONFIG</c>, <c>edn:FILE</c>, <c>json:FILE</c>, <c>cbor:FILE</c> (one CBOR value with
/// Datahike's tags, as dthk reads it); anything else is an EDN value. A
/// CONFIG is a config file or an inline EDN map. Keeps the connections it opened and releases them
/// when disposed.
/// </summary>
internal sealed class ArgumentResolver : IDisposable
{
    private readonly List<Connection> _connections = [];

    /// <summary>Any argument: a database, a connection or a value.</summary>
    public object? Resolve(string argument)
    {
        var (prefix, rest) = Split(argument);
        return prefix switch
        {
            "conn" => Connection(argument),
            "db" or "history" or "asof" or "since" or "branch" or "commit" => Database(argument),
            "edn" => EdnReader.Read(ReadFile(rest)),
            "json" => JsonValues.Parse(ReadFile(rest), rest),
            "cbor" => Cbor(rest),
            _ => Edn(argument),
        };
    }

    /// <summary>A value: <c>edn:FILE</c>, <c>json:FILE</c>, <c>cbor:FILE</c> or EDN text.</summary>
    public object? Value(string argument, string what)
    {
        var (prefix, rest) = Split(argument);
        return prefix switch
        {
            "edn" => EdnReader.Read(ReadFile(rest)),
            "json" => JsonValues.Parse(ReadFile(rest), rest),
            "cbor" => Cbor(rest),
            "db" or "conn" or "history" or "asof" or "since" or "branch" or "commit" => throw CliErrors.Argument($"Expected {what}, got the database argument {argument}"),
            _ => Edn(argument),
        };
    }

    /// <summary>A connection: <c>conn:CONFIG</c> (also <c>db:CONFIG</c>, as dthk's write commands accept it).</summary>
    public Connection Connection(string argument)
    {
        var (prefix, rest) = Split(argument);
        if (prefix is not ("conn" or "db")) throw CliErrors.Argument($"Expected a connection conn:CONFIG, got {argument}");
        return Connect(Config(rest));
    }

    /// <summary>A database value: <c>db:</c>, <c>history:</c>, <c>asof:</c>, <c>since:</c>, <c>branch:</c> or <c>commit:</c>.</summary>
    public Database Database(string argument)
    {
        var (prefix, rest) = Split(argument);
        switch (prefix)
        {
            case "db":
            case "conn":
                return Connect(Config(rest)).Db;
            case "history":
                return Connect(Config(rest)).Db.History();
            case "asof":
            case "since":
            {
                var (time, config) = SplitTime(rest, argument);
                var db = Connect(Config(config)).Db;
                return prefix == "asof" ? time.AsOf(db) : time.Since(db);
            }
            case "branch":
            {
                var (name, config) = SplitFirst(rest, argument, "branch:NAME:CONFIG");
                return Connect(Config(config) with { Branch = Keyword.Intern(name.TrimStart(':')) }).Db;
            }
            case "commit":
            {
                var (id, config) = SplitFirst(rest, argument, "commit:UUID:CONFIG");
                if (!Guid.TryParse(id, out var commit)) throw CliErrors.Argument($"Bad commit id {id} in {argument}: expected a UUID");
                return Connect(Config(config)).CommitAsDbAsync(commit).GetAwaiter().GetResult();
            }
            default:
                throw CliErrors.Argument($"Expected a database (db:CONFIG, history:CONFIG, asof:TIME:CONFIG, since:TIME:CONFIG, branch:NAME:CONFIG or commit:UUID:CONFIG), got {argument}");
        }
    }

    /// <summary>
    /// A configuration: a file, <c>edn:FILE</c>, or an inline EDN map. Relative store paths in a file are
    /// the file's folder's, in an inline map the working directory's.
    /// </summary>
    public static DatabaseConfig Config(string argument)
    {
        if (argument.TrimStart().StartsWith('{')) return DatabaseConfig.Parse(argument);
        var (prefix, rest) = Split(argument);
        string file = prefix == "edn" ? rest : argument;
        string text = ReadFile(file);
        try
        {
            return DatabaseConfig.Parse(text, Path.GetDirectoryName(Path.GetFullPath(file)));
        }
        catch (HikeException e)
        {
            // A config that does not read is told by its file, which the engine's message cannot know.
            throw CliErrors.InContext(e, $"{file}: {e.Message}");
        }
    }

    public void Dispose()
    {
        foreach (var connection in _connections) connection.Release();
        _connections.Clear();
    }

    private Connection Connect(DatabaseConfig config)
    {
        var connection = Api.Database.ConnectAsync(config).GetAwaiter().GetResult();
        _connections.Add(connection);
        return connection;
    }

    private static object? Edn(string text) => EdnReader.Read(text);

    private static string ReadFile(string path) => StrictUtf8.ReadFile(path);

    /// <summary>The CBOR value in <paramref name="path"/>; a value that does not decode is told with the file's name.</summary>
    private static object? Cbor(string path)
    {
        byte[] bytes = InputFiles.ReadBytes(path);
        try
        {
            return CborValueReader.Read(bytes);
        }
        catch (HikeException e)
        {
            throw CliErrors.InContext(e, $"{path}: {e.Message}");
        }
    }

    /// <summary>The prefix before the first colon, when it is one of the known ones.</summary>
    private static (string? Prefix, string Remainder) Split(string argument)
    {
        int colon = argument.IndexOf(':');
        if (colon <= 0) return (null, argument);
        var prefix = argument[..colon];
        return prefix is "db" or "conn" or "history" or "asof" or "since" or "branch" or "commit" or "edn" or "json" or "cbor"
            ? (prefix, argument[(colon + 1)..])
            : (null, argument);
    }

    /// <summary>TIME:CONFIG, where TIME may hold colons (an ISO instant, tx:N): the config is an inline map or what follows the last colon.</summary>
    private static (TimePoint Time, string Config) SplitTime(string rest, string argument)
    {
        int brace = rest.IndexOf(":{", StringComparison.Ordinal);
        int split = brace >= 0 ? brace : rest.LastIndexOf(':');
        if (split <= 0) throw CliErrors.Argument($"Expected TIME:CONFIG in {argument}");
        return (TimePoint.Parse(rest[..split]), rest[(split + 1)..]);
    }

    private static (string First, string Config) SplitFirst(string rest, string argument, string form)
    {
        int colon = rest.IndexOf(':', rest.StartsWith(':') ? 1 : 0);
        if (colon <= 0) throw CliErrors.Argument($"Expected {form}, got {argument}");
        return (rest[..colon], rest[(colon + 1)..]);
    }
}
