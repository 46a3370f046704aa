using System.Diagnostics;
using System.Globalization;
using Hike.Api;
using Hike.Db;
using Hike.Edn;

namespace Hike.Bench;

/// <summary>
/// Large values in a file store, history on: <c>large-1mb-100</c>, the bytes appended by 100
/// one-entity commits made after one commit of a 1 MB string (ideally a few KB each: the string is
/// written once); <c>large-3x50mb</c>, the store size and the process's peak RSS after three commits of
/// a 50 MB string each (run it alone: the peak is the whole process's); <c>large-gc-1m</c>, the time of
/// <c>GcStorageAsync</c> keeping only the head on a database of a million datoms without large values
/// (the first collection, which deletes the loads' superseded objects, then the median of eleven more,
/// which only mark and scan); <c>large-mixed</c>, for texts of 256 B to 4 KiB, the store size after
/// 2,000 texts and 400 one-text commits, and the median time to scan them all from a cold open (what
/// <see cref="Hike.Index.Codec.LargeValues.InlineLimit"/> was chosen by). stdout: one <c>name value unit</c>
/// line per figure.
/// </summary>
internal static class LargeValueBench
{
    public static readonly string[] Names = ["large-1mb-100", "large-3x50mb", "large-gc-1m", "large-mixed"];

    private const string Schema = "[{:db/ident :n :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique :db.unique/identity} {:db/ident :doc :db/valueType :db.type/string :db/cardinality :db.cardinality/one} {:db/ident :v :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]";

