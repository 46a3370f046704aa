using System.Diagnostics;
using System.Globalization;
using Hike.Api;
using Hike.Storage;
using Hike.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;
using StackExchange.Redis;

namespace Hike.Bench;

/// <summary>
/// Hike on networked stores (issue 16), on the people of <c>people-20k.edn</c> with history kept:
/// <list type="number">
/// <item>transactions/s of one person each from 16 submitters sharing one connection, per backend
/// (file, <c>:jdbc</c> sqlite and postgresql, redis, s3 with its heads in PostgreSQL, and a memory
/// front over that s3), and the same workload on a <c>datoms</c> table in SQLite and in PostgreSQL;</item>
/// <item>the writes (objects, rows or keys put, appended or compared-and-set) and their bytes per
/// small commit, per backend, counted by a wrapper around the backend's real store;</item>
/// <item>the calls, and the round trips waited for one after another, to open a database of about a
/// million datoms and answer a point query when every read takes 20 ms;</item>
/// <item>a cold EAVT scan at 20 ms per read, one node at a time against fetching ahead;</item>
/// <item>point queries on a fresh connection through a warm memory front over S3, against the file store.</item>
/// </list>
/// A backend whose server is not configured (<see cref="BenchServers"/>) is skipped, saying so on
/// stderr. stdout: a <c># </c> header, then one <c>name side value unit</c> line per figure; progress
/// goes to stderr.
/// </summary>
internal static class StoresBench
{
    private const int Submitters = 16;
    private const long CacheBytes = 256L << 20;
    private const int QueryPasses = 5;
    private static readonly TimeSpan RoundTrip = TimeSpan.FromMilliseconds(20);

    /// <param name="TxPerSubmitter">Transactions each of the 16 submitters commits in a timed run.</param>
    /// <param name="WarmupTxPerSubmitter">The same, in each target's untimed run before them.</param>
    /// <param name="Reps">Timed runs per target, on fresh databases; the figure is their median.</param>
    /// <param name="SmallCommits">Commits counted per backend.</param>
    /// <param name="BigDatoms">Entity datoms of the database opened at 20 ms per read.</param>
    /// <param name="ScanDatoms">Entity datoms of the databases scanned at 20 ms per read.</param>
    /// <param name="WarmDatoms">Entity datoms of the databases queried through a warm front.</param>
    /// <param name="Queries">Point queries per pass on them.</param>
    private sealed record Sizes(int TxPerSubmitter, int WarmupTxPerSubmitter, int Reps, int SmallCommits, int BigDatoms, int ScanDatoms, int WarmDatoms, int Queries);

    /// <summary>A Hike backend: its name in result lines and the store of the database for a directory.</summary>
    private sealed record Backend(string Name, Func<string, StoreConfig> StoreOf);

