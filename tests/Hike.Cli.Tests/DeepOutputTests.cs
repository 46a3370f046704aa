using Hike.Testing;

namespace Hike.Cli.Tests;

/// <summary>Results nested deeper than an output format's layout: printed, or refused in one line, never a crash.</summary>
public sealed class DeepOutputTests
{
    [Fact]
    public void A_pull_through_a_1500_long_chain_prints_as_edn_and_pprint_and_is_refused_clearly_as_json()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "cfg.edn"), """
            {:store {:backend :file :path "db"}
             :initial-tx [{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
                          {:db/ident :next :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}]}
            """);
        Cli.Ok(dir.Path, "create-database", "cfg.edn");
        const int Length = 1500;
        var chain = string.Join(' ', Enumerable.Range(0, Length).Select(i => i + 1 < Length ? $"{{:db/id \"e{i}\" :name \"n{i}\" :next \"e{i + 1}\"}}" : $"{{:db/id \"e{i}\" :name \"n{i}\"}}"));
        File.WriteAllText(Path.Combine(dir.Path, "chain.edn"), $"[{chain}]");
        Cli.Ok(dir.Path, "transact", "--tx-file", "chain.edn", "conn:cfg.edn");

        string edn = Cli.Ok(dir.Path, "pull", "db:cfg.edn", "[:name {:next ...}]", "[:name \"n0\"]");
        Assert.StartsWith("{:name \"n0\", :next {:name \"n1\"", edn);
        Assert.EndsWith("{:name \"n1499\"}" + new string('}', Length - 1), edn);

        string pretty = Cli.Ok(dir.Path, "--format", "pprint", "pull", "db:cfg.edn", "[:name {:next ...}]", "[:name \"n0\"]");
        Assert.Contains(":name \"n1499\"", pretty);

        var json = Cli.Run(dir.Path, null, "--format", "json", "pull", "db:cfg.edn", "[:name {:next ...}]", "[:name \"n0\"]");
        Assert.Equal(1, json.ExitCode);
        Assert.Equal("", json.Output);
        Assert.Contains("[cli/format]", json.Error);
        Assert.Single(json.Error.TrimEnd('\n').Split('\n'));
    }
}
