using System.Diagnostics;
using System.Globalization;
using Hike.Api;

namespace Hike.Bench;

/// <summary>
/// Durable writes and a cold open, Hike's store against SQLite used as a triple store
/// (<see cref="SqliteTarget"/>), on the people of <c>people-20k.edn</c> (<see cref="DurablePeople"/>):
/// transactions/s of one person each from 16 concurrent submitters; datoms/s at 100 and 10,000
/// people per transaction from one submitter; then a database of about a million datoms: its load,
/// the time to open it and answer a point query on <c>:name</c>, and the peak memory of scanning its
/// EAVT index with a 64 MiB cache, in a child process of its own. Each database is fresh, in a new
/// folder under <see cref="Path.GetTempPath"/>, deleted afterwards. stdout: one
/// <c>name side value unit</c> line per figure (and <c>name hike/sqlite ratio x</c> for the
/// throughputs); everything else goes to stderr. Datoms are entity datoms: transaction datoms
/// (<c>:db/txInstant</c>, written on both sides when history is kept) are not counted.
/// </summary>
internal static class DurableBench
{
    public static readonly string[] Names =
    [
        "durable-tx-batch1-16", "durable-datoms-batch100", "durable-datoms-batch10000",
        "durable-load", "durable-open-query", "durable-open-query-cold", "durable-scan", "durable-scan-peak-heap", "durable-scan-live-heap", "durable-scan-peak-rss",
    ];

    private const long ScanCacheBytes = 64L << 20;
    private const long WriteCacheBytes = 256L << 20;
    private const int LoadBatch = 10_000;

    private sealed record Sizes(int Submitters, int TxPerSubmitter, int Batch100Tx, int Batch10kTx, int BigDatoms, int Reps, int OpenReps);

