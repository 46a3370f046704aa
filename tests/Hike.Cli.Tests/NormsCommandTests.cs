namespace Hike.Cli.Tests;

/// <summary><c>hike norms ensure|verify|update-checksums</c> on a file-store database.</summary>
public sealed class NormsCommandTests
{
    private static void Norm(Fixture fx, string name, string text)
    {
        Directory.CreateDirectory(Path.Combine(fx.Dir, "migrations"));
        File.WriteAllText(Path.Combine(fx.Dir, "migrations", name), text);
    }

    [Fact]
    public void Ensure_applies_each_norm_once_in_file_name_order()
    {
        using var fx = new Fixture();
        Norm(fx, "002-people.edn", "{:tx-data [{:name \"Alice\" :nickname \"Al\"}]}");
        Norm(fx, "001-nickname.edn", "{:tx-data [{:db/ident :nickname :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]}");

        Assert.Equal("[:001-nickname.edn :002-people.edn]", fx.Ok("norms", "ensure", "conn:cfg.edn", "migrations"));
        Assert.Equal("[]", fx.Ok("norms", "ensure", "conn:cfg.edn", "migrations"));

        Assert.Equal("\"Al\"", fx.Ok("query", "[:find ?n . :where [?e :name \"Alice\"] [?e :nickname ?n]]", "db:cfg.edn"));
        Assert.Equal("#{[:001-nickname.edn] [:002-people.edn]}", fx.Ok("query", "[:find ?norm :where [_ :tx/norm ?norm]]", "db:cfg.edn"));
    }

    [Fact]
    public void A_failing_norm_exits_1_with_its_error_and_leaves_the_norms_before_it_applied()
    {
        using var fx = new Fixture();
        Norm(fx, "001-bob.edn", "{:tx-data [{:name \"Bob\" :age 40}]}");
        Norm(fx, "002-bad.edn", "{:tx-data [{:name \"Carol\" :age \"forty\"}]}");

        var result = fx.Run("norms", "ensure", "conn:cfg.edn", "migrations");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(":002-bad.edn", result.Error);
        Assert.Contains("[transact/schema]", result.Error);
        Assert.Equal("[:001-bob.edn]", fx.Ok("query", "[:find [?norm ...] :where [_ :tx/norm ?norm]]", "db:cfg.edn"));
        Assert.Equal("nil", fx.Ok("query", "[:find ?e . :where [?e :name \"Carol\"]]", "db:cfg.edn"));
    }

    [Fact]
    public void Verify_fails_naming_the_changed_file_until_update_checksums_rewrites_them()
    {
        using var fx = new Fixture();
        Norm(fx, "001-bob.edn", "{:tx-data [{:name \"Bob\" :age 40}]}");
        Norm(fx, "002 carol.edn", "{:tx-data [{:name \"Carol\" :age 50}]}");

        var missing = fx.Run("norms", "verify", "migrations");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("[norm/missing]", missing.Error);

        var written = fx.Ok("norms", "update-checksums", "migrations");
        Assert.Matches("^\\{:001-bob.edn \"[0-9a-f]{128}\", :002-carol.edn \"[0-9a-f]{128}\"\\}$", written);
        Assert.Equal("[:001-bob.edn :002-carol.edn]", fx.Ok("norms", "verify", "migrations"));

        Norm(fx, "002 carol.edn", "{:tx-data [{:name \"Carol\" :age 51}]}");
        var changed = fx.Run("norms", "verify", "migrations");
        Assert.Equal(1, changed.ExitCode);
        Assert.Contains(":002-carol.edn changed", changed.Error);
        Assert.Contains("[norm/checksum]", changed.Error);

        fx.Ok("norms", "update-checksums", "migrations");
        Assert.Equal("[:001-bob.edn :002-carol.edn]", fx.Ok("norms", "verify", "migrations"));
    }

    [Fact]
    public void An_unknown_norms_command_is_an_argument_error()
    {
        using var fx = new Fixture(create: false);

        var result = fx.Run("norms", "migrate", "migrations");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ensure, verify or update-checksums", result.Error);
        Assert.Contains("[cli/argument]", result.Error);
    }
}