    public static async Task RunAsync(BenchOptions o, string dataDir)
    {
        var sizes = o.Quick
            ? new Sizes(25, 10, 1, 20, 100_000, 6_000, 20_000, 500)
            : new Sizes(1_000, 200, 5, 100, 1_000_000, 22_000, 200_000, 2_000);
        var servers = BenchServers.FromEnvironment();
        var people = new DurablePeople(new Workload(dataDir, keepHistory: false).People);
        string root = Path.Combine(Path.GetTempPath(), "hike-stores-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        using var postgres = servers.Postgres is { } cs ? NpgsqlDataSource.Create(cs) : null;
        try
        {
            var backends = Backends(servers);
            await HeaderAsync(o, servers, postgres, backends, root).ConfigureAwait(false);
            await TxRatesAsync(o, backends, postgres, root, people, sizes).ConfigureAwait(false);
            await CommitCostsAsync(backends, root, people, sizes).ConfigureAwait(false);
            await OpenQueryRoundTripsAsync(people, sizes).ConfigureAwait(false);
            await ScanPrefetchAsync(people, sizes).ConfigureAwait(false);
            await WarmFrontReadsAsync(backends, root, people, sizes).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The backends whose servers are configured, in the order of the result lines.</summary>
    private static List<Backend> Backends(BenchServers servers)
    {
        var backends = new List<Backend>
        {
            new("file", dir => StoreConfig.File(dir)),
            new("sqlite", dir =>
            {
                Directory.CreateDirectory(dir);
                return Store($"{{:backend :jdbc :dbtype \"sqlite\" :dbname \"{Path.Combine(dir, "hike.db")}\"}}");
            }),
        };
        if (servers.Postgres is null) Skip("postgresql", "HIKE_TEST_POSTGRES");
        else backends.Add(new("postgresql", dir => Store(servers.PostgresStore("hike_" + StoreNames.Of(dir)))));
        if (servers.Redis is null) Skip("redis", "HIKE_TEST_REDIS");
        else backends.Add(new("redis", dir => Store(servers.RedisStore(StoreNames.Of(dir)))));
        if (servers.S3 is null || servers.Postgres is null)
        {
            Skip("s3 and tiered", "HIKE_TEST_S3 and HIKE_TEST_POSTGRES (its heads)");
        }
        else
        {
            string S3Of(string dir) => servers.S3Store(StoreNames.Of(dir), "heads_" + StoreNames.Of(dir));
            backends.Add(new("s3", dir => Store(S3Of(dir))));
            backends.Add(new("tiered", dir => Store(
                $"{{:backend :tiered :frontend-config {{:backend :mem :id \"front-{StoreNames.Of(dir)}\"}} :backend-config {S3Of(dir)} " +
                ":write-policy :write-through :read-policy :frontend-first}")));
        }
        return backends;
    }

    private static StoreConfig Store(string edn) => DatabaseConfig.Parse($"{{:store {edn}}}").Store;

    private static void Skip(string backend, string variables) =>
        Console.Error.WriteLine($"  skipping {backend}: {variables} not set (`eval \"$(bash tests/servers.sh start)\"` starts the servers and sets them)");

    /// <summary>What ran where, and the server settings that matter for durability, as <c>#</c> lines on stdout.</summary>
    private static async Task HeaderAsync(BenchOptions o, BenchServers servers, NpgsqlDataSource? postgres, List<Backend> backends, string root)
    {
        Console.Error.WriteLine($"  databases in {root}");
        Header($"hike --stores{(o.Quick ? " --quick" : "")}: .NET {Environment.Version}, {Environment.ProcessorCount} cpus; people of people-20k.edn, :name unique and indexed; Hike keeps history, and the datoms tables record :db/txInstant");
        Header($"backends: {string.Join(", ", backends.Select(b => b.Name))}; all servers on 127.0.0.1");
        Header($"file: Hike's file store (an fsync per commit); sqlite: Hike's :jdbc sqlite store, WAL, synchronous={SqliteDefaultSynchronous(root)}");
        Header($"datoms-sqlite: SQLite as a triple store: {DurableBench.SqliteOf(o).Describe()}; WAL, synchronous=FULL");
        if (postgres is not null)
        {
            string version = await ShowAsync(postgres, "server_version").ConfigureAwait(false);
            string fsync = await ShowAsync(postgres, "fsync").ConfigureAwait(false);
            Header($"postgresql {version} with fsync={fsync} (synchronous_commit={await ShowAsync(postgres, "synchronous_commit").ConfigureAwait(false)}): " +
                "both PostgreSQL sides (hike-postgresql and datoms-postgresql, and the heads of s3) share that server and its settings");
            Header($"datoms-postgresql: PostgreSQL as a triple store: {PostgresTarget.Describe()}");
        }
        if (servers.Redis is not null) Header($"redis: {await RedisPersistenceAsync(servers.Redis).ConfigureAwait(false)}");
        if (servers.S3 is not null && servers.Postgres is not null)
        {
            Header($"s3: an s3rver at {servers.S3.Authority}, the packs there and the heads in a PostgreSQL table; tiered: a :mem front over that s3, write-through");
        }
        Header($"round trips: a wrapper around a memory store sleeps {RoundTrip.TotalMilliseconds:F0} ms in every read (Get, GetRange, Size, List)");
    }

    private static void Header(string text) => Console.WriteLine("# " + text);

    /// <summary>The <c>synchronous</c> setting a new SQLite connection has, which Hike's SQLite store leaves as it is.</summary>
    private static string SqliteDefaultSynchronous(string root)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(root, "probe.db"), Pooling = false }.ToString());
        c.Open();
        using var wal = c.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode = WAL";
        wal.ExecuteNonQuery();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA synchronous";
        long level = (long)cmd.ExecuteScalar()!;
        return level switch { 0 => "OFF", 1 => "NORMAL", 2 => "FULL", 3 => "EXTRA", _ => level.ToString(CultureInfo.InvariantCulture) };
    }

