using Hike.Api;
using Hike.Storage;
using Hike.Testing;
using Hike.Versioning;
using static Hike.Tests.Durability.DurableFixture;

namespace Hike.Tests.Durability;

/// <summary>
/// Recovery never guesses: a crash leaves at most a torn pack at the end of a segment that no head
/// names (a head moves only once its pack is durable), which reads cleanly; every damage under a head
/// is <c>storage/corrupt</c> naming what is damaged, and nothing is written on top of it.
/// </summary>
public sealed class RecoveryPolicyTests : IDisposable
{
    private const int Commits = 5;
    private readonly TempDirectory _dir = new();
    private readonly DatabaseConfig _config;
    private readonly HeadRecord _head;
    private readonly string _segment;

    public RecoveryPolicyTests()
    {
        _config = new DatabaseConfig { Store = StoreConfig.File(_dir.Path), InitialTx = Hike.Edn.EdnReader.Read(CounterSchema) };
        using (var conn = Database.CreateAndConnectAsync(_config).GetAwaiter().GetResult())
        {
            for (int i = 1; i <= Commits; i++) conn.Transact($"[{{:n {i}}}]");
        }
        using var store = new FileStore(_dir.Path);
        _head = new StoredCommitLog(store, 1 << 20).ReadHead(K("db"))!.Value;
        _segment = Path.Combine(_dir.Path, Hike.Index.Stored.Packs.Key(Hike.Index.Stored.Packs.Locate(_head.Address).Pack));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_head_written_with_its_pack_records_where_the_pack_ends()
    {
        Assert.True(_head.RecordsPack);
        Assert.Equal(new FileInfo(_segment).Length, _head.PackEnd);
    }

    [Fact]
    public async Task A_pack_torn_at_the_end_of_its_segment_that_no_head_names_is_what_a_crash_leaves_and_reads_cleanly()
    {
        // A crash while the next pack was appended: its first bytes reached the disk, the head never moved.
        var bytes = File.ReadAllBytes(_segment);
        int half = (int)(_head.PackEnd - _head.PackStart) / 2;
        File.WriteAllBytes(_segment, [.. bytes, .. bytes.AsSpan((int)_head.PackStart, half)]);
        long[] expected = [.. Enumerable.Range(1, Commits).Select(i => (long)i)];
        Assert.Equal(expected, await CountersNow());
        using (var conn = await Database.ConnectAsync(_config))
        {
            conn.Transact("[{:n 100}]");
            Assert.True(await conn.GcStorageAsync(DateTime.UtcNow.AddMinutes(1)) > 0);
        }
        long[] after = [.. expected, 100L];
        Assert.Equal(after, await CountersNow());
    }

    [Fact]
    public async Task The_newest_pack_cut_short_under_its_head_is_corruption()
    {
        // The head is written only after its pack was synced: a pack that is short now was lost by the disk.
        using (var file = File.OpenHandle(_segment, FileMode.Open, FileAccess.ReadWrite)) RandomAccess.SetLength(file, _head.PackEnd - 100);
        await AssertCorrupt(Hike.Index.Stored.Packs.Key(Hike.Index.Stored.Packs.Locate(_head.Address).Pack));
    }

    [Fact]
    public async Task The_newest_pack_with_a_sector_of_zeros_under_its_head_is_corruption()
    {
        var bytes = File.ReadAllBytes(_segment);
        long sector = (_head.PackStart + 511) / 512 * 512;
        Assert.True(sector + 512 <= _head.PackEnd, "the newest pack holds no whole sector");
        Array.Clear(bytes, (int)sector, 512);
        File.WriteAllBytes(_segment, bytes);
        await AssertCorrupt(Hike.Index.Stored.Packs.Key(Hike.Index.Stored.Packs.Locate(_head.Address).Pack));
    }

    [Fact]
    public async Task A_damaged_newest_head_slot_is_corruption_not_the_older_slot()
    {
        DamageNewestHeadSlot(Path.Combine(_dir.Path, "heads", "db"), 40);
        await AssertCorrupt("heads/db");
    }

    [Fact]
    public async Task A_segment_cut_short_before_the_newest_pack_is_corruption()
    {
        using (var file = File.OpenHandle(_segment, FileMode.Open, FileAccess.ReadWrite)) RandomAccess.SetLength(file, _head.PackStart / 2);
        await AssertCorrupt(Hike.Index.Stored.Packs.Key(Hike.Index.Stored.Packs.Locate(_head.Address).Pack));
    }

    [Fact]
    public async Task A_damaged_header_of_the_newest_pack_is_corruption()
    {
        var bytes = File.ReadAllBytes(_segment);
        bytes[_head.PackStart + 1] ^= 0x40;
        File.WriteAllBytes(_segment, bytes);
        await AssertCorrupt(Hike.Index.Stored.Packs.Key(Hike.Index.Stored.Packs.Locate(_head.Address).Pack));
    }

    [Fact]
    public async Task A_damaged_byte_inside_the_newest_pack_is_corruption()
    {
        var bytes = File.ReadAllBytes(_segment);
        bytes[(_head.PackStart + _head.PackEnd) / 2] ^= 0x08;
        File.WriteAllBytes(_segment, bytes);
        await AssertCorrupt(Hike.Index.Stored.Packs.Key(Hike.Index.Stored.Packs.Locate(_head.Address).Pack));
    }

    [Fact]
    public async Task A_missing_segment_is_corruption()
    {
        File.Delete(_segment);
        await AssertCorrupt(Hike.Index.Stored.Packs.Key(Hike.Index.Stored.Packs.Locate(_head.Address).Pack));
    }

    /// <summary>
    /// Connecting to or reading the database reports <paramref name="key"/> as corrupt; a transaction
    /// fails the same way, and nothing on disk changes.
    /// </summary>
    private async Task AssertCorrupt(string key)
    {
        var files = Snapshot();
        Connection conn;
        try
        {
            conn = await Database.ConnectAsync(_config);
        }
        catch (CorruptionException atConnect)
        {
            Assert.StartsWith(key, atConnect.Key);
            Assert.Equal(files, Snapshot());
            return;
        }
        using (conn)
        {
            var read = Assert.Throws<CorruptionException>(() => Counters(conn.Db));
            Assert.Equal("storage/corrupt", read.Code);
            Assert.StartsWith(key, read.Key);
            var write = await Assert.ThrowsAnyAsync<HikeException>(() => conn.TransactAsync("[{:n 100}]"));
            Assert.Equal("storage/corrupt", write.Code);
        }
        Assert.Equal(files, Snapshot());
    }

    private async Task<long[]> CountersNow()
    {
        using var conn = await Database.ConnectAsync(_config);
        ReadEverything(conn.Db);
        return Counters(conn.Db);
    }

    /// <summary>Every file but the lock, with its bytes.</summary>
    private Dictionary<string, string> Snapshot() => Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories)
        .Where(f => !f.EndsWith("writer.lock", StringComparison.Ordinal))
        .ToDictionary(f => f, f => Convert.ToBase64String(File.ReadAllBytes(f)));
}
