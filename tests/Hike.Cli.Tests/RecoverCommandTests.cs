namespace Hike.Cli.Tests;

/// <summary><c>hike recover</c> and <c>hike delete-database</c> where the store is not what it should be.</summary>
public sealed class RecoverCommandTests
{
    [Fact]
    public void Recover_reports_a_damaged_newest_commit_and_moves_the_branch_back_only_with_apply()
    {
        using var fx = new Fixture();
        fx.Ok("transact", "conn:cfg.edn", "[{:name \"Alice\" :age 30}]");
        fx.Ok("transact", "conn:cfg.edn", "[{:name \"Bob\" :age 40}]");
        Assert.Contains(":whole? true", fx.Ok("recover", "cfg.edn"));

        // Damage the newest commit's pack: the last bytes of the newest segment.
        var segment = Directory.GetFiles(Path.Combine(fx.DbPath, "packs")).OrderBy(f => f, StringComparer.Ordinal).Last();
        var bytes = File.ReadAllBytes(segment);
        bytes[^40] ^= 0x01;
        File.WriteAllBytes(segment, bytes);

        var query = fx.Run("query", "[:find (count ?e) . :where [?e :name]]", "db:cfg.edn");
        Assert.Equal(1, query.ExitCode);
        Assert.Contains("[storage/corrupt]", query.Error);

        var report = fx.Ok("recover", "cfg.edn");
        Assert.Contains(":whole? false", report);
        Assert.Contains(":applied? false", report);
        Assert.Equal(1, fx.Run("query", "[:find (count ?e) . :where [?e :name]]", "db:cfg.edn").ExitCode);

        Assert.Contains(":applied? true", fx.Ok("recover", "cfg.edn", "--apply"));
        Assert.Equal("1", fx.Ok("query", "[:find (count ?e) . :where [?e :name]]", "db:cfg.edn"));
        Assert.Contains(":whole? true", fx.Ok("recover", "cfg.edn"));

        // The dropped commit is garbage like any other: GC deletes its segment.
        fx.Ok("transact", "conn:cfg.edn", "[{:name \"Carol\" :age 50}]");
        fx.Ok("gc-storage", "conn:cfg.edn", DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(File.Exists(segment));
        Assert.Equal("2", fx.Ok("query", "[:find (count ?e) . :where [?e :name]]", "db:cfg.edn"));
    }

    [Fact]
    public void Delete_database_on_a_folder_without_a_database_deletes_nothing()
    {
        using var fx = new Fixture(create: false);
        Directory.CreateDirectory(fx.DbPath);
        File.WriteAllText(Path.Combine(fx.DbPath, "thesis.tex"), "years of work");
        Assert.Equal("false", fx.Ok("delete-database", "cfg.edn"));
        Assert.Equal("years of work", File.ReadAllText(Path.Combine(fx.DbPath, "thesis.tex")));
    }
}
