using Hike.Api;
using Hike.Storage;
using Hike.Testing;
using Xunit.Abstractions;
using static Hike.Tests.Durability.DurableFixture;

namespace Hike.Tests.Durability;

/// <summary>
/// Random workloads over a store that injects I/O errors, short reads, bit flips, lost writes, bit rot
/// and torn crashes at random operations. Whatever happens, a clean reopen of the disk holds every
/// acknowledged transaction (and of the others only whole ones), or reports <c>storage/corrupt</c> —
/// and only when a fault really damaged the disk. Never silently less.
/// </summary>
public sealed class FaultInjectionTests(ITestOutputHelper output)
{
    private const string Schema = "[{:db/ident :n :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}]";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Under_injected_faults_acknowledged_data_is_all_there_or_corruption_is_reported()
    {
        int seed = TestSeed.Next(output.WriteLine);
        int runs = int.TryParse(Environment.GetEnvironmentVariable("HIKE_FAULT_RUNS"), out int n) ? n : 150;
        var injected = new Dictionary<string, int>();
        int whole = 0, reported = 0;
        for (int run = 0; run < runs; run++)
        {
            FaultPlan plan;
            bool outcome;
            try
            {
                (plan, outcome) = await RunAsync(seed + run);
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                throw new InvalidOperationException($"run seed {seed + run} (replay with HIKE_TEST_SEED={seed + run} HIKE_FAULT_RUNS=1) failed: {e.GetType().Name}: {e.Message}", e);
            }
            foreach (var (kind, count) in plan.Injected) injected[kind] = injected.GetValueOrDefault(kind) + count;
            if (outcome) whole++;
            else reported++;
        }
        output.WriteLine($"{runs} runs: {whole} with every acknowledged transaction there, {reported} reported as storage/corrupt after damage");
        output.WriteLine("faults injected: " + string.Join(", ", injected.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Value} {kv.Key}")));
        Assert.True(injected.Values.Sum() >= runs, "too few faults were injected to mean anything");
    }

    /// <summary>One workload under one random mix of faults; true when the data was all there, false when corruption was reported.</summary>
    private static async Task<(FaultPlan Plan, bool Whole)> RunAsync(int seed)
    {
        var random = new Random(seed);
        var plan = new FaultPlan(seed)
        {
            ReadError = Pick(random, 0.01),
            ShortRead = Pick(random, 0.005),
            ReadBitFlip = Pick(random, 0.005),
            WriteError = Pick(random, 0.01),
            LostWrite = Pick(random, 0.01),
            BitRot = Pick(random, 0.02),
            TornCrash = random.Next(2) == 0,
        };
        var disk = new MemoryStore();
        var config = Config() with { InitialTx = Hike.Edn.EdnReader.Read(Schema) };
        var acknowledged = new HashSet<long>();
        var uncertain = new HashSet<long>();
        long next = 1;
        // Created cleanly (creation under crashes is CrashTests' part); faults from the first transaction on.
        using (Create(disk, config))
        {
        }
        CrashingStore? store = null;
        Connection? conn = null;
        try
        {
            for (int op = 0; op < 40; op++)
            {
                if (conn is null)
                {
                    store = new CrashingStore(disk) { Faults = plan };
                    try
                    {
                        conn = Open(store, config);
                    }
                    catch (HikeException e) when (e is CorruptionException || e.Code is "storage/io" or "db/missing")
                    {
                        // A fault while opening: a process that failed to start. What is on disk decides below.
                        store.Crash();
                        continue;
                    }
                }
                int action = random.Next(100);
                try
                {
                    if (action < 70)
                    {
                        long i = next++;
                        uncertain.Add(i);
                        await conn.TransactAsync($"[{{:n {i}}} {{:n {-i}}}]").WaitAsync(Patience);
                        acknowledged.Add(i);
                        uncertain.Remove(i);
                    }
                    else if (action < 80)
                    {
                        await conn.GcStorageAsync(DateTime.UtcNow.AddMilliseconds(-random.Next(5))).WaitAsync(Patience);
                    }
                    else if (action < 88)
                    {
                        _ = Counters(conn.Db);
                    }
                    else if (action < 95)
                    {
                        // A clean restart: the writer stops, unsynced writes (there are none acknowledged) go.
                        conn.Release();
                        store!.Dispose();
                        conn = null;
                    }
                    else
                    {
                        store!.Crash();
                        conn.Release();
                        conn = null;
                    }
                }
                catch (HikeException e) when (e is CorruptionException || e.Code is "storage/io" or "db/writer-failed" or "db/writer-conflict" or "transact/upsert" or "transact/unique")
                {
                    // The process dies on any failure: what is on disk decides below.
                    store!.Crash();
                    conn?.Release();
                    conn = null;
                }
            }
        }
        finally
        {
            conn?.Release();
        }
        return (plan, Verify(disk, config, plan, acknowledged, uncertain, seed));
    }

    /// <summary>Reopens the disk without faults: every acknowledged transaction and only whole ones, or a corruption report that damage explains.</summary>
    private static bool Verify(MemoryStore disk, DatabaseConfig config, FaultPlan plan, HashSet<long> acknowledged, HashSet<long> uncertain, int seed)
    {
        string where = $"seed {seed} (replay with HIKE_TEST_SEED={seed} HIKE_FAULT_RUNS=1), faults {string.Join(", ", plan.Injected.Select(kv => $"{kv.Value} {kv.Key}"))}";
        long[] seen;
        try
        {
            using var clean = Open(disk, config);
            seen = Counters(clean.Db);
            ReadEverything(clean.Db);
        }
        catch (CorruptionException e)
        {
            Assert.True(plan.Persistent > 0, $"storage/corrupt without damage on the disk: {e.Message}; {where}");
            return false;
        }
        var set = seen.ToHashSet();
        Assert.All(set, v => Assert.True(set.Contains(-v), $"transaction {Math.Abs(v)} is torn; {where}"));
        var missing = acknowledged.Where(i => !set.Contains(i)).ToList();
        Assert.True(missing.Count == 0, $"acknowledged transactions {string.Join(", ", missing)} are gone, silently; {where}");
        var extra = set.Where(v => v > 0 && !acknowledged.Contains(v) && !uncertain.Contains(v)).ToList();
        Assert.True(extra.Count == 0, $"transactions {string.Join(", ", extra)} were never submitted; {where}");
        return true;
    }

    /// <summary>A fault kind's rate for one run: off for some runs, up to <paramref name="max"/> for others.</summary>
    private static double Pick(Random random, double max) => random.Next(3) == 0 ? 0 : random.NextDouble() * max;
}
