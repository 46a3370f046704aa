using Hike.Db;
using Hike.Edn;

namespace Hike.Api;

/// <summary>
/// How to create or connect to a database: the store, whether history is kept, schema flexibility,
/// initial transaction data, branch, and the C# functions transactions may call. Build it in C# or
/// read Datahike's EDN config with <see cref="Parse"/>, e.g.
/// <c>{:store {:backend :mem :id "example"} :keep-history? true :schema-flexibility :read}</c>.
/// </summary>
public sealed record DatabaseConfig
{
    private static readonly Keyword DefaultBranch = Keyword.Intern("db");
    private bool _keepHistory = true;
    private SchemaFlexibility _schemaFlexibility = SchemaFlexibility.Write;
    private TimeSpan? _queryTimeout;
    private long _queryMaxRows = Query.QueryLimits.DefaultMaxRows;

    /// <summary>The store (default: a fresh in-memory store).</summary>
    public StoreConfig Store { get; init; } = StoreConfig.Memory();

    /// <summary>Keep every superseded fact for <c>History</c>, <c>AsOf</c> and <c>Since</c> (<c>:keep-history?</c>, default true).</summary>
    public bool KeepHistory
    {
        get => _keepHistory;
        init
        {
            _keepHistory = value;
            ExplicitKeepHistory = true;
        }
    }

    /// <summary>When the schema is enforced (<c>:schema-flexibility</c>, default <c>:write</c>).</summary>
    public SchemaFlexibility SchemaFlexibility
    {
        get => _schemaFlexibility;
        init
        {
            _schemaFlexibility = value;
            ExplicitSchemaFlexibility = true;
        }
    }

    /// <summary>Transaction data applied when the database is created (<c>:initial-tx</c>), e.g. its schema.</summary>
    public object? InitialTx { get; init; }

    /// <summary>A name for the database (<c>:name</c>).</summary>
    public string? Name { get; init; }

    /// <summary>The branch to connect to (<c>:branch</c>, default <c>:db</c>).</summary>
    public Keyword Branch { get; init; } = DefaultBranch;

    /// <summary>
    /// The most memory, in bytes, the cache of index nodes loaded from a durable store may hold
    /// (<c>:cache-bytes</c>, default 256 MiB). Nodes beyond it are dropped least recently used first and
    /// loaded again on the next touch. Not stored with the database: the first connection a process
    /// opens to a database sets it for all of that process's connections to it.
    /// </summary>
    public long CacheBytes { get; init; } = 256L << 20;

    /// <summary>The C# transaction functions and predicates transactions may call. Not stored.</summary>
    public FunctionRegistry Functions { get; init; } = new();

    /// <summary>
    /// How long a query over this database may run unless it says otherwise (<c>:query-timeout-ms</c>,
    /// default none); past it the query fails with <c>query/timeout</c>. A query's own
    /// <c>:timeout</c> or <see cref="QueryRequest.Timeout"/> replaces it. Not stored.
    /// </summary>
    public TimeSpan? QueryTimeout
    {
        get => _queryTimeout;
        init => _queryTimeout = Query.QueryLimits.Positive(value);
    }

    /// <summary>
    /// The most rows any relation a query over this database builds may hold unless the query says
    /// otherwise (<c>:query-max-rows</c>, default ten million, about a gigabyte); past it the query fails
    /// with <c>query/too-large</c> instead of exhausting memory. A query's own <c>:max-rows</c> or
    /// <see cref="QueryRequest.MaxRows"/> replaces it. Not stored.
    /// </summary>
    public long QueryMaxRows
    {
        get => _queryMaxRows;
        init => _queryMaxRows = Query.QueryLimits.Positive(value) ?? value;
    }

    internal bool ExplicitKeepHistory { get; private init; }

    internal bool ExplicitSchemaFlexibility { get; private init; }

    internal DbOptions Options => new(KeepHistory, SchemaFlexibility);

    internal Query.QueryLimits QueryLimits => new(QueryTimeout, (int)Math.Min(QueryMaxRows, int.MaxValue));

    /// <summary>
    /// Reads Datahike's EDN configuration. Unknown keys, and known ones Hike cannot honour, are errors.
    /// Relative store paths (a <c>:file</c> store's <c>:path</c>, a SQLite <c>:dbname</c>) are resolved
    /// against <paramref name="relativeTo"/> when given (the folder of the file the text came from),
    /// else they stay relative to the working directory.
    /// </summary>
    public static DatabaseConfig Parse(string edn, string? relativeTo = null)
    {
        ArgumentNullException.ThrowIfNull(edn);
        return FromEdn(EdnReader.Read(edn), relativeTo);
    }

