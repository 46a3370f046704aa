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
    public void Transact_prints_the_report_as_Datahike_does_in_every_format()
    {
        using var f = new Fixture();
        // datahike.cli prints the transaction's result with pr-str: the whole report, databases as #datahike/DB.
        string printed = f.Ok("transact", "conn:cfg.edn", "[{:db/id \"t\" :name \"Tess\" :age 30}]");
        Assert.Matches("""^\{:db-before #datahike/DB \{:commit-id #uuid "[0-9a-f-]{36}", :max-tx 536870913, :max-eid 2\}, :db-after #datahike/DB \{:commit-id #uuid "[0-9a-f-]{36}", :max-tx 536870914, :max-eid 3\}, :tx-data \[#datahike/Datom \[3 :name "Tess" 536870914 true\] #datahike/Datom \[3 :age 30 536870914 true\] #datahike/Datom \[536870914 :db/txInstant #inst "[0-9T:.-]+" 536870914 true\]\], :tempids \{"t" 3, :db/current-tx 536870914\}, :tx-meta nil\}$""", printed);

        string json = f.Ok("-f", "json", "transact", "conn:cfg.edn", "[{:name \"Ülla \\\"U\\\"\"}]");
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(536870914, root.GetProperty("db-before").GetProperty("max-tx").GetInt64());
        Assert.Equal(536870915, root.GetProperty("db-after").GetProperty("max-tx").GetInt64());
        Assert.Equal(4, root.GetProperty("db-after").GetProperty("max-eid").GetInt64());
        Assert.Equal("[4,\":name\",\"Ülla \\\"U\\\"\",536870915,true]", root.GetProperty("tx-data")[0].GetRawText());
        Assert.Equal(536870915, root.GetProperty("tempids").GetProperty("db/current-tx").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, root.GetProperty("tx-meta").ValueKind);

        string[] pretty = f.Ok("-f", "pprint", "transact", "conn:cfg.edn", "[{:name \"P\"}]").Split('\n');
        Assert.Equal(6, pretty.Length);
        Assert.StartsWith("{:db-before #datahike/DB {:commit-id #uuid ", pretty[0], StringComparison.Ordinal);
        Assert.StartsWith(" :db-after #datahike/DB {:commit-id #uuid ", pretty[1], StringComparison.Ordinal);
        Assert.Equal(" :tx-data [#datahike/Datom [5 :name \"P\" 536870916 true]", pretty[2]);
        Assert.StartsWith("           #datahike/Datom [536870916 :db/txInstant #inst ", pretty[3], StringComparison.Ordinal);
        Assert.Equal(" :tempids {:db/current-tx 536870916},", pretty[4]);
        Assert.Equal(" :tx-meta nil}", pretty[5]);
    }

    [Fact]
    public void Db_with_prints_the_resulting_database_and_is_filtered_says_false_for_a_named_database()
    {
        using var f = new Fixture();
        // datahike.api/db-with is (:db-after (with db tx-data)); the value was never committed, so it has no :commit-id.
        Assert.Equal("#datahike/DB {:max-tx 536870914, :max-eid 4}", f.Ok("db-with", "db:cfg.edn", "[{:name \"a\"} {:name \"b\"}]"));
        Assert.Equal("{\"max-tx\":536870914,\"max-eid\":3}", f.Ok("-f", "json", "db-with", "db:cfg.edn", "[{:name \"a\"}]"));
        Assert.Equal("nil", f.Ok("query", "[:find (count ?e) . :where [?e :name]]", "db:cfg.edn"));
        // datahike.core/is-filtered: true only for a database made by filter, which no prefix gives.
        Assert.Equal("false", f.Ok("is-filtered", "db:cfg.edn"));
        Assert.Equal("false", f.Ok("is-filtered", "history:cfg.edn"));
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
