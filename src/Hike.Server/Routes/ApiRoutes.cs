using Hike.Api;
using Hike.Edn;
using Hike.Versioning;

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
    private static readonly Keyword RemovedKey = Keyword.Intern("removed");
    private static readonly Keyword AddedKey = Keyword.Intern("added");
    private static readonly Keyword IdKey = Keyword.Intern("id");
    private static readonly Keyword ParentsKey = Keyword.Intern("parents");
    private static readonly Keyword InstantKey = Keyword.Intern("instant");
    private static readonly Keyword MaxTxKey = Keyword.Intern("max-tx");
    private static readonly Keyword BranchesKey = Keyword.Intern("branches");
    private static readonly Keyword HeadOfKey = Keyword.Intern("head-of");
    private static readonly Keyword CommitIdAttr = Keyword.Intern("hike.commit/id");
    private static readonly Keyword CommitInstantAttr = Keyword.Intern("hike.commit/instant");
    private static readonly Keyword CommitMaxTxAttr = Keyword.Intern("hike.commit/max-tx");
    private static readonly Keyword CommitParentsAttr = Keyword.Intern("hike.commit/parents");
    private static readonly Keyword CommitBranchesAttr = Keyword.Intern("hike.commit/branches");
    private static readonly Keyword CommitHeadOfAttr = Keyword.Intern("hike.commit/head-of");

    /// <summary>Every commit of a commit graph database with what a drawing of it needs.</summary>
    private const string CommitsQuery = """
        [:find [(pull ?c [:hike.commit/id :hike.commit/instant :hike.commit/max-tx :hike.commit/branches :hike.commit/head-of {:hike.commit/parents [:hike.commit/id]}]) ...]
         :where [?c :hike.commit/id]]
        """;

    /// <summary>Every route by name.</summary>
    public static IReadOnlyDictionary<string, ApiRoute> All { get; } = new ApiRoute[]
    {
        // Databases and connections.
        new("database-exists", false, 1, 1, async c => await Database.ExistsAsync(c.DatabaseConfigAt(0), c.CancellationToken).ConfigureAwait(false)),
        new("create-database", false, 1, 1, async c => await c.Connections.CreateAsync(c.DatabaseConfigAt(0, changes: true), c.CancellationToken).ConfigureAwait(false)),
        new("delete-database", false, 1, 1, async c =>
        {
            var config = c.DatabaseConfigAt(0, changes: true);
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
        // Hike's: the commit graph as [{:id #uuid :parents [#uuid …] :instant #inst :max-tx n :branches #{:b …} :head-of #{:b …}} …],
        // newest first and every commit before its parents, a merge's first parent the branch it merged into, for a client to draw.
        new("commit-graph", false, 1, 1, async c => await CommitsAsync(c.Connection(0), c.CancellationToken).ConfigureAwait(false)),
        // Hike's: what changed between two current database values, {:removed [datoms] :added [datoms]}, each in EAVT order.
        new("diff", true, 2, 2, c =>
        {
            var diff = Database.Diff(c.Db(0), c.Db(1));
            return Task.FromResult<object?>(EdnMap.Of(RemovedKey, EdnVector.From(diff.Removed.Cast<object?>()), AddedKey, EdnVector.From(diff.Added.Cast<object?>())));
        }),
        // Hike's: a three-way merge of a branch (or commit) into the connection's branch, [conn source] or
        // [conn source :ours|:theirs|nil tx-meta]; answers the merge's transaction report, nil when there was nothing to merge.
        new("merge-branch", false, 2, 4, async c => await c.Connection(0).MergeBranchAsync(c[1] ?? throw c.Wrong(1, "a branch or commit id"), Strategy(c, 2), c[3], c.CancellationToken).ConfigureAwait(false)),
    }.ToDictionary(r => r.Name, StringComparer.Ordinal);

    /// <summary>A query call: <c>[query &amp; inputs]</c>, or Datahike's <c>[{:query … :args […]}]</c>; bounded by the server's timeout and the request's cancellation.</summary>
    private static QueryRequest Query(ApiCall c)
    {
        var (query, inputs) = c.Count == 1 && c[0] is EdnMap map && map.ContainsKey(QueryKey)
            ? (map.Get(QueryKey), map.Get(ArgsKey) is IEnumerable<object?> args ? args.ToArray() : [])
            : (c[0], c.Rest(1));
        // A query read off the wire is a new value each time, which the query cache cannot know by identity: by its text, it can.
        if (query is EdnSequence or EdnMap) query = EdnPrinter.Print(query);
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

    /// <summary>A merge's strategy: <c>:ours</c>, <c>:theirs</c>, or nil for none (a conflict fails the merge).</summary>
    private static MergeStrategy? Strategy(ApiCall c, int i) => c[i] switch
    {
        null => null,
        Keyword { FullName: "ours" } => MergeStrategy.Ours,
        Keyword { FullName: "theirs" } => MergeStrategy.Theirs,
        _ => throw c.Wrong(i, ":ours, :theirs or nil"),
    };

    /// <summary>
    /// The commits of <paramref name="conn"/>'s commit graph (<see cref="Connection.CommitGraphAsync"/>) as plain
    /// maps, newest first with every commit before its parents, also when a commit and its parent share an instant;
    /// a merge's parents in its own order, the branch merged into first.
    /// </summary>
    private static async Task<EdnVector> CommitsAsync(Connection conn, CancellationToken cancellationToken)
    {
        var graph = await conn.CommitGraphAsync(cancellationToken).ConfigureAwait(false);
        var commits = new Dictionary<Guid, (EdnMap Pulled, List<Guid> Parents)>();
        foreach (var pulled in ((IEnumerable<object?>)Datalog.Q(new QueryRequest(CommitsQuery, graph) { CancellationToken = cancellationToken })!).Cast<EdnMap>())
        {
            var parents = pulled.Get(CommitParentsAttr) is IEnumerable<object?> refs ? refs.Select(p => (Guid)((EdnMap)p!).Get(CommitIdAttr)!).ToList() : [];
            commits[(Guid)pulled.Get(CommitIdAttr)!] = (pulled, parents);
        }
        // The graph's parents are a set of refs, in entity order: a merge's own order is read off the merge itself.
        foreach (var (id, (pulled, parents)) in commits.Where(c => c.Value.Parents.Count > 1).ToList())
        {
            var own = (await conn.CommitAsDbAsync(id, cancellationToken).ConfigureAwait(false)).ParentCommitIds;
            commits[id] = (pulled, [.. own.Where(parents.Contains)]);
        }
        var children = commits.Keys.ToDictionary(id => id, _ => 0);
        foreach (var parent in commits.Values.SelectMany(c => c.Parents)) children[parent]++;
        // Kahn's order: a commit is ready once its children are out; of the ready ones the newest goes next.
        var ready = new PriorityQueue<Guid, (DateTime, Guid)>(Comparer<(DateTime, Guid)>.Create((a, b) => b.CompareTo(a)));
        foreach (var id in commits.Keys.Where(id => children[id] == 0)) ready.Enqueue(id, Newness(id));
        var ordered = new List<object?>(commits.Count);
        while (ready.TryDequeue(out var id, out _))
        {
            var (pulled, parents) = commits[id];
            ordered.Add(EdnMap.Of(
                IdKey, id,
                ParentsKey, EdnVector.From(parents.Select(p => (object?)p)),
                InstantKey, pulled.Get(CommitInstantAttr),
                MaxTxKey, pulled.Get(CommitMaxTxAttr),
                BranchesKey, EdnSet.Create(pulled.Get(CommitBranchesAttr) as IEnumerable<object?> ?? []),
                HeadOfKey, EdnSet.Create(pulled.Get(CommitHeadOfAttr) as IEnumerable<object?> ?? [])));
            foreach (var parent in parents.Where(p => --children[p] == 0)) ready.Enqueue(parent, Newness(parent));
        }
        return EdnVector.From(ordered);

        (DateTime, Guid) Newness(Guid id) => ((DateTime)commits[id].Pulled.Get(CommitInstantAttr)!, id);
    }

    private static IEnumerable<object?> Items(ApiCall c, int i) => c[i] as IEnumerable<object?> ?? throw c.Wrong(i, "a collection");
}
