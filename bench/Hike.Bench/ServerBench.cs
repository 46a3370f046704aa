using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Hike.Api;
using Hike.Edn;
using Hike.Server;

namespace Hike.Bench;

/// <summary>
/// The HTTP server's cost, bounded in count (<c>--server</c>): 16 concurrent submitters transact one
/// person each (batch 1) on a file-store database, in process through a connection and over loopback
/// HTTP through <c>/transact</c> in EDN; then 16 concurrent clients ask a point query on <c>:name</c>,
/// in process and through <c>/q</c> with a database handle. stdout: throughput, p50 and p99 latency per
/// side, and HTTP's ratio to in process (goals: transact throughput ≥ 50%, query p50 overhead ≤ 1 ms).
/// </summary>
internal static class ServerBench
{
    private const int Clients = 16;
    private const string PointQuery = "[:find ?e . :in $ ?name :where [?e :name ?name]]";

    public static async Task RunAsync(BenchOptions o, string dataDir)
    {
        int txPerClient = o.Quick ? 50 : 250, queriesPerClient = o.Quick ? 100 : 500;
        var people = new DurablePeople(new Workload(dataDir, keepHistory: false).People);
        string root = Path.Combine(Path.GetTempPath(), "hike-server-bench-" + Guid.NewGuid().ToString("N")[..12]);
        Console.Error.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} cpus, databases in {root}; {Clients} clients, {txPerClient} transactions and {queriesPerClient} queries each");
        await using var server = await HikeServer.StartAsync(new ServerConfig { Port = 0 });
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Clients * 2 }) { BaseAddress = new Uri(server.Urls.First()) };
        try
        {
            // Untimed: both paths compiled and warm.
            await InProcessTransactAsync(Config(root, "warm-local"), people, 0, 20);
            await HttpTransactAsync(http, Config(root, "warm-http"), people, 0, 20);

            var local = await InProcessTransactAsync(Config(root, "local"), people, 0, txPerClient);
            var remote = await HttpTransactAsync(http, Config(root, "http"), people, 0, txPerClient);
            Report("server-tx-batch1-16", local, remote, "tx/s");
            Line("server-tx-batch1-16", "http/in-process", remote.Rate / local.Rate, "F2", "x");

            var (localQ, remoteQ) = await QueriesAsync(http, Config(root, "http"), people, txPerClient, queriesPerClient, Clients);
            Report("server-q-16", localQ, remoteQ, "queries/s");
            Line("server-q-16", "http-p50-overhead", remoteQ.P50Ms - localQ.P50Ms, "F3", "ms");
            // One client alone: what a request costs when nothing competes for the cores.
            var (localOne, remoteOne) = await QueriesAsync(http, Config(root, "http"), people, txPerClient, queriesPerClient, 1);
            Report("server-q-1", localOne, remoteOne, "queries/s");
            Line("server-q-1", "http-p50-overhead", remoteOne.P50Ms - localOne.P50Ms, "F3", "ms");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private sealed record Run(double Rate, double P50Ms, double P99Ms);

    private static DatabaseConfig Config(string root, string name) =>
        new() { Store = StoreConfig.File(Path.Combine(root, name)), KeepHistory = true, SchemaFlexibility = Hike.Db.SchemaFlexibility.Read, InitialTx = EdnReader.Read(HikeTarget.Schema) };

    private static async Task<Run> InProcessTransactAsync(DatabaseConfig config, DurablePeople people, int from, int perClient)
    {
        using var conn = await Database.CreateAndConnectAsync(config);
        return await TimeAsync(Clients, perClient, (client, i) => conn.TransactAsync(EdnVector.Create(people[from + client * perClient + i].Map)));
    }

    private static async Task<Run> HttpTransactAsync(HttpClient http, DatabaseConfig config, DurablePeople people, int from, int perClient)
    {
        string configText = EdnPrinter.Print(config.ToEdn());
        await PostAsync(http, "create-database", $"[{configText}]");
        string conn = await PostAsync(http, "connect", $"[{configText}]");
        var bodies = new string[Clients * perClient];
        for (int k = 0; k < bodies.Length; k++) bodies[k] = $"[{conn} [{EdnPrinter.Print(people[from + k].Map)}]]";
        return await TimeAsync(Clients, perClient, (client, i) => PostAsync(http, "transact", bodies[client * perClient + i]));
    }

    private static async Task<(Run Local, Run Remote)> QueriesAsync(HttpClient http, DatabaseConfig config, DurablePeople people, int known, int perClient, int clients)
    {
        string configText = EdnPrinter.Print(config.ToEdn());
        string db = await PostAsync(http, "db", $"[{await PostAsync(http, "connect", $"[{configText}]")}]");
        using var conn = await Database.ConnectAsync(config);
        var local = conn.Db;
        var names = Enumerable.Range(0, Clients * perClient).Select(k => people[k % (Clients * known)].Name).ToArray();
        var bodies = names.Select(n => $"[{EdnPrinter.Print(EdnReader.Read(PointQuery))} {db} {EdnPrinter.Print(n)}]").ToArray();
        var localRun = await TimeAsync(clients, perClient, (client, i) =>
        {
            _ = Datalog.Q(PointQuery, local, names[client * perClient + i]) ?? throw new InvalidOperationException("no such person");
            return Task.CompletedTask;
        });
        var remoteRun = await TimeAsync(clients, perClient, async (client, i) =>
        {
            if (await PostAsync(http, "q", bodies[client * perClient + i]) == "nil") throw new InvalidOperationException("no such person");
        });
        return (localRun, remoteRun);
    }

    /// <summary>Runs <paramref name="perClient"/> operations on each of <paramref name="clients"/> concurrent clients, each one at a time.</summary>
    private static async Task<Run> TimeAsync(int clients, int perClient, Func<int, int, Task> operation)
    {
        var latencies = new double[clients * perClient];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            for (int i = 0; i < perClient; i++)
            {
                long start = Stopwatch.GetTimestamp();
                await operation(client, i).ConfigureAwait(false);
                latencies[client * perClient + i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        })));
        double seconds = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return new Run(latencies.Length / seconds, latencies[latencies.Length / 2], latencies[(int)(latencies.Length * 0.99)]);
    }

    private static async Task<string> PostAsync(HttpClient http, string route, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/edn");
        using var response = await http.PostAsync("/" + route, content).ConfigureAwait(false);
        string answer = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        return response.IsSuccessStatusCode ? answer : throw new InvalidOperationException($"/{route} answered {(int)response.StatusCode}: {answer}");
    }

    private static void Report(string name, Run local, Run remote, string unit)
    {
        foreach (var (side, run) in new[] { ("in-process", local), ("http", remote) })
        {
            Line(name, side, run.Rate, "F0", unit);
            Line(name, side + "-p50", run.P50Ms, "F3", "ms");
            Line(name, side + "-p99", run.P99Ms, "F3", "ms");
        }
    }

    private static void Line(string name, string side, double value, string format, string unit) =>
        Console.WriteLine($"{name} {side} {value.ToString(format, CultureInfo.InvariantCulture)} {unit}");
}
