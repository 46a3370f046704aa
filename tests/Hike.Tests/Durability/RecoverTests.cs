using Hike.Api;
using Hike.Edn;
using Hike.Storage;
using Hike.Testing;
using Hike.Versioning;
using static Hike.Tests.Durability.DurableFixture;

namespace Hike.Tests.Durability;

/// <summary>The explicit recovery past damage: it reports before it changes anything, and moves each branch only to a commit that reads whole.</summary>
public sealed class RecoverTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly DatabaseConfig _config;
    private readonly List<Guid> _commits = [];

    public RecoverTests()
    {
        _config = new DatabaseConfig { Store = StoreConfig.File(_dir.Path), InitialTx = EdnReader.Read(CounterSchema) };
        using var conn = Database.CreateAndConnectAsync(_config).GetAwaiter().GetResult();
        for (int i = 1; i <= 4; i++) _commits.Add(conn.Transact($"[{{:n {i}}}]").DbAfter.CommitId!.Value);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_whole_database_is_reported_whole_and_left_as_it_is()
    {
        var before = Files();
        var report = await Database.RecoverAsync(_config, apply: true);
        Assert.True(report.IsWhole, report.ToString());
        Assert.False(report.Applied);
        var branch = Assert.Single(report.Branches);
        Assert.Equal(_commits[^1], branch.Head);
        Assert.Equal(_commits[^1], branch.Target);
        Assert.Equal(before, Files());
    }

    [Fact]
    public async Task A_damaged_newest_commit_is_dropped_only_when_asked()
    {
        DamageNewestPack();
        var before = Files();

        var report = await Database.RecoverAsync(_config);
        var branch = Assert.Single(report.Branches);
        Assert.False(report.IsWhole);
        Assert.False(report.Applied);
        Assert.Equal(_commits[^1], branch.Head);
        Assert.Equal(_commits[^2], branch.Target);
        Assert.Equal([_commits[^1]], branch.Dropped);
        Assert.Contains("packs/", branch.Problem);
        Assert.Equal(before, Files());

        var applied = await Database.RecoverAsync(_config, apply: true);
        Assert.True(applied.Applied);
        using var conn = await Database.ConnectAsync(_config);
        Assert.Equal([1L, 2L, 3L], Counters(conn.Db));
        ReadEverything(conn.Db);
        conn.Transact("[{:n 5}]");
        Assert.Equal([1L, 2L, 3L, 5L], Counters(conn.Db));
        conn.Release();
        Assert.True((await Database.RecoverAsync(_config)).IsWhole);
    }

    [Fact]
    public async Task A_damaged_newest_head_slot_falls_back_to_the_other_and_names_the_newer_whole_commit()
    {
        DamageNewestHeadSlot(Path.Combine(_dir.Path, "heads", "db"), 30);

        var report = await Database.RecoverAsync(_config, apply: true);
        var branch = Assert.Single(report.Branches);
        Assert.Null(branch.Head);
        Assert.Equal(_commits[^2], branch.Target);
        Assert.Empty(branch.Dropped);
        Assert.Equal([_commits[^1]], branch.NewerCommits);
        Assert.Contains("heads/db", branch.Problem);

        // The newer commit is still in the store: opened by id, it can be made the head again.
        using var conn = await Database.ConnectAsync(_config);
        Assert.Equal([1L, 2L, 3L], Counters(conn.Db));
        var newest = await conn.CommitAsDbAsync(_commits[^1]);
        Assert.Equal([1L, 2L, 3L, 4L], Counters(newest));
        await Database.ForceBranchAsync(newest, Keyword.Intern("db"), [_commits[^2]]);
        Assert.Equal([1L, 2L, 3L, 4L], Counters(conn.Db));
    }

    [Fact]
    public async Task A_damaged_branch_set_is_rebuilt_from_the_heads()
    {
        using (var conn = await Database.ConnectAsync(_config)) await conn.BranchAsync(Keyword.Intern("db"), Keyword.Intern("team/alpha"));
        string branches = Path.Combine(_dir.Path, "branches");
        var bytes = File.ReadAllBytes(branches);
        bytes[40] ^= 0x20;
        bytes[bytes.Length / 2 + 40] ^= 0x20;
        File.WriteAllBytes(branches, bytes);
        await Assert.ThrowsAsync<CorruptionException>(async () => (await Database.ConnectAsync(_config)).Dispose());

        var report = await Database.RecoverAsync(_config);
        Assert.Contains(report.Damaged, d => d.Contains("branches", StringComparison.Ordinal));
        Assert.Equal([Keyword.Intern("db"), Keyword.Intern("team/alpha")], report.Branches.Select(b => b.Branch));
        Assert.True((await Database.RecoverAsync(_config, apply: true)).Applied);
        Assert.True((await Database.RecoverAsync(_config)).IsWhole);
        using var again = await Database.ConnectAsync(_config with { Branch = Keyword.Intern("team/alpha") });
        Assert.Equal([1L, 2L, 3L, 4L], Counters(again.Db));
    }

    [Fact]
    public async Task A_segment_that_cannot_be_read_as_packs_is_quarantined_and_gc_deletes_it_once_nothing_reaches_it()
    {
        // A second writer session's segment, whose first pack header is damaged: GC refuses to touch it.
        using (var conn = await Database.ConnectAsync(_config)) conn.Transact("[{:n 5}]");
        string newest = Directory.GetFiles(Path.Combine(_dir.Path, "packs")).Order(StringComparer.Ordinal).Last();
        var bytes = File.ReadAllBytes(newest);
        bytes[1] ^= 0x01;
        File.WriteAllBytes(newest, bytes);
        using (var conn = await Database.ConnectAsync(_config))
        {
            await Assert.ThrowsAsync<CorruptionException>(() => conn.GcStorageAsync(DateTime.UtcNow.AddMinutes(1)));
        }

        var report = await Database.RecoverAsync(_config);
        Assert.Contains(report.Damaged, d => d.Contains(Path.GetFileName(newest), StringComparison.Ordinal));
        Assert.Equal(_commits[^1], Assert.Single(report.Branches).Target);
        report = await Database.RecoverAsync(_config, apply: true);
        Assert.Equal(["packs/" + Path.GetFileName(newest)], report.Quarantined);
        Assert.True((await Database.RecoverAsync(_config)).IsWhole);

        using (var conn = await Database.ConnectAsync(_config))
        {
            Assert.Equal([1L, 2L, 3L, 4L], Counters(conn.Db));
            await conn.GcStorageAsync(DateTime.UtcNow.AddMinutes(1));
        }
        Assert.False(File.Exists(newest));
        Assert.Empty((await Database.RecoverAsync(_config)).Quarantined);
    }

    [Fact]
    public async Task Recovery_waits_for_no_one_it_refuses_while_the_database_is_open()
    {
        using (await Database.ConnectAsync(_config))
        {
            Assert.Equal("db/open", (await Assert.ThrowsAnyAsync<HikeException>(() => Database.RecoverAsync(_config))).Code);
        }
        using var held = new FileStore(_dir.Path).AcquireWriterLock();
        Assert.Equal("db/writer-locked", (await Assert.ThrowsAnyAsync<HikeException>(() => Database.RecoverAsync(_config))).Code);
    }

    private void DamageNewestPack()
    {
        using var store = new FileStore(_dir.Path);
        var head = new StoredCommitLog(store, 1 << 20).ReadHead(Keyword.Intern("db"))!.Value;
        string segment = Path.Combine(_dir.Path, Hike.Index.Stored.Packs.Key(Hike.Index.Stored.Packs.Locate(head.Address).Pack));
        var bytes = File.ReadAllBytes(segment);
        bytes[head.PackStart + 20] ^= 0x10;
        File.WriteAllBytes(segment, bytes);
    }

    private Dictionary<string, string> Files() => Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories)
        .Where(f => !f.EndsWith("writer.lock", StringComparison.Ordinal))
        .ToDictionary(f => f, f => Convert.ToBase64String(File.ReadAllBytes(f)));
}
