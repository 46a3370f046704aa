using Hike.Api;
using Hike.Storage;
using Hike.Testing;
using Xunit.Abstractions;
using static Hike.Tests.Durability.DurableFixture;

namespace Hike.Tests.Durability;

/// <summary>
/// Power cuts at every write of every commit: a store that drops whatever was not synced fails at
/// write N; reopening the disk must give exactly the acknowledged transactions and a clean database.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private const int Transactions = 6;

    /// <param name="torn">Whether a crash keeps a random part of the unsynced writes (else it loses them all).</param>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_crash_at_any_write_keeps_every_acknowledged_transaction_and_nothing_later(bool torn)
    {
        int totalWrites = CountWrites();
        Assert.True(totalWrites > 3 * Transactions, $"only {totalWrites} writes");
        int seed = torn ? TestSeed.Next(output.WriteLine) : 0;
        for (int crashAt = 0; crashAt < totalWrites; crashAt++)
        {
            var disk = new MemoryStore();
            var store = new CrashingStore(disk) { CrashAtWrite = crashAt, Faults = torn ? new FaultPlan(seed + crashAt) { TornCrash = true } : null };
            int acknowledged = -1;
            try
            {
                using var conn = Create(store, Config() with { InitialTx = TxFixtureSchema });
                acknowledged = 0;
                for (int i = 1; i <= Transactions; i++)
                {
                    conn.Transact($"[{{:n {i}}}]");
                    acknowledged = i;
                }
            }
            catch (HikeException e) when (e.Code is "storage/io" or "db/writer-failed")
            {
            }
            Assert.True(store.IsCrashed, $"write {crashAt} of {totalWrites} did not crash");
            if (acknowledged < 0 && new Hike.Versioning.StoredCommitLog(disk, 1 << 20).ReadResolvedHead(K("db")) is null) continue; // the crash came before the database existed
            using var reopened = Open(disk);
            var db = reopened.Db;
            var expected = Enumerable.Range(1, Math.Max(acknowledged, 0)).Select(i => (long)i).ToArray();
            if (acknowledged < 0)
            {
                // Creation failed after its first commit: an empty database, or one with its initial transaction.
                Assert.Empty(Counters(db));
            }
            else
            {
                Assert.Equal(expected, Counters(db));
            }
            ReadEverything(db);
            // The reopened database takes new transactions.
            reopened.Transact(acknowledged < 0 ? CounterSchema : "[]");
            reopened.Transact("[{:n 100}]");
            Assert.Contains(100L, Counters(Open(disk).Db));
        }
        output.WriteLine($"a crash at each of the {totalWrites} writes of creating the database and {Transactions} transactions");
    }

    [Fact]
    public void After_a_failed_commit_pending_and_later_transactions_fail_loudly()
    {
        var disk = new MemoryStore();
        var store = new CrashingStore(disk);
        using var conn = Create(store, Config() with { InitialTx = TxFixtureSchema });
        conn.Transact("[{:n 1}]");
        store.CrashAtWrite = store.WriteCount;
        var first = Assert.ThrowsAny<HikeException>(() => conn.Transact("[{:n 2}]"));
        Assert.Equal("db/writer-failed", first.Code);
        Assert.Equal("storage/io", Assert.IsType<HikeException>(first.InnerException).Code);
        Assert.IsType<IOException>(first.InnerException.InnerException);
        var later = Assert.ThrowsAny<HikeException>(() => conn.Transact("[{:n 3}]"));
        Assert.Equal("db/writer-failed", later.Code);
        Assert.Equal("db/writer-failed", Assert.ThrowsAny<HikeException>(() => conn.BranchAsync(K("db"), K("b")).GetAwaiter().GetResult()).Code);
        Assert.Equal([1L], Counters(Open(disk).Db));
    }

    [Fact]
    public void A_head_is_written_only_once_its_pack_is_durable()
    {
        var disk = new MemoryStore();
        var store = new CrashingStore(disk);
        using var conn = Create(store, Config() with { InitialTx = TxFixtureSchema });
        conn.Transact("[{:n 1}]");
        // Crash at the head's write: the pack was synced, the head not moved, the transaction not acknowledged.
        var writes = new List<string>();
        store.CrashAtWrite = store.WriteCount + 2;
        Assert.ThrowsAny<HikeException>(() => conn.Transact("[{:n 2}]"));
        var commits = new Hike.Versioning.StoredCommitLog(disk, 1 << 20);
        var head = commits.ReadHead(K("db"))!.Value;
        var segment = Hike.Index.Stored.Packs.Key(Hike.Index.Stored.Packs.Locate(head.Address).Pack);
        Assert.True(disk.GetRange(segment, head.PackEnd, 1)!.Length > 0, "the crash came before the new pack was synced");
        Assert.Equal([1L], Counters(Open(disk).Db));
    }

    [Fact]
    public async Task A_crash_at_any_write_of_branch_operations_leaves_the_acknowledged_ones_and_at_most_the_one_in_flight()
    {
        int totalWrites = (await RunBranchOperations(new CrashingStore(new MemoryStore()))).Store.WriteCount;
        for (int crashAt = 0; crashAt < totalWrites; crashAt++)
        {
            var disk = new MemoryStore();
            var (store, acknowledged) = await RunBranchOperations(new CrashingStore(disk) { CrashAtWrite = crashAt });
            Assert.True(store.IsCrashed, $"write {crashAt} of {totalWrites} did not crash");
            if (acknowledged < 0) continue; // the crash came while the database was created
            using var reopened = Open(disk);
            var state = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var branch in await reopened.GetBranchesAsync())
            {
                state[branch.Name] = string.Join(' ', Counters(await reopened.BranchAsDbAsync(branch)));
                ReadEverything(await reopened.BranchAsDbAsync(branch));
            }
            var seen = string.Join("; ", state.Select(kv => $"{kv.Key}: {kv.Value}"));
            var allowed = new[] { BranchStates[acknowledged], BranchStates[Math.Min(acknowledged + 1, BranchStates.Length - 1)] };
            Assert.True(allowed.Contains(seen), $"crash at write {crashAt} after {acknowledged} acknowledged operations: {seen}; expected {string.Join(" or ", allowed)}");
            // The reopened store takes new commits and branches.
            reopened.Transact("[{:n 100}]");
            await reopened.BranchAsync(K("db"), K("after"));
            Assert.Contains(100L, Counters(await Open(disk).BranchAsDbAsync(K("after"))));
        }
    }

    /// <summary>The branches and their counters after each operation of <see cref="RunBranchOperations"/>.</summary>
    private static readonly string[] BranchStates =
    [
        "db: ",
        "db: 1",
        "b: 1; db: 1",
        "b: 1 2; db: 1",
        "b: 1 2; c: 1; db: 1",
        "b: 1 2; db: 1",
        "b: 1 2; db: 1 3",
        "db: 1 3",
    ];

    /// <summary>Creates a database, then transacts, branches, merges and deletes branches until the store crashes; returns how many operations were acknowledged (-1: none, not even the creation).</summary>
    private static async Task<(CrashingStore Store, int Acknowledged)> RunBranchOperations(CrashingStore store)
    {
        int acknowledged = -1;
        try
        {
            using var main = Create(store, Config() with { InitialTx = TxFixtureSchema });
            acknowledged = 0;
            main.Transact("[{:n 1}]");
            acknowledged = 1;
            await main.BranchAsync(K("db"), K("b"));
            acknowledged = 2;
            var b = (Hike.Writing.DatabaseRuntime)main.Db.State.Origin!;
            // Not released: a database opened on a store directly belongs to its first connection.
            new Connection(b, main.Config with { Branch = K("b") }).Transact("[{:n 2}]");
            acknowledged = 3;
            await main.BranchAsync(K("db"), K("c"));
            acknowledged = 4;
            await main.DeleteBranchAsync(K("c"));
            acknowledged = 5;
            await main.MergeAsync([K("b")], "[{:n 3}]");
            acknowledged = 6;
            await main.DeleteBranchAsync(K("b"));
            acknowledged = 7;
        }
        catch (HikeException e) when (e.Code is "storage/io" or "db/writer-failed")
        {
        }
        return (store, acknowledged);
    }

    private static object? TxFixtureSchema => Hike.Edn.EdnReader.Read(CounterSchema);

    private static int CountWrites()
    {
        var store = new CrashingStore(new MemoryStore());
        using (var conn = Create(store, Config() with { InitialTx = TxFixtureSchema }))
        {
            for (int i = 1; i <= Transactions; i++) conn.Transact($"[{{:n {i}}}]");
        }
        return store.WriteCount;
    }
}
