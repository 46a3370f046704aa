using Hike.Storage;
using Hike.Testing;
using Xunit.Abstractions;

namespace Hike.Tests.Storage;

public sealed class CrashingStoreTests(ITestOutputHelper output) : KeyValueStoreContract(output)
{
    private readonly MemoryStore _disk = new();

    /// <summary>Reopening wraps the same disk again, as a restarted process opens the same files.</summary>
    private protected override IKeyValueStore Open() => new CrashingStore(_disk);

    private CrashingStore Crashing => (CrashingStore)Store;

    [Fact]
    public void Unsynced_writes_reach_the_disk_only_at_Sync()
    {
        _disk.Put("old", Bytes("o"));
        Crashing.Put("nodes/3f/3f9a", Bytes("node"));
        Crashing.Delete("old");
        Assert.Equal("node", Text(Crashing.Get("nodes/3f/3f9a")));
        Assert.Null(Crashing.Get("old"));
        Assert.Equal(["nodes/3f/3f9a"], Crashing.List(""));
        Assert.Equal(["old"], _disk.List(""));
        Assert.Equal(2, Crashing.PendingCount);
        Crashing.Sync();
        Assert.Equal(0, Crashing.PendingCount);
        Assert.Equal(["nodes/3f/3f9a"], _disk.List(""));
        Assert.Equal("node", Text(_disk.Get("nodes/3f/3f9a")));
    }

    [Fact]
    public void Unsynced_writes_vanish_on_Crash_and_synced_ones_survive()
    {
        _disk.Put("deleted-later", Bytes("d"));
        Crashing.Put("synced", Bytes("s"));
        Crashing.Sync();
        Crashing.Put("unsynced", Bytes("u"));
        Crashing.Put("synced", Bytes("overwritten"));
        Crashing.Delete("deleted-later");
        Crashing.Crash();
        Assert.True(Crashing.IsCrashed);
        var reopened = Reopen();
        Assert.Equal(["deleted-later", "synced"], reopened.List("").Order());
        Assert.Equal("s", Text(reopened.Get("synced")));
        Assert.Null(reopened.Get("unsynced"));
    }

    [Fact]
    public void CompareAndSet_is_durable_at_once()
    {
        Crashing.Put("nodes/3f/3f9a", Bytes("node"));
        Assert.True(Crashing.CompareAndSet("heads/db", default, expectAbsent: true, Bytes("c1")));
        Assert.Equal("c1", Text(_disk.Get("heads/db")));
        Crashing.Crash();
        // The head survives, the node it was meant to follow does not: why Sync comes before the CAS.
        Assert.Equal(["heads/db"], _disk.List(""));
    }

    [Fact]
    public void CompareAndSet_over_a_pending_write_compares_with_it_and_Sync_does_not_undo_it()
    {
        _disk.Put("branches", Bytes("on disk"));
        Crashing.Put("branches", Bytes("pending"));
        Assert.False(Crashing.CompareAndSet("branches", Bytes("on disk"), expectAbsent: false, Bytes("x")));
        Assert.True(Crashing.CompareAndSet("branches", Bytes("pending"), expectAbsent: false, Bytes("swapped")));
        Assert.Equal("swapped", Text(_disk.Get("branches")));
        Crashing.Delete("heads/db");
        Crashing.Put("heads/db", Bytes("c0"));
        Crashing.Delete("heads/db");
        Assert.True(Crashing.CompareAndSet("heads/db", default, expectAbsent: true, Bytes("c1")));
        Crashing.Sync();
        Assert.Equal("swapped", Text(_disk.Get("branches")));
        Assert.Equal("c1", Text(_disk.Get("heads/db")));
    }

