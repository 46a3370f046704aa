using Hike.Api;
using Hike.Storage;
using Hike.Edn;
using Hike.Testing;
using Xunit.Abstractions;
using static Hike.Tests.Durability.DurableFixture;

namespace Hike.Tests.Durability;

/// <summary>Garbage collection over damaged stores, and killed in the middle: it never deletes what is live, and leaves a store that reads cleanly.</summary>
public sealed class GcDamageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Gc_over_a_segment_whose_first_pack_header_is_damaged_deletes_nothing_and_reports_it()
    {
        using var dir = new TempDirectory();
        var config = await ThreeSessions(dir.Path);
        string first = Directory.GetFiles(Path.Combine(dir.Path, "packs")).Order(StringComparer.Ordinal).First();
        var bytes = File.ReadAllBytes(first);
        bytes[0] ^= 0x5a;
        File.WriteAllBytes(first, bytes);
        var before = Files(dir.Path);

        using (var conn = await Database.ConnectAsync(config))
        {
            var error = await Assert.ThrowsAsync<CorruptionException>(() => conn.GcStorageAsync(DateTime.UtcNow.AddMinutes(1)));
            Assert.StartsWith("packs/" + Path.GetFileName(first), error.Key);
        }
        Assert.Equal(before.Keys.Where(k => !k.EndsWith("writer.lock", StringComparison.Ordinal)), Files(dir.Path).Keys.Where(k => !k.EndsWith("writer.lock", StringComparison.Ordinal)));
        Assert.All(before.Where(kv => kv.Key.Contains("packs", StringComparison.Ordinal)), kv => Assert.Equal(kv.Value, Files(dir.Path)[kv.Key]));

        // Repaired, the same collection runs and the database reads as before.
        bytes[0] ^= 0x5a;
        File.WriteAllBytes(first, bytes);
        using var repaired = await Database.ConnectAsync(config);
        Assert.True(await repaired.GcStorageAsync(DateTime.UtcNow.AddMinutes(1)) > 0);
        ReadEverything(repaired.Db);
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), Counters(repaired.Db));
    }

    [Fact]
    public async Task Gc_never_deletes_a_segment_that_holds_a_live_object_its_scan_cannot_see()
    {
        using var dir = new TempDirectory();
        var config = await ThreeSessions(dir.Path);
        // The length in the header of the first pack of the newest segment says it runs past the end:
        // the scan sees a torn tail at 0, yet the head's commit is in that segment.
        using (var conn = await Database.ConnectAsync(config)) _ = conn.Db;
        string newest = Directory.GetFiles(Path.Combine(dir.Path, "packs")).Order(StringComparer.Ordinal).Last();
        var bytes = File.ReadAllBytes(newest);
        bytes[6] = 0x7f;
        File.WriteAllBytes(newest, bytes);
        var before = File.ReadAllBytes(newest);

        using var damaged = await Database.ConnectAsync(config);
        await Assert.ThrowsAsync<CorruptionException>(() => damaged.GcStorageAsync(DateTime.UtcNow.AddMinutes(1)));
        Assert.Equal(before, File.ReadAllBytes(newest));
    }

    [Fact]
    public async Task Gc_killed_at_random_moments_20_times_leaves_every_retained_commit_readable()
    {
        using var dir = new TempDirectory();
        var random = new Random(TestSeed.Next(output.WriteLine));
        const string schema = "[{:db/ident :n :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique :db.unique/identity} {:db/ident :v :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/index true}]";
        var config = new DatabaseConfig { Store = StoreConfig.File(dir.Path), InitialTx = EdnReader.Read(schema) };
        await Database.CreateAsync(config);
        long next = 1;
        int kills = 0, midway = 0, finished = 0;
        // The window to kill in: a whole collection's time, shrunk whenever one ends before its kill.
        double window = 0;
        for (int round = 0; kills < 20; round++)
        {
            Assert.True(round < 100, $"only {kills} of {round} collections could be killed before they ended");
            // New history to collect: commits in two writer sessions, so several segments hold garbage.
            for (int session = 0; session < 2; session++)
            {
                using var writer = await Database.ConnectAsync(config);
                for (int i = 0; i < 15; i++, next++) writer.Transact($"[{{:n {next % 40} :v {next}}}]");
            }
            var cutoff = DateTime.UtcNow;
            using (var writer = await Database.ConnectAsync(config)) writer.Transact($"[{{:n {next % 40} :v {next++}}}]");
            var before = Files(Path.Combine(dir.Path, "packs"));

            // The first collection runs to the end, to time one; the others are killed at a random moment inside it.
            using (var gc = new ChildProcess("gc", dir.Path, cutoff.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            {
                Assert.Equal("collecting", gc.NextLine(TimeSpan.FromSeconds(60)));
                if (round > 0)
                {
                    Thread.Sleep(TimeSpan.FromMilliseconds(random.NextDouble() * window));
                    gc.Kill();
                }
                var done = gc.RemainingLines().FirstOrDefault(l => l.StartsWith("collected ", StringComparison.Ordinal));
                if (done is not null)
                {
                    finished++;
                    window = round == 0 ? int.Parse(done["collected ".Length..], System.Globalization.CultureInfo.InvariantCulture) : window * 0.7;
                }
                else
                {
                    kills++;
                    var after = Files(Path.Combine(dir.Path, "packs"));
                    if (after.Count != before.Count || after.Any(kv => !before.TryGetValue(kv.Key, out var b) || !b.AsSpan().SequenceEqual(kv.Value))) midway++;
                }
            }

            // Every commit still reachable reads whole, history included; a collection without a cut-off runs.
            using var conn = await Database.ConnectAsync(config);
            int retained = 0;
            await foreach (var db in conn.BranchHistory())
            {
                ReadEverything(db);
                retained++;
            }
            Assert.True(retained >= 1);
            Assert.Equal(next - 1, Datalog.Q("[:find (max ?v) . :where [_ :v ?v _ true]]", conn.Db.History()));
            await conn.GcStorageAsync(DateTime.MinValue);
        }
        output.WriteLine($"{kills} collections killed, {midway} of them after they had begun deleting; {finished} ran to their end");
    }

    [Fact]
    public async Task A_torn_crash_at_any_write_of_a_collection_leaves_every_retained_commit_readable()
    {
        int seed = TestSeed.Next(output.WriteLine);
        int writes = (await CollectOnCrashingStore(null, seed)).CrashAtWrite!.Value;
        Assert.True(writes >= 4, $"the collection made only {writes} writes");
        for (int crashAt = 0; crashAt < writes; crashAt++)
        {
            for (int variant = 0; variant < 3; variant++)
            {
                var store = await CollectOnCrashingStore(crashAt, seed + variant);
                Assert.True(store.IsCrashed, $"write {crashAt} of {writes} did not crash");
            }
        }
    }

    /// <summary>
    /// Builds a database with history in several segments on a fresh disk, collects with a crash (torn:
    /// some unsynced writes reach the disk) at write <paramref name="crashAt"/> of the collection, and
    /// checks that every commit left reads whole and the next collection runs. Returns the store.
    /// </summary>
    private static async Task<Hike.Testing.CrashingStore> CollectOnCrashingStore(int? crashAt, int seed)
    {
        var disk = new MemoryStore();
        var config = Config() with { InitialTx = EdnReader.Read("[{:db/ident :n :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique :db.unique/identity} {:db/ident :v :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]") };
        // Each commit updates entities spread over many partitions, so later commits reach chunks and
        // nodes in earlier sessions' segments: what a collection removes spans segments.
        using (var conn = Create(disk, config))
        {
            conn.Transact($"[{string.Join(' ', Enumerable.Range(0, 400).Select(n => $"{{:n {n} :v -1}}"))}]");
        }
        DateTime cutoff = default;
        for (int session = 0; session < 3; session++)
        {
            using var conn = Open(disk, config);
            for (int i = 0; i < 10; i++) conn.Transact($"[{{:n {(session * 10 + i) * 37 % 400} :v {session * 100 + i}}}]");
            if (session == 1) cutoff = DateTime.UtcNow;
        }
        var store = new Hike.Testing.CrashingStore(disk) { Faults = new Hike.Testing.FaultPlan(seed) { TornCrash = true } };
        using (var conn = Open(store, config))
        {
            int before = store.WriteCount;
            store.CrashAtWrite = crashAt is null ? null : before + crashAt;
            try
            {
                await conn.GcStorageAsync(cutoff);
            }
            catch (HikeException e) when (crashAt is not null && e.Code is "storage/io")
            {
            }
            if (crashAt is null) store.CrashAtWrite = store.WriteCount - before; // how many writes it made
        }
        using (var reopened = Open(disk, config))
        {
            int commits = 0;
            await foreach (var db in reopened.BranchHistory())
            {
                ReadEverything(db);
                commits++;
            }
            Assert.True(commits >= 10, $"{commits} commits left; the ones after the cut-off must stay");
            Assert.Equal(209L, Datalog.Q("[:find (max ?v) . :where [_ :v ?v]]", reopened.Db.History()));
            await reopened.GcStorageAsync(DateTime.MinValue);
            ReadEverything(reopened.Db);
        }
        return crashAt is null ? new Hike.Testing.CrashingStore(disk) { CrashAtWrite = store.CrashAtWrite } : store;
    }

    /// <summary>A database written by three writer sessions (three segments), :n 1 to 30 with history to collect.</summary>
    private static async Task<DatabaseConfig> ThreeSessions(string path)
    {
        var config = new DatabaseConfig { Store = StoreConfig.File(path), InitialTx = EdnReader.Read(CounterSchema) };
        await Database.CreateAsync(config);
        for (int session = 0; session < 3; session++)
        {
            using var conn = await Database.ConnectAsync(config);
            for (int i = 1; i <= 10; i++) conn.Transact($"[{{:n {session * 10 + i}}}]");
        }
        return config;
    }

    private static Dictionary<string, byte[]> Files(string path) =>
        Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);
}
