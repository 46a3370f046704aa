using System.Diagnostics;
using Hike.Api;

namespace Hike.Cli.Tests;

/// <summary>Transaction data from arguments, files and standard input; concurrent writers; the writer lock.</summary>
public sealed class WriteTests
{
    [Fact]
    public void Transaction_data_comes_from_an_argument_a_file_a_tx_file_standard_input_or_json()
    {
        using var f = new Fixture();
        f.Ok("transact", "conn:cfg.edn", "[{:name \"arg\"}]");
        File.WriteAllText(Path.Combine(f.Dir, "tx.edn"), "[{:name \"edn-file\"}]");
        f.Ok("transact", "conn:cfg.edn", "edn:tx.edn");
        File.WriteAllText(Path.Combine(f.Dir, "big.edn"), "[{:name \"tx-file\" :age 7}]");
        f.Ok("transact", "--tx-file", "big.edn", "conn:cfg.edn");
        var piped = Cli.Run(f.Dir, "[{:name \"stdin\"}]", "transact", "conn:cfg.edn");
        Assert.Equal(0, piped.ExitCode);
        f.Ok("--input-format", "json", "transact", "conn:cfg.edn", "[{\"name\": \"json\", \"age\": 9}]");
        File.WriteAllText(Path.Combine(f.Dir, "tx.json"), "[{\"name\": \"json-file\"}]");
        f.Ok("transact", "conn:cfg.edn", "json:tx.json");
        Assert.Equal("6", f.Ok("query", "[:find (count ?e) . :where [?e :name]]", "db:cfg.edn"));
        foreach (var name in new[] { "arg", "edn-file", "tx-file", "stdin", "json", "json-file" })
        {
            Assert.NotEqual("nil", f.Ok("query", "[:find ?e . :in $ ?n :where [?e :name ?n]]", "db:cfg.edn", $"\"{name}\""));
        }
        Assert.Equal("9", f.Ok("query", "[:find ?a . :where [?e :name \"json\"] [?e :age ?a]]", "db:cfg.edn"));
    }

    [Fact]
    public void With_prints_the_report_as_Datahike_does_and_writes_nothing()
    {
        using var f = new Fixture();
        string before = f.Ok("query", "[:find (count ?e) . :where [?e :name]]", "db:cfg.edn");
        string report = f.Ok("with", "db:cfg.edn", "[{:db/id \"w\" :name \"with\" :age 3}]");
        Assert.Matches("""^\{:db-before #datahike/DB \{:commit-id #uuid "[0-9a-f-]{36}", :max-tx (\d+), :max-eid \d+\}, :db-after #datahike/DB \{:max-tx \d+, :max-eid \d+\}, :tx-data \[""", report);
        Assert.Contains(":name \"with\"", report, StringComparison.Ordinal);
        Assert.Matches(""":tempids \{"w" \d+, :db/current-tx \d+\}, :tx-meta nil\}$""", report);
        Assert.Equal(before, f.Ok("query", "[:find (count ?e) . :where [?e :name]]", "db:cfg.edn"));
        Assert.Equal("[]", f.Ok("query", "[:find [?e ...] :where [?e :name \"with\"]]", "db:cfg.edn"));
    }

    [Fact]
    public async Task Concurrent_transact_processes_all_land()
    {
        using var f = new Fixture();
        const int Processes = 12;
        var running = Enumerable.Range(0, Processes).Select(i => Cli.Start(f.Dir, "transact", "conn:cfg.edn", $"[{{:name \"w{i}\" :age {i}}}]")).ToList();
        foreach (var p in running)
        {
            p.StandardInput.Close();
            var error = p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, await error);
            p.Dispose();
        }
        Assert.Equal($"{Processes}", f.Ok("query", "[:find (count ?e) . :where [?e :name]]", "db:cfg.edn"));
        Assert.Equal($"{Enumerable.Range(0, Processes).Sum()}", f.Ok("query", "[:find (sum ?a) . :with ?e :where [?e :age ?a]]", "db:cfg.edn"));
    }

    [Fact]
    public async Task A_writer_in_another_process_makes_transact_wait_and_fails_it_after_the_lock_timeout()
    {
        using var f = new Fixture();
        var config = DatabaseConfig.Parse(File.ReadAllText(f.ConfigPath)) with { Store = StoreConfig.File(f.DbPath) };
        var holder = await Database.ConnectAsync(config);
        holder.Transact("[{:name \"holder\"}]");

        var refused = f.Run("--lock-timeout", "0.2", "transact", "conn:cfg.edn", "[{:name \"refused\"}]");
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("", refused.Output);
        Assert.Matches("^hike: Store folder .*db is locked: another writer holds it \\[db/writer-locked\\]\n$", refused.Error);

        using var waiting = Cli.Start(f.Dir, "--lock-timeout", "30", "transact", "conn:cfg.edn", "[{:name \"waited\"}]");
        waiting.StandardInput.Close();
        await Task.Delay(500);
        Assert.False(waiting.HasExited);
        holder.Release();
        await waiting.WaitForExitAsync();
        Assert.Equal(0, waiting.ExitCode);
        Assert.Equal("#{[\"holder\"] [\"waited\"]}", f.Ok("query", "[:find ?n :where [_ :name ?n]]", "db:cfg.edn"));
    }
}