    public static async Task RunAsync(BenchOptions o, string dataDir)
    {
        if (o.ScanMemory is { } scan)
        {
            await ScanChildAsync(o, scan.Side, scan.Dir, dataDir).ConfigureAwait(false);
            return;
        }
        foreach (var n in o.Only)
        {
            if (!Names.Contains(n)) throw new ArgumentException($"unknown durable benchmark {n}; known: {string.Join(' ', Names)}");
        }
        var sizes = o.Quick
            ? new Sizes(16, 50, 10, 1, o.DurableDatoms ?? 100_000, 1, 3)
            : new Sizes(16, 500, 100, 2, o.DurableDatoms ?? 1_000_000, 3, 5);
        var sqlite = SqliteOf(o);
        var targets = new List<IDurableTarget>();
        if (o.Side is null or "hike") targets.Add(HikeOf(o));
        if (o.Side is null or "sqlite") targets.Add(sqlite);
        var people = new DurablePeople(new Workload(dataDir, keepHistory: false).People);
        string root = Path.Combine(Path.GetTempPath(), "hike-durable-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        Console.Error.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} cpus, databases in {root}");
        Console.Error.WriteLine($"  hike: {o.Store} store, history {(o.NoHistory ? "off" : "on")}, schema on read with :name indexed; all submitters share one connection");
        Console.Error.WriteLine($"  sqlite: {sqlite.Describe()}; WAL, synchronous=FULL, cache_size 64 MiB per connection");
        Console.Error.WriteLine($"  median of {sizes.Reps}; datoms counted without transaction datoms");
        try
        {
            // Untimed: runs both sides' write paths long enough for the JIT's optimised tier, so that no
            // timed run pays for compilation.
            foreach (var t in targets)
            {
                await TimeWritesAsync(t, Path.Combine(root, $"warmup-{t.Name}-1"), Work(people, 1, sizes.Submitters, sizes.TxPerSubmitter), people.DatomsOf(sizes.Submitters * sizes.TxPerSubmitter)).ConfigureAwait(false);
                await TimeWritesAsync(t, Path.Combine(root, $"warmup-{t.Name}-100"), Work(people, 100, 1, sizes.Batch100Tx), people.DatomsOf(100 * sizes.Batch100Tx)).ConfigureAwait(false);
            }
            if (Want(o, "durable-tx-batch1-16"))
            {
                await ThroughputAsync("durable-tx-batch1-16", targets, root, people, batch: 1, sizes.Submitters, sizes.TxPerSubmitter, sizes.Reps, perTx: true).ConfigureAwait(false);
            }
            if (Want(o, "durable-datoms-batch100"))
            {
                await ThroughputAsync("durable-datoms-batch100", targets, root, people, batch: 100, 1, sizes.Batch100Tx, sizes.Reps, perTx: false).ConfigureAwait(false);
            }
            if (Want(o, "durable-datoms-batch10000"))
            {
                await ThroughputAsync("durable-datoms-batch10000", targets, root, people, batch: 10_000, 1, sizes.Batch10kTx, sizes.Reps, perTx: false).ConfigureAwait(false);
            }
            if (Want(o, Names[3..]))
            {
                foreach (var t in targets) await LargeDatabaseAsync(o, t, root, dataDir, people, sizes).ConfigureAwait(false);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static bool Want(BenchOptions o, params string[] names) => o.Only.Count == 0 || names.Any(o.Only.Contains);

    private static HikeTarget HikeOf(BenchOptions o) =>
        new("hike", o.Store == "file" ? dir => StoreConfig.File(dir) : dir => StoreConfig.Memory(dir), keepHistory: !o.NoHistory);

    // Hike records a transaction's :db/txInstant only when it keeps history (as Datahike), so SQLite does the same.
    internal static SqliteTarget SqliteOf(BenchOptions o, string name = "sqlite") =>
        new(harnessLock: !o.SqliteBusy, withoutRowid: o.SqliteLayout == "norowid", avetAll: o.SqliteAvet == "all", txInstants: !o.NoHistory) { Name = name };

    /// <summary>
    /// <paramref name="submitters"/> concurrent submitters, each committing <paramref name="txPerSubmitter"/>
    /// transactions of <paramref name="batch"/> people one after another, on a fresh database per
    /// repetition; the sides alternate which goes first.
    /// </summary>
    private static async Task ThroughputAsync(string name, List<IDurableTarget> targets, string root, DurablePeople people, int batch, int submitters, int txPerSubmitter, int reps, bool perTx)
    {
        int txs = submitters * txPerSubmitter;
        long datoms = people.DatomsOf(txs * batch);
        var rates = await RatesAsync(name, targets, root, people, batch, submitters, txPerSubmitter, reps, perTx).ConfigureAwait(false);
        string unit = perTx ? "tx/s" : "datoms/s";
        foreach (var t in targets)
        {
            Console.Error.WriteLine($"  {name} {t.Name}: {txs} tx of {batch} ({datoms} datoms) from {submitters} submitter(s); {unit} {string.Join(' ', rates[t.Name].Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))}");
            Line(name, t.Name, Median(rates[t.Name]), "F0", unit);
        }
        if (rates.Count == 2) Line(name, "hike/sqlite", Median(rates["hike"]) / Median(rates["sqlite"]), "F2", "x");
    }

    /// <summary>
    /// The rates of <see cref="ThroughputAsync"/> by target name: transactions/s (<paramref name="perTx"/>)
    /// or datoms/s of each repetition, each on a fresh database in <paramref name="root"/>.
    /// </summary>
    internal static async Task<Dictionary<string, List<double>>> RatesAsync(string name, List<IDurableTarget> targets, string root, DurablePeople people, int batch, int submitters, int txPerSubmitter, int reps, bool perTx)
    {
        var work = Work(people, batch, submitters, txPerSubmitter);
        int txs = submitters * txPerSubmitter;
        long datoms = people.DatomsOf(txs * batch);
        var rates = targets.ToDictionary(t => t.Name, _ => new List<double>());
        for (int rep = 0; rep < reps; rep++)
        {
            for (int i = 0; i < targets.Count; i++)
            {
                var t = targets[(rep + i) % targets.Count];
                string dir = Path.Combine(root, $"{name}-{t.Name}-{rep}");
                double seconds = await TimeWritesAsync(t, dir, work, datoms).ConfigureAwait(false);
                rates[t.Name].Add((perTx ? txs : datoms) / seconds);
            }
        }
        return rates;
    }

    /// <summary>Submitter <c>s</c>'s transaction <c>k</c>: the people after those of the transactions before it.</summary>
    internal static DurablePerson[][][] Work(DurablePeople people, int batch, int submitters, int txPerSubmitter)
    {
        var work = new DurablePerson[submitters][][];
        for (int s = 0; s < submitters; s++)
        {
            work[s] = new DurablePerson[txPerSubmitter][];
            for (int k = 0; k < txPerSubmitter; k++) work[s][k] = people.Slice(((s * txPerSubmitter) + k) * batch, batch);
        }
        return work;
    }

    internal static async Task<double> TimeWritesAsync(IDurableTarget target, string dir, DurablePerson[][][] work, long expectedDatoms)
    {
        await target.CreateAsync(dir).ConfigureAwait(false);
        try
        {
            using var session = await target.OpenAsync(dir, WriteCacheBytes).ConfigureAwait(false);
            session.PrepareSubmitters(work.Length);
            var tasks = new Task[work.Length];
            var clock = Stopwatch.StartNew();
            for (int s = 0; s < work.Length; s++)
            {
                int submitter = s;
                // A thread of its own per submitter, so that a submitter blocked in a synchronous commit
                // does not wait for the thread pool to grow.
                tasks[s] = Task.Factory.StartNew(() => SubmitAsync(session, submitter, work[submitter]), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
            }
            await Task.WhenAll(tasks).ConfigureAwait(false);
            double seconds = clock.Elapsed.TotalSeconds;
            Verify(target, session, expectedDatoms);
            return seconds;
        }
        finally
        {
            await target.DeleteAsync(dir).ConfigureAwait(false);
        }
    }

    private static async Task SubmitAsync(IDurableSession session, int submitter, DurablePerson[][] txs)
    {
        foreach (var tx in txs) await session.TransactAsync(submitter, tx).ConfigureAwait(false);
    }

    /// <summary>Loads the large database, times opening it and a point query, and has a child process measure the cold open and a scan.</summary>
    private static async Task LargeDatabaseAsync(BenchOptions o, IDurableTarget target, string root, string dataDir, DurablePeople people, Sizes sizes)
    {
        int count = people.CountFor(sizes.BigDatoms);
        string pointName = people[count / 2].Name;
        string dir = Path.Combine(root, $"large-{target.Name}");
        try
        {
            double loadMs = await LoadAsync(target, dir, people, count).ConfigureAwait(false);
            long datoms = people.DatomsOf(count);
            Console.Error.WriteLine($"  durable-load {target.Name}: {count} people, {datoms} datoms in batches of {LoadBatch}, {datoms / (loadMs / 1000):F0} datoms/s");
            Line("durable-load", target.Name, loadMs, "F0", "ms");

            var opens = new List<double>();
            for (int rep = 0; rep < sizes.OpenReps; rep++)
            {
                // Hike connects only once the last connection's store has closed, which it does in the
                // background after the release: let it finish outside the clock.
                await Task.Delay(250).ConfigureAwait(false);
                var clock = Stopwatch.StartNew();
                using var session = await target.OpenAsync(dir, ScanCacheBytes).ConfigureAwait(false);
                long? e = session.FindByName(pointName);
                opens.Add(clock.Elapsed.TotalMilliseconds);
                if (e is null) throw new InvalidOperationException($"{target.Name}: no entity with :name {pointName}");
            }
            Console.Error.WriteLine($"  durable-open-query {target.Name}: open and find :name \"{pointName}\", in this process; ms {string.Join(' ', opens.Select(x => x.ToString("F2", CultureInfo.InvariantCulture)))}");
            Line("durable-open-query", target.Name, Median(opens), "F2", "ms");

            RunScanChild(o, target.Name, dir, dataDir, pointName, sizes.BigDatoms);
        }
        finally
        {
            await target.DeleteAsync(dir).ConfigureAwait(false);
        }
    }

    /// <summary>Creates the database in <paramref name="dir"/> and commits people <c>[0, count)</c> in batches of <see cref="LoadBatch"/>; returns the load's milliseconds.</summary>
    internal static async Task<double> LoadAsync(IDurableTarget target, string dir, DurablePeople people, int count)
    {
        await target.CreateAsync(dir).ConfigureAwait(false);
        using var session = await target.OpenAsync(dir, WriteCacheBytes).ConfigureAwait(false);
        session.PrepareSubmitters(1);
        var clock = Stopwatch.StartNew();
        for (int start = 0; start < count; start += LoadBatch)
        {
            await session.TransactAsync(0, people.Slice(start, Math.Min(LoadBatch, count - start))).ConfigureAwait(false);
        }
        double ms = clock.Elapsed.TotalMilliseconds;
        Verify(target, session, people.DatomsOf(count));
        return ms;
    }

    private static void RunScanChild(BenchOptions o, string side, string dir, string dataDir, string pointName, int bigDatoms)
    {
        var psi = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") psi.ArgumentList.Add(typeof(DurableBench).Assembly.Location);
        string[] args =
        [
            "--scan-memory", side, dir, "--point-name", pointName, "--store", o.Store, "--data", dataDir,
            "--durable-datoms", bigDatoms.ToString(CultureInfo.InvariantCulture),
            "--sqlite-layout", o.SqliteLayout, "--sqlite-avet", o.SqliteAvet,
        ];
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (o.NoHistory) psi.ArgumentList.Add("--no-history");
        // The scan runs with the managed heap capped at the cache plus 64 MiB: finishing at all shows
        // that reading the whole database needs no more than that.
        psi.Environment["DOTNET_GCHeapHardLimit"] = (ScanCacheBytes + ScanHeapSlack).ToString("x", CultureInfo.InvariantCulture);
        // Let the parent's released connection finish closing its store (see OpenWhenUnlockedAsync).
        Thread.Sleep(500);
        using var child = Process.Start(psi)!;
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0) throw new InvalidOperationException($"scan of {side} failed (exit {child.ExitCode})");
        Console.Out.Write(output);
        Console.Out.Flush();
    }

    /// <summary>
    /// The child process: opens the database, answers the point query (the cold open: first in a
    /// fresh process) and reads all of EAVT with a 64 MiB cache, sampling memory from before the open.
    /// A memory store cannot outlive its process, so for it the child loads the database first, and
    /// its peak resident set is the sampled one (VmHWM would count the load).
    /// </summary>
    /// <summary>What the scan's heap may hold beyond the node cache.</summary>
    private const long ScanHeapSlack = 64L << 20;

    private static async Task ScanChildAsync(BenchOptions o, string side, string dir, string dataDir)
    {
        IDurableTarget target = side == "hike" ? HikeOf(o) : SqliteOf(o);
        string pointName = o.PointName ?? throw new ArgumentException("--scan-memory needs --point-name");
        bool loadedHere = side == "hike" && o.Store == "mem";
        if (loadedHere)
        {
            var people = new DurablePeople(new Workload(dataDir, keepHistory: false).People);
            await LoadAsync(target, dir, people, people.CountFor(o.DurableDatoms ?? 1_000_000)).ConfigureAwait(false);
            GC.Collect();
        }
        long heapBefore = GC.GetTotalMemory(forceFullCollection: false);
        long rssBefore = Environment.WorkingSet;
        double openMs;
        double scanMs;
        long scanned;
        long liveHeap;
        var peak = new PeakMemory();
        using (peak)
        {
            var clock = Stopwatch.StartNew();
            using var session = await OpenWhenUnlockedAsync(target, dir, clock).ConfigureAwait(false);
            if (session.FindByName(pointName) is null) throw new InvalidOperationException($"{side}: no entity with :name {pointName}");
            openMs = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            scanned = session.ScanEavt();
            scanMs = clock.Elapsed.TotalMilliseconds;
            // What the open database holds after the scan, garbage collected: the node cache and a constant.
            liveHeap = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        }
        long peakRss = loadedHere ? peak.PeakRssBytes : Math.Max(peak.PeakRssBytes, PeakMemory.ProcessPeakRssBytes());
        Console.Error.WriteLine($"  durable-scan {side}: {scanned} datoms of EAVT (schema and transaction datoms included), cache 64 MiB, heap capped at {(ScanCacheBytes + ScanHeapSlack) >> 20} MiB; before opening: heap {heapBefore / 1e6:F1} MB, RSS {rssBefore / 1e6:F1} MB; peak RSS {(loadedHere ? "sampled during open and scan" : "of the whole process (VmHWM)")}");
        Line("durable-open-query-cold", side, openMs, "F1", "ms");
        Line("durable-scan", side, scanMs, "F0", "ms");
        Line("durable-scan-peak-heap", side, peak.PeakHeapBytes / 1e6, "F1", "MB");
        Line("durable-scan-live-heap", side, liveHeap / 1e6, "F1", "MB");
        Line("durable-scan-peak-rss", side, peakRss / 1e6, "F1", "MB");
    }

    /// <summary>
    /// Opens the database once the parent's connection has let go of it: a released Hike connection
    /// closes its store in the background, holding the writer lock until then. A failed attempt
    /// restarts <paramref name="clock"/>.
    /// </summary>
    private static async Task<IDurableSession> OpenWhenUnlockedAsync(IDurableTarget target, string dir, Stopwatch clock)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await target.OpenAsync(dir, ScanCacheBytes).ConfigureAwait(false);
            }
            catch (HikeException e) when (e.Code == ErrorCodes.DbWriterLocked && attempt < 200)
            {
                Console.Error.WriteLine($"  {target.Name}: store still locked by the parent, retrying");
                await Task.Delay(25).ConfigureAwait(false);
                clock.Restart();
            }
        }
    }

    private static void Verify(IDurableTarget target, IDurableSession session, long expectedDatoms)
    {
        long datoms = session.CountEntityDatoms();
        if (datoms != expectedDatoms) throw new InvalidOperationException($"{target.Name}: {datoms} entity datoms after the writes, expected {expectedDatoms}");
    }

    internal static double Median(List<double> xs)
    {
        var sorted = xs.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    internal static void Line(string name, string side, double value, string format, string unit) =>
        Console.WriteLine($"{name} {side} {value.ToString(format, CultureInfo.InvariantCulture)} {unit}");
}
