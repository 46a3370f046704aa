using System.Buffers;
using System.Text.Json;

namespace Hike.Server.Routes;

/// <summary>
/// The OpenAPI 3.1 description of the routes (<c>/openapi.json</c>): each route's methods, its
/// arguments as the positional array the body carries, in EDN or Datahike's tagged JSON, and the
/// answers it may give.
/// </summary>
internal static class OpenApiDocument
{
    /// <summary>Hike's routes beside the API's, all GET: what each does, its query parameters, and the type of its answer.</summary>
    public static readonly IReadOnlyList<(string Path, string Summary, string[] Parameters, string Answer)> OtherRoutes =
    [
        ("/listen", "A connection's transactions as server-sent events (report, resync, heartbeat); resumable with since or Last-Event-ID.", ["store", "branch", "since", "f", "token"], "text/event-stream"),
        ("/store/get", "A stored object's bytes, or a range of them, for remote peers; 404 when there is none.", ["store", "key", "offset", "length"], "application/octet-stream"),
        ("/store/size", "A stored object's length, for remote peers; 404 when there is none.", ["store", "key"], "text/plain"),
        ("/store/list", "The stored keys with a prefix, one per line, for remote peers.", ["store", "prefix"], "text/plain"),
        ("/prometheus", "The server's and the engine's metrics in Prometheus' text format (with :prometheus true).", [], "text/plain"),
        ("/health/live", "ok while the server runs (no token).", [], "text/plain"),
        ("/health/ready", "ok once the server answers (no token).", [], "text/plain"),
        ("/version", "{:hike \"<version>\"} (no token).", [], "application/edn"),
    ];

