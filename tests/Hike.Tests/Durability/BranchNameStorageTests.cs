using Hike.Api;
using Hike.Edn;
using Hike.Storage;
using Hike.Testing;
using Hike.Versioning;
using static Hike.Tests.Durability.DurableFixture;

namespace Hike.Tests.Durability;

/// <summary>Branch names on disk: one key per name, every name storable or refused clearly, stores of the old encoding upgraded.</summary>
public sealed class BranchNameStorageTests
{
    private static readonly Keyword Main = K("db");

    [Fact]
    public async Task A_branch_named_like_the_encoding_of_another_is_a_different_branch()
    {
        using var dir = new TempDirectory();
        var config = new DatabaseConfig { Store = StoreConfig.File(dir.Path), InitialTx = Hike.Edn.EdnReader.Read(CounterSchema) };
        using var conn = await Database.CreateAndConnectAsync(config);
        var team = K("team/alpha");
        var lookalike = K("x-" + Convert.ToHexStringLower("team/alpha"u8));
        await conn.BranchAsync(Main, team);
        conn.Transact("[{:n 1}]");
        await conn.BranchAsync(Main, lookalike);
        using (var onTeam = await Database.ConnectAsync(config with { Branch = team })) onTeam.Transact("[{:n 2}]");

        Assert.Equal(new[] { 2L }, Counters(await conn.BranchAsDbAsync(team)));
        Assert.Equal(new[] { 1L }, Counters(await conn.BranchAsDbAsync(lookalike)));
        await conn.DeleteBranchAsync(lookalike);
        Assert.Equal(new[] { 2L }, Counters(await conn.BranchAsDbAsync(team)));
        Assert.Equal(new HashSet<Keyword> { Main, team }, await conn.GetBranchesAsync());
        Assert.Equal(3, new[] { Main, team, lookalike }.Select(StoreLayout.HeadKey).Distinct().Count());
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a..b")]
    [InlineData("Upper")]
    [InlineData("héllo/wörld")]
    [InlineData("x-")]
    public async Task Any_branch_name_the_key_alphabet_cannot_spell_is_stored_encoded_and_read_back(string name)
    {
        using var dir = new TempDirectory();
        var config = new DatabaseConfig { Store = StoreConfig.File(dir.Path), InitialTx = Hike.Edn.EdnReader.Read(CounterSchema) };
        using (var conn = await Database.CreateAndConnectAsync(config))
        {
            conn.Transact("[{:n 7}]");
            await conn.BranchAsync(Main, Keyword.Intern(name));
        }
        using var again = await Database.ConnectAsync(config with { Branch = Keyword.Intern(name) });
        Assert.Equal([7L], Counters(again.Db));
        Assert.Contains(Keyword.Intern(name), await again.GetBranchesAsync());
        Assert.Equal(Keyword.Intern(name), StoreLayout.BranchOfHeadKey(StoreLayout.HeadKey(Keyword.Intern(name))));
    }

    [Fact]
    public async Task A_branch_name_too_long_to_store_is_refused_and_the_writer_goes_on()
    {
        using var dir = new TempDirectory();
        var config = new DatabaseConfig { Store = StoreConfig.File(dir.Path), InitialTx = Hike.Edn.EdnReader.Read(CounterSchema) };
        using var conn = await Database.CreateAndConnectAsync(config);
        var error = await Assert.ThrowsAnyAsync<HikeException>(() => conn.BranchAsync(Main, K(new string('b', 300))));
        Assert.Equal("branch/invalid", error.Code);
        Assert.True(error.Message.Length < 1000, "the message carries the whole name");
        await conn.BranchAsync(Main, K(new string('b', StoreLayout.MaxBranchNameBytes)));
        conn.Transact("[{:n 1}]");
        Assert.Equal([1L], Counters(conn.Db));
    }

    [Fact]
    public async Task A_store_of_the_first_format_is_read_and_upgraded_by_its_next_writer()
    {
        using var dir = new TempDirectory();
        var config = new DatabaseConfig { Store = StoreConfig.File(dir.Path), InitialTx = Hike.Edn.EdnReader.Read(CounterSchema) };
        var plainX = K("x-files");
        using (var conn = await Database.CreateAndConnectAsync(config))
        {
            conn.Transact("[{:n 1}]");
            await conn.BranchAsync(Main, plainX);
        }
        // Make it a format 1 store: no format key, the head of :x-files under its old key.
        File.Delete(Path.Combine(dir.Path, "format"));
        File.Move(Path.Combine(dir.Path, StoreLayout.HeadKey(plainX)), Path.Combine(dir.Path, StoreLayout.LegacyHeadKey(plainX)));
        Assert.Equal("heads/x-files", StoreLayout.LegacyHeadKey(plainX));

        using (var reader = await Database.ConnectAsync(config with { Branch = plainX })) Assert.Equal([1L], Counters(reader.Db));
        using (var writer = await Database.ConnectAsync(config with { Branch = plainX })) writer.Transact("[{:n 2}]");

        Assert.True(File.Exists(Path.Combine(dir.Path, "format")));
        Assert.False(File.Exists(Path.Combine(dir.Path, StoreLayout.LegacyHeadKey(plainX))));
        using var after = await Database.ConnectAsync(config with { Branch = plainX });
        Assert.Equal([1L, 2L], Counters(after.Db));
    }

    [Fact]
    public async Task A_store_of_the_second_format_is_upgraded_without_moving_a_head_even_of_lookalike_names()
    {
        using var dir = new TempDirectory();
        var config = new DatabaseConfig { Store = StoreConfig.File(dir.Path), InitialTx = Hike.Edn.EdnReader.Read(CounterSchema) };
        var team = K("team/alpha");
        var lookalike = K("x-" + Convert.ToHexStringLower("team/alpha"u8));
        using (var conn = await Database.CreateAndConnectAsync(config))
        {
            conn.Transact("[{:n 1}]");
            await conn.BranchAsync(Main, team);
            await conn.BranchAsync(Main, lookalike);
        }
        using (var team1 = await Database.ConnectAsync(config with { Branch = team })) team1.Transact("[{:n 2}]");
        // Format 2 had the same keys: only the format record says which it is.
        WriteFormat(dir.Path, 2);

        using (var writer = await Database.ConnectAsync(config)) writer.Transact("[{:n 3}]");

        using (var store = new FileStore(dir.Path)) Assert.Equal(StoreLayout.FormatVersion, StoreLayout.ReadFormat(store));
        using var teamAfter = await Database.ConnectAsync(config with { Branch = team });
        using var lookalikeAfter = await Database.ConnectAsync(config with { Branch = lookalike });
        using var mainAfter = await Database.ConnectAsync(config);
        Assert.Equal([1L, 2L], Counters(teamAfter.Db));
        Assert.Equal([1L], Counters(lookalikeAfter.Db));
        Assert.Equal([1L, 3L], Counters(mainAfter.Db));
    }

    private static void WriteFormat(string dir, ulong version)
    {
        using var sink = new Hike.Index.Codec.ByteSink(8);
        sink.WriteVarUInt64(version);
        File.WriteAllBytes(Path.Combine(dir, "format"), Hike.Index.Codec.Envelope.Seal(Hike.Index.Codec.Envelope.KindFormat, sink.WrittenSpan));
    }

    [Fact]
    public async Task A_store_of_a_newer_format_is_refused_by_name()
    {
        using var dir = new TempDirectory();
        var config = new DatabaseConfig { Store = StoreConfig.File(dir.Path), InitialTx = Hike.Edn.EdnReader.Read(CounterSchema) };
        using (var conn = await Database.CreateAndConnectAsync(config)) conn.Transact("[{:n 1}]");
        WriteFormat(dir.Path, StoreLayout.FormatVersion + 1);
        var error = await Assert.ThrowsAnyAsync<HikeException>(async () =>
        {
            using var conn = await Database.ConnectAsync(config);
            _ = Counters(conn.Db);
        });
        Assert.Equal("storage/format", error.Code);
        Assert.Contains($"format {StoreLayout.FormatVersion + 1}", error.Message);
    }

    [Fact]
    public async Task A_store_of_the_first_format_whose_branches_shared_a_head_is_reported()
    {
        using var dir = new TempDirectory();
        var config = new DatabaseConfig { Store = StoreConfig.File(dir.Path), InitialTx = Hike.Edn.EdnReader.Read(CounterSchema) };
        var team = K("team/alpha");
        var lookalike = K("x-" + Convert.ToHexStringLower("team/alpha"u8));
        using (var conn = await Database.CreateAndConnectAsync(config))
        {
            await conn.BranchAsync(Main, team);
            await conn.BranchAsync(Main, lookalike);
        }
        File.Delete(Path.Combine(dir.Path, "format"));
        File.Delete(Path.Combine(dir.Path, StoreLayout.HeadKey(lookalike)));
        using var writer = await Database.ConnectAsync(config);
        var error = await Assert.ThrowsAnyAsync<HikeException>(() => writer.TransactAsync("[{:n 1}]"));
        Assert.Equal("storage/corrupt", error.Code);
        Assert.Contains(":team/alpha", error.Message);
    }

    [Fact]
    public async Task Store_files_and_folders_are_for_their_owner_alone()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "db");
        using (var conn = await Database.CreateAndConnectAsync(new DatabaseConfig { Store = StoreConfig.File(path), InitialTx = Hike.Edn.EdnReader.Read(CounterSchema) }))
        {
            conn.Transact("[{:n 1}]");
            await conn.BranchAsync(Main, K("other"));
        }
        var entries = Directory.EnumerateFileSystemEntries(path, "*", SearchOption.AllDirectories).Append(path).ToList();
        Assert.Contains(entries, e => e.Contains("packs", StringComparison.Ordinal));
        foreach (var entry in entries)
        {
            var mode = File.GetUnixFileMode(entry);
            var others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
            Assert.True((mode & others) == 0, $"{entry} is {mode}");
        }
    }

    [Fact]
    public async Task A_segment_that_is_a_folder_is_reported_as_corrupt()
    {
        using var dir = new TempDirectory();
        var config = new DatabaseConfig { Store = StoreConfig.File(dir.Path), InitialTx = Hike.Edn.EdnReader.Read(CounterSchema) };
        using (var conn = await Database.CreateAndConnectAsync(config)) conn.Transact("[{:n 1}]");
        foreach (var segment in Directory.GetFiles(Path.Combine(dir.Path, "packs")))
        {
            File.Delete(segment);
            Directory.CreateDirectory(segment);
        }
        var error = await Assert.ThrowsAsync<CorruptionException>(async () =>
        {
            using var conn = await Database.ConnectAsync(config);
            _ = Counters(conn.Db);
        });
        Assert.StartsWith("packs/", error.Key);
    }
}
