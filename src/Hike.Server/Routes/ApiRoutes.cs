using Hike.Api;
using Hike.Edn;

namespace Hike.Server.Routes;

/// <summary>
/// The server's routes, named as Datahike names them (the function's name without <c>?</c> or
/// <c>!</c>), each taking the function's positional arguments: what reads a database is pure (GET or
/// POST), the rest POST.
/// </summary>
internal static class ApiRoutes
{
    private static readonly Keyword IndexKey = Keyword.Intern("index");
    private static readonly Keyword ComponentsKey = Keyword.Intern("components");
    private static readonly Keyword AttrIdKey = Keyword.Intern("attrid");
    private static readonly Keyword StartKey = Keyword.Intern("start");
    private static readonly Keyword EndKey = Keyword.Intern("end");
    private static readonly Keyword SelectorKey = Keyword.Intern("selector");
    private static readonly Keyword EidKey = Keyword.Intern("eid");
    private static readonly Keyword QueryKey = Keyword.Intern("query");
    private static readonly Keyword ArgsKey = Keyword.Intern("args");
    private static readonly Keyword TxDataKey = Keyword.Intern("tx-data");
    private static readonly Keyword TxMetaKey = Keyword.Intern("tx-meta");

    /// <summary>Every route by name.</summary>
    public static IReadOnlyDictionary<string, ApiRoute> All { get; } = new ApiRoute[]
    {
        // Databases and connections.
        new("database-exists", false, 1, 1, async c => await Database.ExistsAsync(c.DatabaseConfigAt(0), c.CancellationToken).ConfigureAwait(false)),
        new("create-database", false, 1, 1, async c => await c.Connections.CreateAsync(c.DatabaseConfigAt(0), c.CancellationToken).ConfigureAwait(false)),
        new("delete-database", false, 1, 1, async c =>
        {
            var config = c.DatabaseConfigAt(0);
            c.Connections.ReleaseAll(config.Store);
            return await Database.DeleteAsync(config, c.CancellationToken).ConfigureAwait(false);
        }),
        new("connect", false, 1, 1, async c => await c.Connections.ConnectAsync(c.DatabaseConfigAt(0), c.CancellationToken).ConfigureAwait(false)),
        new("release", false, 1, 1, c => Task.FromResult<object?>(c.Connections.Release(Server.Handles.ServerConnections.HandleOf(c.Connection(0).Config)))),
        new("db", false, 1, 1, c => Task.FromResult<object?>(c.Connection(0).Db)),

        // Writing.
        new("transact", false, 2, 2, async c =>
        {
            var (data, meta) = c[1] is EdnMap map && map.ContainsKey(TxDataKey) ? (map.Get(TxDataKey), map.Get(TxMetaKey)) : (c[1], null);
            return await c.Connection(0).TransactAsync(data, meta, c.CancellationToken).ConfigureAwait(false);
        }),
        new("load-entities", false, 2, 2, async c => (await c.Connection(0).LoadEntitiesAsync(Items(c, 1), cancellationToken: c.CancellationToken).ConfigureAwait(false)).ToEdn()),
        new("gc-storage", false, 1, 2, async c => (long)await c.Connection(0).GcStorageAsync(c[1] as DateTime? ?? DateTime.UnixEpoch, c.CancellationToken).ConfigureAwait(false)),

        // Queries.
        new("q", true, 1, int.MaxValue, c => Task.FromResult(Datalog.Q(Query(c)))),
        new("query-stats", true, 1, int.MaxValue, c => Task.FromResult<object?>(Datalog.QueryStats(Query(c)).ToEdn())),
        new("explain", true, 1, int.MaxValue, c => Task.FromResult<object?>(Datalog.Explain(Query(c)))),
        new("pull", true, 2, 3, c => Task.FromResult<object?>(c.Count == 2
            ? c.Db(0).Pull(c.Map(1).Get(SelectorKey) ?? throw c.Wrong(1, "{:selector … :eid …}"), c.Map(1).Get(EidKey) ?? throw c.Wrong(1, "{:selector … :eid …}"), c.CancellationToken)
            : c.Db(0).Pull(c[1] ?? throw c.Wrong(1, "a pull pattern"), c[2] ?? throw c.Wrong(2, "an entity id"), c.CancellationToken))),
        new("pull-many", true, 3, 3, c => Task.FromResult<object?>(EdnVector.From(c.Db(0).PullMany(c[1] ?? throw c.Wrong(1, "a pull pattern"), Items(c, 2), c.CancellationToken)))),
        new("entity", true, 2, 2, c => Task.FromResult<object?>(c.Db(0).Entity(c[1]))),

        // Indices.
        new("datoms", true, 2, int.MaxValue, c => Task.FromResult<object?>(Index(c, (db, index, components) => db.Datoms(index, components, c.CancellationToken)))),
        new("seek-datoms", true, 2, int.MaxValue, c => Task.FromResult<object?>(Index(c, (db, index, components) => db.SeekDatoms(ToIndexType(c, index), components, c.CancellationToken)))),
        new("rseek-datoms", true, 2, int.MaxValue, c => Task.FromResult<object?>(Index(c, (db, index, components) => db.RSeekDatoms(ToIndexType(c, index), components, c.CancellationToken)))),
        new("index-range", true, 2, 2, c =>
        {
            var range = c.Map(1);
            var attribute = range.Get(AttrIdKey) as Keyword ?? throw c.Wrong(1, "{:attrid :a :start v :end v}");
            return Task.FromResult<object?>(c.Db(0).IndexRange(attribute, range.Get(StartKey), range.Get(EndKey), c.CancellationToken).ToList());
        }),

        // Time and schema.
        new("history", true, 1, 1, c => Task.FromResult<object?>(c.Db(0).History())),
        new("as-of", true, 2, 2, c => Task.FromResult<object?>(c[1] switch
        {
            long tx => c.Db(0).AsOf(tx),
            DateTime instant => c.Db(0).AsOf(instant),
            _ => throw c.Wrong(1, "a transaction id or an instant"),
        })),
        new("since", true, 2, 2, c => Task.FromResult<object?>(c[1] switch
        {
            long tx => c.Db(0).Since(tx),
            DateTime instant => c.Db(0).Since(instant),
            _ => throw c.Wrong(1, "a transaction id or an instant"),
        })),
        new("schema", true, 1, 1, c => Task.FromResult<object?>(c.Db(0).Schema())),
        new("reverse-schema", true, 1, 1, c => Task.FromResult<object?>(c.Db(0).ReverseSchema())),
        new("metrics", true, 1, 1, c => Task.FromResult<object?>(c.Db(0).Metrics())),

        // Versioning.
        new("commit-id", true, 1, 1, c => Task.FromResult<object?>(c.Db(0).CommitId)),
        new("parent-commit-ids", true, 1, 1, c => Task.FromResult<object?>(EdnSet.Create(c.Db(0).ParentCommitIds.Select(p => (object?)p)))),
        new("branches", false, 1, 1, async c => EdnSet.Create((await c.Connection(0).GetBranchesAsync(c.CancellationToken).ConfigureAwait(false)).Select(b => (object?)b))),
        new("branch", false, 3, 3, async c =>
        {
            await c.Connection(0).BranchAsync(c[1] ?? throw c.Wrong(1, "a branch or commit id"), c.Keyword(2), c.CancellationToken).ConfigureAwait(false);
            return null;
        }),
        new("delete-branch", false, 2, 2, async c =>
        {
            await c.Connection(0).DeleteBranchAsync(c.Keyword(1), c.CancellationToken).ConfigureAwait(false);
            return null;
        }),
        new("merge-db", false, 3, 4, async c => await c.Connection(0).MergeAsync(Items(c, 1).Select(p => p ?? throw c.Wrong(1, "parents without nil")), c[2], c[3], c.CancellationToken).ConfigureAwait(false)),
        new("commit-as-db", false, 2, 2, async c => await c.Connection(0).CommitAsDbAsync(c[1] as Guid? ?? throw c.Wrong(1, "a commit id"), c.CancellationToken).ConfigureAwait(false)),
        new("branch-as-db", false, 2, 2, async c => await c.Connection(0).BranchAsDbAsync(c.Keyword(1), c.CancellationToken).ConfigureAwait(false)),
    }.ToDictionary(r => r.Name, StringComparer.Ordinal);