    /// <summary>
    /// Reads a configuration file, its relative store paths resolved against the file's folder (so it
    /// opens the same database from any working directory); a config that does not read names the file.
    /// </summary>
    public static DatabaseConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = System.IO.Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Errors.Config($"{path}: {e.Message}");
        }
        try
        {
            return Parse(text, System.IO.Path.GetDirectoryName(full));
        }
        catch (HikeException e)
        {
            throw Errors.InContext(e, $"{path}: {e.Message}");
        }
    }

    /// <summary>Reads Datahike's configuration from an EDN map value; relative store paths as <see cref="Parse"/> says.</summary>
    public static DatabaseConfig FromEdn(object? map, string? relativeTo = null)
    {
        var entries = Maps.ToEntries(map) ?? throw Errors.Config($"Configuration must be a map, got {Errors.Show(map)}");
        var config = new DatabaseConfig();
        foreach (var (key, value) in entries)
        {
            config = (key as Keyword)?.FullName switch
            {
                "store" => config with { Store = StoreConfig.FromEdn(relativeTo is null ? value : StorePaths.Resolve(value, relativeTo)) },
                "keep-history?" => config with { KeepHistory = value as bool? ?? throw Errors.Config($":keep-history? must be true or false, got {Errors.Show(value)}") },
                "schema-flexibility" => config with { SchemaFlexibility = ParseFlexibility(value) },
                "initial-tx" => config with { InitialTx = value },
                "name" => config with { Name = value as string ?? throw Errors.Config($":name must be a string, got {Errors.Show(value)}") },
                "branch" => config with { Branch = value as Keyword ?? throw Errors.Config($":branch must be a keyword, got {Errors.Show(value)}") },
                "attribute-refs?" => value is false ? config : throw Errors.Config(":attribute-refs? true is not supported: Hike interns attributes itself"),
                "index" => value is Keyword { FullName: "datahike.index/persistent-set" } ? config : throw Errors.Config($":index {Errors.Show(value)} is not supported, only :datahike.index/persistent-set"),
                "search-cache-size" or "store-cache-size" => value is long n && n >= 0 ? config : throw Errors.Config($"{key} must be a non-negative integer, got {Errors.Show(value)}"),
                "cache-bytes" => config with { CacheBytes = value is long bytes && bytes > 0 ? bytes : throw Errors.Config($":cache-bytes must be a positive integer, got {Errors.Show(value)}") },
                "crypto-hash?" => value is false ? config : throw Errors.Config(":crypto-hash? true is not supported"),
                "writer" => config with { Writer = IsSelfWriter(value) ? null : value as EdnMap is { } writer && writer.Get(Keyword.Intern("backend")) is Keyword ? writer : throw Errors.Config($":writer must be a map with a :backend keyword, {{:backend :self}} or {{:backend :datahike-server :url … :token …}}, got {Errors.Show(value)}") },
                "remote-peer" => config with { RemotePeer = value as EdnMap is { } peer && peer.Get(Keyword.Intern("backend")) is Keyword ? peer : throw Errors.Config($":remote-peer must be a map with a :backend keyword, {{:backend :datahike-server :url … :token …}}, got {Errors.Show(value)}") },
                // DATAHIKE: query limits in the config are Hike's; Datahike only has :timeout per query.
                "query-timeout-ms" => config with { QueryTimeout = value is long ms && ms > 0 ? TimeSpan.FromMilliseconds(ms) : throw Errors.Config($":query-timeout-ms must be a positive integer, got {Errors.Show(value)}") },
                "query-max-rows" => config with { QueryMaxRows = value is long rows && rows > 0 ? rows : throw Errors.Config($":query-max-rows must be a positive integer, got {Errors.Show(value)}") },
                _ => throw Errors.Config($"Unknown configuration key {Errors.Show(key)}"),
            };
        }
        return config;
    }

    /// <summary>
    /// Where this connection's writes go (<c>:writer</c>): null for this process (Datahike's
    /// <c>{:backend :self}</c>), or a remote writer's options, e.g. <c>{:backend :datahike-server :url
    /// "http://…" :token "…"}</c>, while reads stay on the store. Not part of the stored config.
    /// </summary>
    public EdnMap? Writer { get; init; }

    /// <summary>
    /// Where this process reaches the database when it has no access to its store (<c>:remote-peer</c>):
    /// null for the store itself, or a server's options, e.g. <c>{:backend :datahike-server :url
    /// "http://…" :token "…"}</c>. Then <see cref="Store"/> names the store as the server knows it, the
    /// database's objects are read through the server, and writes go to it (unless <see cref="Writer"/>
    /// says otherwise). Not part of the stored config.
    /// </summary>
    public EdnMap? RemotePeer { get; init; }

    /// <summary>Where writes go when not to this process: <see cref="Writer"/>, else the <see cref="RemotePeer"/>'s server.</summary>
    internal EdnMap? RemoteWriter => Writer ?? RemotePeer;

    /// <summary>The configuration as Datahike's EDN map (without functions, which are code, or the connection's :writer and :remote-peer).</summary>
    public EdnMap ToEdn()
    {
        var entries = new List<KeyValuePair<object?, object?>>
        {
            new(Keyword.Intern("store"), Store.ToEdn()),
            new(Keyword.Intern("keep-history?"), KeepHistory),
            new(Keyword.Intern("schema-flexibility"), Keyword.Intern(SchemaFlexibility == SchemaFlexibility.Read ? "read" : "write")),
            new(Keyword.Intern("branch"), Branch),
        };
        if (Name is not null) entries.Add(new(Keyword.Intern("name"), Name));
        if (QueryTimeout is { } timeout) entries.Add(new(Keyword.Intern("query-timeout-ms"), (long)timeout.TotalMilliseconds));
        if (QueryMaxRows != Query.QueryLimits.DefaultMaxRows) entries.Add(new(Keyword.Intern("query-max-rows"), QueryMaxRows));
        return EdnMap.Create(entries);
    }

    private static SchemaFlexibility ParseFlexibility(object? value) => (value as Keyword)?.FullName switch
    {
        "read" => SchemaFlexibility.Read,
        "write" => SchemaFlexibility.Write,
        _ => throw Errors.Config($":schema-flexibility must be :read or :write, got {Errors.Show(value)}"),
    };

    private static bool IsSelfWriter(object? value)
    {
        var entries = Maps.ToEntries(value);
        return entries is { Count: 1 } && entries[0].Key is Keyword { FullName: "backend" } && entries[0].Value is Keyword { FullName: "self" };
    }
}