    public static async Task RunAsync(BenchOptions o)
    {
        foreach (var n in o.Only)
        {
            if (!Names.Contains(n)) throw new ArgumentException($"unknown large-value benchmark {n}; known: {string.Join(' ', Names)}");
        }
        string root = Path.Combine(Path.GetTempPath(), "hike-large-" + Guid.NewGuid().ToString("N")[..12]);
        Console.Error.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} cpus, databases in {root}");
        try
        {
            if (Want(o, "large-1mb-100")) await OneMegabyteAsync(Path.Combine(root, "1mb")).ConfigureAwait(false);
            if (Want(o, "large-3x50mb")) await FiftyMegabytesAsync(Path.Combine(root, "50mb")).ConfigureAwait(false);
            if (Want(o, "large-gc-1m")) await GcAsync(Path.Combine(root, "gc"), o.Quick ? 100_000 : 1_000_000).ConfigureAwait(false);
            if (Want(o, "large-mixed"))
            {
                foreach (int size in new[] { 256, 512, 1024, 2048, 4096 }) await MixedAsync(Path.Combine(root, $"mixed-{size}"), size).ConfigureAwait(false);
            }
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    private static bool Want(BenchOptions o, string name) => o.Only.Count == 0 || o.Only.Contains(name);

    private static DatabaseConfig Config(string dir) => new() { Store = StoreConfig.File(dir), InitialTx = EdnReader.Read(Schema) };

    private static async Task OneMegabyteAsync(string dir)
    {
        using var conn = await Database.CreateAndConnectAsync(Config(dir)).ConfigureAwait(false);
        long empty = StoreBytes(dir);
        await conn.TransactAsync(Entity(0, new string('x', 1 << 20))).ConfigureAwait(false);
        long afterLarge = StoreBytes(dir);
        for (int i = 1; i <= 100; i++) await conn.TransactAsync(Entity(i, "small " + i)).ConfigureAwait(false);
        long afterSmall = StoreBytes(dir);
        Console.Error.WriteLine($"  large-1mb-100: the 1 MB commit appended {afterLarge - empty} bytes, the 100 small commits {afterSmall - afterLarge}");
        Line("large-1mb-100-large-commit", afterLarge - empty, "bytes");
        Line("large-1mb-100-small-commits", afterSmall - afterLarge, "bytes");
    }

    private static async Task FiftyMegabytesAsync(string dir)
    {
        using (var conn = await Database.CreateAndConnectAsync(Config(dir)).ConfigureAwait(false))
        {
            for (int i = 0; i < 3; i++)
            {
                // A fresh string each time, so nothing is shared between the three.
                await conn.TransactAsync(Entity(i, new string((char)('a' + i), 50 << 20))).ConfigureAwait(false);
            }
        }
        long size = StoreBytes(dir);
        long peak = PeakMemory.ProcessPeakRssBytes();
        Console.Error.WriteLine($"  large-3x50mb: store {size / 1e6:F1} MB, process peak RSS {peak / 1e6:F1} MB");
        Line("large-3x50mb-store", size / 1e6, "MB");
        Line("large-3x50mb-peak-rss", peak / 1e6, "MB");
    }

    private static async Task GcAsync(string dir, int datoms)
    {
        using var conn = await Database.CreateAndConnectAsync(Config(dir)).ConfigureAwait(false);
        // Two datoms an entity, 10,000 a commit.
        int entities = datoms / 2;
        for (int start = 0; start < entities; start += 5_000)
        {
            var batch = new object?[Math.Min(5_000, entities - start)];
            for (int i = 0; i < batch.Length; i++) batch[i] = Map(start + i, "value " + (start + i).ToString(CultureInfo.InvariantCulture));
            await conn.TransactAsync(EdnVector.Create(batch)).ConfigureAwait(false);
        }
        var cutoff = DateTime.UtcNow.AddSeconds(1);
        await Task.Delay(1100).ConfigureAwait(false);
        var (first, firstCpu) = await TimeGcAsync(conn, cutoff).ConfigureAwait(false);
        var again = new List<double>();
        var againCpu = new List<double>();
        for (int i = 0; i < 11; i++)
        {
            var (wall, cpu) = await TimeGcAsync(conn, cutoff).ConfigureAwait(false);
            again.Add(wall);
            againCpu.Add(cpu);
        }
        again.Sort();
        againCpu.Sort();
        Console.Error.WriteLine($"  large-gc-1m: {datoms} datoms, store {StoreBytes(dir) / 1e6:F1} MB after collection; first {first:F0} ms ({firstCpu:F0} ms CPU), then {string.Join(' ', again.Select(x => x.ToString("F0", CultureInfo.InvariantCulture)))} ms, CPU {string.Join(' ', againCpu.Select(x => x.ToString("F0", CultureInfo.InvariantCulture)))} ms");
        Line("large-gc-1m-first", first, "ms");
        Line("large-gc-1m-again", again[again.Count / 2], "ms");
        Line("large-gc-1m-again-cpu", againCpu[againCpu.Count / 2], "ms");
    }

    /// <summary>The wall time of one collection, and the CPU time the process spent meanwhile (steadier on a busy machine).</summary>
    private static async Task<(double Wall, double Cpu)> TimeGcAsync(Connection conn, DateTime cutoff)
    {
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        long t0 = Stopwatch.GetTimestamp();
        await conn.GcStorageAsync(cutoff).ConfigureAwait(false);
        return (Stopwatch.GetElapsedTime(t0).TotalMilliseconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds);
    }

    /// <summary>
    /// 2,000 entities with a text of about <paramref name="size"/> bytes, 10 a commit, then 400 commits
    /// each changing one text: the bytes appended, and the time to read every text from a cold open.
    /// </summary>
    private static async Task MixedAsync(string dir, int size)
    {
        var random = new Random(size);
        string Text() => new(Enumerable.Range(0, size).Select(_ => (char)('a' + random.Next(26))).ToArray());
        var config = Config(dir);
        using (var conn = await Database.CreateAndConnectAsync(config).ConfigureAwait(false))
        {
            for (int start = 0; start < 2_000; start += 10)
            {
                var batch = new object?[10];
                for (int i = 0; i < batch.Length; i++) batch[i] = EdnMap.Of(Keyword.Intern("n"), (long)(start + i), Keyword.Intern("v"), Text());
                await conn.TransactAsync(EdnVector.Create(batch)).ConfigureAwait(false);
            }
            for (int i = 0; i < 400; i++) await conn.TransactAsync(EdnVector.Create(EdnMap.Of(Keyword.Intern("n"), (long)random.Next(2_000), Keyword.Intern("v"), Text()))).ConfigureAwait(false);
        }
        long bytes = StoreBytes(dir);
        long chars = 0;
        var reads = new List<double>();
        for (int rep = 0; rep < 7; rep++)
        {
            long t0 = Stopwatch.GetTimestamp();
            chars = 0;
            using (var conn = await Database.ConnectAsync(config with { CacheBytes = 8L << 20 }).ConfigureAwait(false))
            {
                foreach (var d in conn.Db.Datoms(IndexType.Eavt)) chars += d.V is string s ? s.Length : 0;
            }
            reads.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        reads.Sort();
        Console.Error.WriteLine($"  large-mixed {size}: store {bytes / 1e6:F2} MB, cold read of {chars / 1e6:F1} M chars {string.Join(' ', reads.Select(x => x.ToString("F0", CultureInfo.InvariantCulture)))} ms");
        Line($"large-mixed-{size}-store", bytes / 1e6, "MB");
        Line($"large-mixed-{size}-cold-read", reads[reads.Count / 2], "ms");
    }

    private static EdnVector Entity(long n, string text) => EdnVector.Create(Map(n, text));

    private static EdnMap Map(long n, string text) => EdnMap.Of(Keyword.Intern("n"), n, Keyword.Intern(text.Length > 1000 ? "doc" : "v"), text);

    private static long StoreBytes(string dir) => new DirectoryInfo(dir).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    private static void Line(string name, double value, string unit) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {value:F1} {unit}"));
}