    [Theory]
    [InlineData(0, "")]
    [InlineData(1, "")]
    [InlineData(2, "a")]
    [InlineData(3, "a")]
    [InlineData(4, "a b")]
    [InlineData(5, "a b head")]
    [InlineData(6, "a b head")]
    [InlineData(7, "a b c head")]
    public void The_write_numbered_CrashAtWrite_throws_and_does_nothing(int crashAt, string survivors)
    {
        // Writes: 0 Put a, 1 Sync, 2 Put b, 3 Sync, 4 CAS head, 5 Put c, 6 Sync, 7 Sync.
        Crashing.CrashAtWrite = crashAt;
        var error = Assert.Throws<IOException>(() =>
        {
            Crashing.Put("a", Bytes("a"));
            Crashing.Sync();
            Crashing.Put("b", Bytes("b"));
            Crashing.Sync();
            Crashing.CompareAndSet("head", default, expectAbsent: true, Bytes("h"));
            Crashing.Put("c", Bytes("c"));
            Crashing.Sync();
            Crashing.Sync();
        });
        Assert.Equal($"simulated crash at write {crashAt}", error.Message);
        Assert.Equal(crashAt + 1, Crashing.WriteCount);
        Assert.True(Crashing.IsCrashed);
        Assert.Equal(survivors.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(), _disk.List("").Order());
    }

    [Fact]
    public void A_crashed_store_refuses_every_call()
    {
        Crashing.Put("k", Bytes("v"));
        Crashing.Crash();
        Assert.Throws<IOException>(() => Crashing.Get("k"));
        Assert.Throws<IOException>(() => Crashing.Put("k", Bytes("v")));
        Assert.Throws<IOException>(() => Crashing.Delete("k"));
        Assert.Throws<IOException>(() => Crashing.List(""));
        Assert.Throws<IOException>(() => Crashing.CompareAndSet("k", default, expectAbsent: true, Bytes("v")));
        Assert.Throws<IOException>(() => Crashing.Sync());
        Assert.Throws<IOException>(() => Crashing.AcquireWriterLock());
        Assert.Equal(1, Crashing.WriteCount);
        Crashing.Dispose();
    }

    [Fact]
    public void A_crash_releases_the_writer_lock_as_a_dying_process_would()
    {
        Crashing.AcquireWriterLock();
        Assert.Throws<HikeException>(() => Reopen().AcquireWriterLock());
        Crashing.Crash();
        using IDisposable writer = Reopen().AcquireWriterLock();
        Assert.NotNull(writer);
    }

    [Fact]
    public void A_crash_after_any_write_leaves_every_durable_head_pointing_at_durable_nodes()
    {
        // Commits as the database makes them: new nodes, Sync, then move the head by CAS.
        static void Commit(IKeyValueStore store, int n)
        {
            byte[]? head = store.Get("heads/db");
            for (int i = 0; i < 3; i++) store.Put($"nodes/{n:x2}/{n:x2}{i:x4}", Bytes($"node {n}.{i}"));
            store.Sync();
            Assert.True(store.CompareAndSet("heads/db", head, head is null, Bytes(n.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }
        var dry = new CrashingStore(new MemoryStore());
        for (int n = 0; n < 4; n++) Commit(dry, n);
        int writes = dry.WriteCount;
        Assert.Equal(4 * 5, writes);
        for (int crashAt = 0; crashAt < writes; crashAt++)
        {
            var disk = new MemoryStore();
            var store = new CrashingStore(disk) { CrashAtWrite = crashAt };
            Assert.Throws<IOException>(() => { for (int n = 0; n < 4; n++) Commit(store, n); });
            byte[]? head = disk.Get("heads/db");
            int last = head is null ? -1 : int.Parse(Text(head), System.Globalization.CultureInfo.InvariantCulture);
            // Commit n's writes are numbered 5n (its first Put) to 5n + 4 (its CAS).
            int interrupted = crashAt / 5;
            Assert.Equal(interrupted - 1, last);
            for (int n = 0; n <= last; n++)
            {
                for (int i = 0; i < 3; i++) Assert.NotNull(disk.Get($"nodes/{n:x2}/{n:x2}{i:x4}"));
            }
            // The interrupted commit's nodes are durable only when its Sync ran; unreferenced, they are GC's to collect.
            Assert.Equal(crashAt % 5 == 4 ? 3 : 0, disk.List($"nodes/{interrupted:x2}/").Count());
        }
    }
}
