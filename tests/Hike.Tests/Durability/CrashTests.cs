using Hike.Api;
using Hike.Storage;
using Hike.Testing;
using static Hike.Tests.Durability.DurableFixture;

namespace Hike.Tests.Durability;

/// <summary>
/// Power cuts at every write of every commit: a store that drops whatever was not synced fails at
/// write N; reopening the disk must give exactly the acknowledged transactions and a clean database.
/// </summary>
public sealed class CrashTests
{
    private const int Transactions = 6;

    [Fact]
    public void A_crash_at_any_write_keeps_every_acknowledged_transaction_and_nothing_later()
    {
        int totalWrites = CountWrites();
        Assert.True(totalWrites > 3 * Transactions, $"only {totalWrites} writes");
        for (int crashAt = 0; crashAt < totalWrites; crashAt++)
        {
            var disk = new MemoryStore();
            var store = new CrashingStore(disk) { CrashAtWrite = crashAt };
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
            catch (Exception e) when (e is IOException || e is HikeException { Code: "db/writer-failed" })
            {
            }
            Assert.True(store.IsCrashed, $"write {crashAt} of {totalWrites} did not crash");
            if (acknowledged < 0 && new Hike.Versioning.CommitStore(disk, 1 << 20).ReadResolvedHead(K("db")) is null) continue; // the crash came before the database existed
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
        Assert.IsType<IOException>(first.InnerException);
        var later = Assert.ThrowsAny<HikeException>(() => conn.Transact("[{:n 3}]"));
        Assert.Equal("db/writer-failed", later.Code);
        Assert.Equal([1L], Counters(Open(disk).Db));
    }

    [Fact]
    public void A_head_that_reached_the_disk_before_its_pack_falls_back_to_the_commit_before()
    {
        var disk = new MemoryStore();
        using (var conn = Create(disk, Config() with { InitialTx = TxFixtureSchema }))
        {
            conn.Transact("[{:n 1}]");
            conn.Transact("[{:n 2}]");
        }
        // A power cut after the head was synced but before all of its pack was: the pack's last bytes are lost.
        var commits = new Hike.Versioning.CommitStore(disk, 1 << 20);
        var head = commits.ReadHead(K("db"))!.Value;
        var segment = Hike.Index.Packs.Key(Hike.Index.Packs.Locate(head.Address).Pack);
        var bytes = disk.Get(segment)!;
        disk.Put(segment, bytes[..^20]);
        Assert.Equal(head.PreviousId, commits.ReadResolvedHead(K("db"))!.Value.Id);

        using var reopened = Open(disk);
        Assert.Equal([1L], Counters(reopened.Db));
        ReadEverything(reopened.Db);
        reopened.Transact("[{:n 3}]");
        Assert.Equal([1L, 3L], Counters(Open(disk).Db));
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