    /// <summary>A query call: <c>[query &amp; inputs]</c>, or Datahike's <c>[{:query … :args […]}]</c>; bounded by the server's timeout and the request's cancellation.</summary>
    private static QueryRequest Query(ApiCall c)
    {
        var (query, inputs) = c.Count == 1 && c[0] is EdnMap map && map.ContainsKey(QueryKey)
            ? (map.Get(QueryKey), map.Get(ArgsKey) is IEnumerable<object?> args ? args.ToArray() : [])
            : (c[0], c.Rest(1));
        return new QueryRequest(query ?? throw c.Wrong(0, "a query"), inputs)
        {
            Timeout = c.Config.QueryTimeout,
            CancellationToken = c.CancellationToken,
        };
    }

    /// <summary>An index read: <c>[db index &amp; components]</c>, or Datahike's <c>[db {:index … :components […]}]</c>.</summary>
    private static List<Datom> Index(ApiCall c, Func<Database, Keyword, object?[], IEnumerable<Datom>> read)
    {
        var (index, components) = c[1] is EdnMap map
            ? (map.Get(IndexKey) as Keyword, map.Get(ComponentsKey) is IEnumerable<object?> listed ? listed.ToArray() : [])
            : (c[1] as Keyword, c.Rest(2));
        return [.. read(c.Db(0), index ?? throw c.Wrong(1, "an index, :eavt, :aevt or :avet"), components)];
    }

    private static Hike.Db.IndexType ToIndexType(ApiCall c, Keyword index) => index.FullName switch
    {
        "eavt" => Hike.Db.IndexType.Eavt,
        "aevt" => Hike.Db.IndexType.Aevt,
        "avet" => Hike.Db.IndexType.Avet,
        _ => throw c.Wrong(1, "an index, :eavt, :aevt or :avet"),
    };

    private static IEnumerable<object?> Items(ApiCall c, int i) => c[i] as IEnumerable<object?> ?? throw c.Wrong(i, "a collection");
}
