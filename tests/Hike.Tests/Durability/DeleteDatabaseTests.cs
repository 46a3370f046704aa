using Hike.Api;
using Hike.Testing;

namespace Hike.Tests.Durability;

/// <summary>Deleting a database touches only what is provably Hike's.</summary>
public sealed class DeleteDatabaseTests
{
    private static DatabaseConfig At(string path) => new() { Store = StoreConfig.File(path) };

    [Fact]
    public async Task Deleting_a_folder_that_holds_no_database_deletes_nothing()
    {
        using var dir = new TempDirectory();
        string notes = Path.Combine(dir.Path, "notes.txt");
        File.WriteAllText(notes, "mine");
        Directory.CreateDirectory(Path.Combine(dir.Path, "packs"));
        File.WriteAllText(Path.Combine(dir.Path, "packs", "0123456789abcdef"), "not a segment of a database");

        Assert.False(await Database.DeleteAsync(At(dir.Path)));
        Assert.False(await Database.ExistsAsync(At(dir.Path)));

        Assert.Equal("mine", File.ReadAllText(notes));
        Assert.True(File.Exists(Path.Combine(dir.Path, "packs", "0123456789abcdef")));
        Assert.False(File.Exists(Path.Combine(dir.Path, "writer.lock")));
    }

    [Fact]
    public async Task Deleting_the_parent_of_a_database_by_a_mistyped_path_deletes_nothing()
    {
        using var dir = new TempDirectory();
        string db = Path.Combine(dir.Path, "db");
        await Database.CreateAsync(At(db));
        File.WriteAllText(Path.Combine(dir.Path, "home.txt"), "keep");

        Assert.False(await Database.DeleteAsync(At(Path.Combine(db, ".."))));

        Assert.True(File.Exists(Path.Combine(dir.Path, "home.txt")));
        Assert.True(await Database.ExistsAsync(At(db)));
    }

    [Fact]
    public async Task A_users_file_named_config_is_not_a_database_and_is_never_written_over()
    {
        using var dir = new TempDirectory();
        string config = Path.Combine(dir.Path, "config");
        File.WriteAllText(config, "Host example\n  User me\n");

        Assert.False(await Database.ExistsAsync(At(dir.Path)));
        Assert.False(await Database.DeleteAsync(At(dir.Path)));
        var error = await Assert.ThrowsAsync<HikeException>(() => Database.CreateAsync(At(dir.Path)));
        Assert.Equal("storage/occupied", error.Code);
        Assert.Equal("db/missing", (await Assert.ThrowsAsync<HikeException>(() => Database.ConnectAsync(At(dir.Path)))).Code);

        Assert.Equal("Host example\n  User me\n", File.ReadAllText(config));
    }

    [Fact]
    public async Task Deleting_a_database_removes_its_files_and_leaves_the_users_own()
    {
        using var dir = new TempDirectory();
        string db = Path.Combine(dir.Path, "db");
        await Database.CreateAsync(At(db) with { InitialTx = Hike.Edn.EdnReader.Read("[{:db/ident :n :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]") });
        using (var conn = await Database.ConnectAsync(At(db)))
        {
            conn.Transact("[{:n 1}]");
            await conn.BranchAsync(Hike.Edn.Keyword.Intern("db"), Hike.Edn.Keyword.Intern("team/alpha"));
        }
        File.WriteAllText(Path.Combine(db, "README"), "mine");
        File.WriteAllText(Path.Combine(db, "heads", "notes.txt"), "mine too");

        Assert.True(await Database.DeleteAsync(At(db)));

        Assert.False(await Database.ExistsAsync(At(db)));
        Assert.Equal(["README", "heads", "heads/notes.txt"], Directory.EnumerateFileSystemEntries(db, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(db, p).Replace(Path.DirectorySeparatorChar, '/')).Order(StringComparer.Ordinal));

        // With nothing of the user's left, the folder itself goes.
        string other = Path.Combine(dir.Path, "other");
        await Database.CreateAsync(At(other));
        Assert.True(await Database.DeleteAsync(At(other)));
        Assert.False(Directory.Exists(other));
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"   \"")]
    [InlineData("\"a\\u0000b\"")]
    public async Task A_path_that_names_no_folder_is_a_config_error(string path)
    {
        var config = DatabaseConfig.Parse($"{{:store {{:backend :file :path {path}}}}}");
        foreach (var call in new Func<Task>[] { () => Database.CreateAsync(config), () => Database.ConnectAsync(config), () => Database.DeleteAsync(config), () => Database.ExistsAsync(config) })
        {
            Assert.Equal("config/invalid", (await Assert.ThrowsAnyAsync<HikeException>(call)).Code);
        }
    }
}