    private static async Task<string> ShowAsync(NpgsqlDataSource postgres, string setting)
    {
        await using var cmd = postgres.CreateCommand($"SHOW {setting}");
        return (string)(await cmd.ExecuteScalarAsync().ConfigureAwait(false))!;
    }

    private static async Task<string> RedisPersistenceAsync(string endpoint)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"{endpoint},allowAdmin=true").ConfigureAwait(false);
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var config = (await server.ConfigGetAsync("*").ConfigureAwait(false)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return $"appendonly {config.GetValueOrDefault("appendonly", "?")}, appendfsync {config.GetValueOrDefault("appendfsync", "?")}, save \"{config.GetValueOrDefault("save", "?")}\"";
    }

    /// <summary>Figure 1: batch-1 transactions/s from 16 submitters, per Hike backend and per datoms table, and Hike's ratio to the table in the same server.</summary>
    private static async Task TxRatesAsync(BenchOptions o, List<Backend> backends, NpgsqlDataSource? postgres, string root, DurablePeople people, Sizes sizes)
    {
        const string Name = "stores-tx-batch1-16";
        var targets = backends.Select(b => (IDurableTarget)new HikeTarget("hike-" + b.Name, b.StoreOf, keepHistory: true)).ToList();
        targets.Add(DurableBench.SqliteOf(o, "datoms-sqlite"));
        if (postgres is not null) targets.Add(new PostgresTarget(postgres, txInstants: true) { Name = "datoms-postgresql" });

        // Untimed: each target's write path long enough for the JIT's optimised tier and its server's warm caches.
        var warmup = DurableBench.Work(people, 1, Submitters, sizes.WarmupTxPerSubmitter);
        foreach (var t in targets)
        {
            Console.Error.WriteLine($"  {Name}: warming up {t.Name}");
            await DurableBench.TimeWritesAsync(t, Path.Combine(root, $"warmup-{t.Name}"), warmup, people.DatomsOf(Submitters * sizes.WarmupTxPerSubmitter)).ConfigureAwait(false);
        }
        var rates = await DurableBench.RatesAsync(Name, targets, root, people, batch: 1, Submitters, sizes.TxPerSubmitter, sizes.Reps, perTx: true).ConfigureAwait(false);
        foreach (var t in targets)
        {
            Console.Error.WriteLine($"  {Name} {t.Name}: {Submitters * sizes.TxPerSubmitter} tx of 1 person from {Submitters} submitters; tx/s {string.Join(' ', rates[t.Name].Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))}");
            DurableBench.Line(Name, t.Name, DurableBench.Median(rates[t.Name]), "F0", "tx/s");
        }
        foreach (var (server, goal) in new[] { ("sqlite", 5.0), ("postgresql", 3.0) })
        {
            if (!rates.TryGetValue("hike-" + server, out var hike) || !rates.TryGetValue("datoms-" + server, out var table)) continue;
            double ratio = DurableBench.Median(hike) / DurableBench.Median(table);
            Console.Error.WriteLine($"  {Name} on {server}: Hike {ratio:F2}x the datoms table, goal >= {goal:F0}x: {(ratio >= goal ? "met" : "NOT met")}");
            DurableBench.Line(Name, $"hike-{server}/datoms-{server}", ratio, "F2", "x");
        }
    }

    /// <summary>
    /// Figure 2: the writes of a small commit (one person, from one submitter), per backend, counted
    /// by a wrapper around the backend's real store (for s3 the split store of the bucket and the head
    /// table; for tiered the tiered store, a write counted once for both tiers).
    /// </summary>
    private static async Task CommitCostsAsync(List<Backend> backends, string root, DurablePeople people, Sizes sizes)
    {
        foreach (var b in backends)
        {
            string dir = Path.Combine(root, "commits-" + b.Name);
            var config = new DatabaseConfig { Store = b.StoreOf(dir) };
            using (var inner = StoreBackends.Locate(config.Store).Open())
            {
                var target = new HikeInStoreTarget(new MeteredStore(inner, ownsInner: false), keepHistory: true);
                await target.CreateAsync(dir).ConfigureAwait(false);
                using var session = await target.OpenAsync(dir, CacheBytes).ConfigureAwait(false);
                session.PrepareSubmitters(1);
                // The first commit of a connection also takes the writer lock: not counted.
                await session.TransactAsync(0, people.Slice(0, 1)).ConfigureAwait(false);
                target.Store.Reset();
                for (int i = 1; i <= sizes.SmallCommits; i++) await session.TransactAsync(0, people.Slice(i, 1)).ConfigureAwait(false);
                var s = target.Store;
                Console.Error.WriteLine($"  stores-commit {b.Name}: {sizes.SmallCommits} commits of one person: {s.Writes} writes, {s.WrittenBytes} bytes, {s.Reads} reads");
                DurableBench.Line("stores-commit-objects", "hike-" + b.Name, (double)s.Writes / sizes.SmallCommits, "F2", "objects/commit");
                DurableBench.Line("stores-commit-bytes", "hike-" + b.Name, (double)s.WrittenBytes / sizes.SmallCommits, "F0", "bytes/commit");
            }
            await Database.DeleteAsync(config).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Figure 3: a database of about a million datoms in a memory store that replaces values whole
    /// (as a server's objects or rows), opened by a fresh connection that answers one point query
    /// while every read takes 20 ms: the calls made, and the round trips waited for one after
    /// another (the longest chain of reads each started after the one before it ended,
    /// <see cref="RoundTripStore"/>), for the open, the query and both.
    /// </summary>
    private static async Task OpenQueryRoundTripsAsync(DurablePeople people, Sizes sizes)
    {
        var trips = new RoundTripStore(new MemoryStore(appendsInPlace: false));
        var target = new HikeInStoreTarget(new MeteredStore(trips, ownsInner: false), keepHistory: true);
        int count = people.CountFor(sizes.BigDatoms);
        Console.Error.WriteLine($"  stores-open-query: loading {people.DatomsOf(count)} datoms");
        await DurableBench.LoadAsync(target, "", people, count).ConfigureAwait(false);
        string name = people[count / 2].Name;
        // Untimed, without the delay: the open and query paths compiled.
        using (var warm = await target.OpenAsync("", CacheBytes).ConfigureAwait(false)) _ = warm.FindByName(name);

        trips.Reset();
        trips.Delay = RoundTrip;
        var clock = Stopwatch.StartNew();
        using var session = await target.OpenAsync("", CacheBytes).ConfigureAwait(false);
        double openMs = clock.Elapsed.TotalMilliseconds;
        int openCalls = trips.Reads, openTrips = trips.SequentialRoundTrips;
        clock.Restart();
        if (session.FindByName(name) is null) throw new InvalidOperationException($"no entity with :name {name}");
        double queryMs = clock.Elapsed.TotalMilliseconds;
        int allCalls = trips.Reads, allTrips = trips.SequentialRoundTrips;
        trips.Delay = TimeSpan.Zero;
        Console.Error.WriteLine($"  stores-open-query: {people.DatomsOf(count)} datoms; open {openMs:F0} ms in {openCalls} reads, query {queryMs:F0} ms in {allCalls - openCalls} reads, at {RoundTrip.TotalMilliseconds:F0} ms per read");
        foreach (var (part, calls, roundTrips) in new[] { ("open", openCalls, openTrips), ("query", allCalls - openCalls, allTrips - openTrips), ("open-query", allCalls, allTrips) })
        {
            DurableBench.Line($"stores-{part}-calls", "hike", calls, "F0", "calls");
            DurableBench.Line($"stores-{part}-round-trips", "hike", roundTrips, "F0", "round-trips");
        }
    }

    /// <summary>
    /// Figure 4: a cold scan of all of EAVT by a fresh connection at 20 ms per read, in a memory
    /// store that appends in place (Hike then reads one node at a time, as from a file) and in one that
    /// replaces values whole (a server's: Hike fetches the nodes ahead on up to 16 threads).
    /// </summary>
    private static async Task ScanPrefetchAsync(DurablePeople people, Sizes sizes)
    {
        int count = people.CountFor(sizes.ScanDatoms);
        var ms = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (side, appendsInPlace) in new[] { ("one-at-a-time", true), ("fetch-ahead", false) })
        {
            var trips = new RoundTripStore(new MemoryStore(appendsInPlace));
            var target = new HikeInStoreTarget(new MeteredStore(trips, ownsInner: false), keepHistory: true);
            await DurableBench.LoadAsync(target, "", people, count).ConfigureAwait(false);
            trips.Delay = RoundTrip;
            using var session = await target.OpenAsync("", CacheBytes).ConfigureAwait(false);
            trips.Reset();
            var clock = Stopwatch.StartNew();
            long datoms = session.ScanEavt();
            ms[side] = clock.Elapsed.TotalMilliseconds;
            trips.Delay = TimeSpan.Zero;
            Console.Error.WriteLine($"  stores-scan {side}: {datoms} datoms of EAVT in {ms[side]:F0} ms, {trips.Reads} reads at {RoundTrip.TotalMilliseconds:F0} ms each, {trips.SequentialRoundTrips} round trips one after another");
            DurableBench.Line("stores-scan-20ms", "hike-" + side, ms[side], "F0", "ms");
        }
        double ratio = ms["one-at-a-time"] / ms["fetch-ahead"];
        Console.Error.WriteLine($"  stores-scan: fetching ahead {ratio:F1}x faster, goal >= 10x: {(ratio >= 10 ? "met" : "NOT met")}");
        DurableBench.Line("stores-scan-20ms", "hike-one-at-a-time/hike-fetch-ahead", ratio, "F1", "x");
    }

    /// <summary>
    /// Figure 5: point queries by <c>:name</c> (random names that exist) on a fresh connection, its
    /// node cache cold, through the tiered store's memory front (filled by its write-through, and by a
    /// first pass) against the file store (the OS's page cache warm from the same first pass). Each
    /// query as an application asks it, <c>conn.Db</c> then the query (a connection that is not writing
    /// checks the branch head in the store, which a tiered store reads from its back); and all queries
    /// on one database value, which reads only index nodes.
    /// </summary>
    private static async Task WarmFrontReadsAsync(List<Backend> backends, string root, DurablePeople people, Sizes sizes)
    {
        int count = people.CountFor(sizes.WarmDatoms);
        var random = new Mulberry32(16);
        var names = new string[sizes.Queries];
        for (int i = 0; i < names.Length; i++) names[i] = people[(int)(random.Next() * count)].Name;
        var perQuery = new Dictionary<(string Backend, bool OneDb), double>();
        foreach (var b in backends.Where(b => b.Name is "file" or "tiered"))
        {
            var target = new HikeTarget("hike-" + b.Name, b.StoreOf, keepHistory: true);
            string dir = Path.Combine(root, "warm-" + b.Name);
            await DurableBench.LoadAsync(target, dir, people, count).ConfigureAwait(false);
            try
            {
                var config = HikeTarget.ConfigOf(b.StoreOf(dir), keepHistory: true, CacheBytes);
                await QueryPassAsync(config, names, oneDb: false).ConfigureAwait(false);
                foreach (bool oneDb in new[] { false, true })
                {
                    var passes = new List<double>();
                    for (int pass = 0; pass < QueryPasses; pass++) passes.Add(await QueryPassAsync(config, names, oneDb).ConfigureAwait(false));
                    string name = oneDb ? "stores-warm-point-query-one-db" : "stores-warm-point-query";
                    perQuery[(b.Name, oneDb)] = DurableBench.Median(passes);
                    Console.Error.WriteLine($"  {name} {b.Name}: {people.DatomsOf(count)} datoms, {names.Length} queries per fresh connection; us/query {string.Join(' ', passes.Select(x => x.ToString("F1", CultureInfo.InvariantCulture)))}");
                    DurableBench.Line(name, target.Name, perQuery[(b.Name, oneDb)], "F1", "us/query");
                }
            }
            finally
            {
                await target.DeleteAsync(dir).ConfigureAwait(false);
            }
        }
        foreach (bool oneDb in new[] { false, true })
        {
            if (perQuery.TryGetValue(("tiered", oneDb), out double tiered) && perQuery.TryGetValue(("file", oneDb), out double file))
            {
                DurableBench.Line(oneDb ? "stores-warm-point-query-one-db" : "stores-warm-point-query", "hike-tiered/hike-file", tiered / file, "F2", "x");
            }
        }
    }

    /// <summary>
    /// Answers every query on a fresh connection (a cold node cache), each on <c>conn.Db</c> or all on
    /// the database value the connection had first (<paramref name="oneDb"/>); returns microseconds per query.
    /// </summary>
    private static async Task<double> QueryPassAsync(DatabaseConfig config, string[] names, bool oneDb)
    {
        using var conn = await Database.ConnectAsync(config).ConfigureAwait(false);
        var db = conn.Db;
        var clock = Stopwatch.StartNew();
        foreach (var name in names)
        {
            if ((oneDb ? db : conn.Db).Q(HikeTarget.PointQuery, name) is null) throw new InvalidOperationException($"{config.Store}: no entity with :name {name}");
        }
        return clock.Elapsed.TotalMicroseconds / names.Length;
    }
}