    /// <summary>What each route does and takes, as Datahike's API documents the function.</summary>
    public static readonly IReadOnlyDictionary<string, (string Summary, string Arguments)> Routes = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        ["database-exists"] = ("Whether the database a config describes exists.", "[config]"),
        ["create-database"] = ("Creates the database a config describes; answers its config as stored.", "[config]"),
        ["delete-database"] = ("Deletes the database a config describes; answers whether it existed.", "[config]"),
        ["connect"] = ("Connects to a database; answers the connection's handle.", "[config]"),
        ["release"] = ("Releases a connection the server holds.", "[conn]"),
        ["db"] = ("The connection's current database value, as a handle naming its commit.", "[conn]"),
        ["transact"] = ("Commits transaction data; answers the transaction report once it is durable.", "[conn tx-data] or [conn {:tx-data … :tx-meta …}]"),
        ["load-entities"] = ("Replays datoms transaction by transaction, with new entity ids.", "[conn datoms]"),
        ["gc-storage"] = ("Removes what no branch reaches from before a time; answers how many objects went.", "[conn] or [conn instant]"),
        ["q"] = ("Runs a Datalog query.", "[query & inputs] or [{:query … :args […]}]"),
        ["query-stats"] = ("Runs a query and answers its result with how it ran.", "[query & inputs]"),
        ["explain"] = ("The plan a query would run by.", "[query & inputs]"),
        ["pull"] = ("Pulls an entity by a pattern.", "[db pattern eid] or [db {:selector … :eid …}]"),
        ["pull-many"] = ("Pulls several entities by one pattern.", "[db pattern eids]"),
        ["entity"] = ("An entity's attributes.", "[db eid]"),
        ["datoms"] = ("The datoms of an index matching leading components.", "[db index & components] or [db {:index … :components […]}]"),
        ["seek-datoms"] = ("The datoms of an index from a position on.", "[db index & components]"),
        ["rseek-datoms"] = ("The datoms of an index from a position back.", "[db index & components]"),
        ["index-range"] = ("The AVET datoms of an attribute with values in a range.", "[db {:attrid … :start … :end …}]"),
        ["history"] = ("The database with every assertion and retraction.", "[db]"),
        ["as-of"] = ("The database as of a transaction or instant.", "[db time-point]"),
        ["since"] = ("The database's datoms since a transaction or instant.", "[db time-point]"),
        ["schema"] = ("The schema, attribute by attribute.", "[db]"),
        ["reverse-schema"] = ("The attributes by property.", "[db]"),
        ["metrics"] = ("Counts of datoms per attribute and index.", "[db]"),
        ["commit-id"] = ("The id of the commit a database value is.", "[db]"),
        ["parent-commit-ids"] = ("The ids of a commit's parents.", "[db]"),
        ["branches"] = ("The database's branches.", "[conn]"),
        ["branch"] = ("Creates a branch from a branch or commit.", "[conn from new-branch]"),
        ["delete-branch"] = ("Deletes a branch.", "[conn branch]"),
        ["merge-db"] = ("Commits transaction data as a merge of parents.", "[conn parents tx-data] or [conn parents tx-data tx-meta]"),
        ["commit-as-db"] = ("The database value of a commit.", "[conn commit-id]"),
        ["branch-as-db"] = ("The current database value of a branch.", "[conn branch]"),
        ["commit-graph"] = ("The commits every branch reaches, newest first and each before its parents (a merge's first parent is the branch it merged into): [{:id #uuid :parents [#uuid …] :instant #inst :max-tx n :branches #{…} :head-of #{…}} …].", "[conn]"),
        ["diff"] = ("The datoms removed and added between two current database values: {:removed [datoms] :added [datoms]}, each in EAVT order.", "[db-from db-to]"),
        ["merge-branch"] = ("Merges a branch or commit into the connection's branch three-way, settling conflicts by :ours or :theirs (none: a conflict fails); answers the transaction report, or nil when there was nothing to merge.", "[conn source] or [conn source strategy] or [conn source strategy tx-meta]"),
    };

    /// <summary>The document, as JSON.</summary>
    public static byte[] Write(string version)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("openapi", "3.1.0");
            w.WriteStartObject("info");
            w.WriteString("title", "Hike");
            w.WriteString("version", version);
            w.WriteString("description", "Datahike's API over HTTP. Every route takes the function's arguments as an array, in EDN (application/edn) or Datahike's tagged JSON (application/json).");
            w.WriteEndObject();
            w.WriteStartArray("security");
            w.WriteStartObject();
            w.WriteStartArray("token");
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartObject("paths");
            foreach (var route in ApiRoutes.All.Values.OrderBy(r => r.Name, StringComparer.Ordinal))
            {
                var (summary, arguments) = Routes[route.Name];
                w.WriteStartObject("/" + route.Name);
                foreach (var method in route.Pure ? new[] { "get", "post" } : ["post"]) Operation(w, method, route, summary, arguments);
                w.WriteEndObject();
            }
            foreach (var (path, summary, parameters, answer) in OtherRoutes)
            {
                w.WriteStartObject(path);
                w.WriteStartObject("get");
                w.WriteString("operationId", path.Trim('/').Replace('/', '-'));
                w.WriteString("summary", summary);
                w.WriteStartArray("parameters");
                foreach (var parameter in parameters)
                {
                    w.WriteStartObject();
                    w.WriteString("name", parameter);
                    w.WriteString("in", "query");
                    w.WriteStartObject("schema");
                    w.WriteString("type", "string");
                    w.WriteEndObject();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteStartObject("responses");
                w.WriteStartObject("200");
                w.WriteString("description", "The answer");
                w.WriteStartObject("content");
                w.WriteStartObject(answer);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteStartObject("components");
            w.WriteStartObject("securitySchemes");
            w.WriteStartObject("token");
            w.WriteString("type", "apiKey");
            w.WriteString("in", "header");
            w.WriteString("name", "Authorization");
            w.WriteString("description", "token <the server's :token>");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void Operation(Utf8JsonWriter w, string method, ApiRoute route, string summary, string arguments)
    {
        w.WriteStartObject(method);
        w.WriteString("operationId", method == "get" ? route.Name + "-get" : route.Name);
        w.WriteString("summary", summary);
        w.WriteString("description", $"Arguments: {arguments}.");
        if (method == "get")
        {
            w.WriteStartArray("parameters");
            w.WriteStartObject();
            w.WriteString("name", "args");
            w.WriteString("in", "query");
            w.WriteString("description", "The arguments' JSON in base64url, instead of a body");
            w.WriteStartObject("schema");
            w.WriteString("type", "string");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
        }
        w.WriteStartObject("requestBody");
        w.WriteBoolean("required", method == "post");
        w.WriteStartObject("content");
        foreach (var type in new[] { "application/json", "application/edn" })
        {
            w.WriteStartObject(type);
            w.WriteStartObject("schema");
            w.WriteString("type", "array");
            w.WriteNumber("minItems", route.MinArgs);
            if (route.MaxArgs != int.MaxValue) w.WriteNumber("maxItems", route.MaxArgs);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("responses");
        foreach (var (status, what) in new[] { ("200", "The function's result"), ("400", "A malformed body, or the engine's error: {:msg … :ex-data {:type code}}"), ("401", "No or another token"), ("403", "A database the server's :create-database policy keeps from its clients"), ("413", "A body past :max-body-bytes"), ("503", "A query past :query-timeout-ms") })
        {
            w.WriteStartObject(status);
            w.WriteString("description", what);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
