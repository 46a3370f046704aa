using System.Diagnostics;
using Hike.Testing;

namespace Hike.Cli.Tests;

/// <summary><c>--timeout</c>, <c>--max-rows</c>, the database's default limits, Ctrl-C and running out of memory.</summary>
public sealed class QueryLimitTests
{
    /// <summary>About a minute of work (a nested query per row) in little memory, over <c>?n</c> rows.</summary>
    private const string SlowQuery =
        "[:find (count ?z) . :in ?n :where [(range 0 ?n) [?x ...]] [(q \"[:find ?y . :in ?x :where [(range 0 5000) [?y ...]] [(> ?y ?x)]]\" ?x) ?z]]";

    [Fact]
    public void Timeout_stops_a_query_with_one_line()
    {
        using var dir = new TempDirectory();
        var watch = Stopwatch.StartNew();

        var result = Cli.Run(dir.Path, null, "query", "--timeout", "300", SlowQuery, "100000");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Matches(@"^hike: Query timed out after 300 ms in .* \[query/timeout\]\n$", result.Error);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }

    [Fact]
    public void The_database_config_sets_a_default_timeout_and_row_bound()
    {
        using var f = new Fixture();
        File.WriteAllText(Path.Combine(f.Dir, "timed.edn"), "{:store {:backend :file :path \"db\"} :query-timeout-ms 300}");
        File.WriteAllText(Path.Combine(f.Dir, "bounded.edn"), "{:store {:backend :file :path \"db\"} :query-max-rows 50}");
        var query = "[:find (count ?z) . :in $ ?n :where " + SlowQuery[(SlowQuery.IndexOf(":where", StringComparison.Ordinal) + 7)..];

        var timedOut = f.Run("query", query, "db:timed.edn", "100000");
        var tooLarge = f.Run("query", "[:find ?x :in $ :where [(range 0 100) [?x ...]]]", "db:bounded.edn");
        var raised = f.Run("query", "--max-rows", "100", "[:find (count ?x) . :in $ :where [(range 0 100) [?x ...]]]", "db:bounded.edn");

        Assert.Matches(@"^hike: Query timed out after 300 ms in .* \[query/timeout\]\n$", timedOut.Error);
        Assert.Equal("hike: Query too large: [(range 0 100) [?x ...]] would hold 100 rows, over the bound of 50 rows on any relation a query builds (:max-rows in the query, :query-max-rows in the config) [query/too-large]\n", tooLarge.Error);
        Assert.Equal(0, raised.ExitCode);
        Assert.Equal("100", raised.Out);
    }

    [Fact]
    public void Max_rows_bounds_a_query_and_query_stats_and_explain_take_the_limits_too()
    {
        using var dir = new TempDirectory();

        var query = Cli.Run(dir.Path, null, "query", "--max-rows", "10", "[:find ?x :where [(range 0 100) [?x ...]]]");
        var stats = Cli.Run(dir.Path, null, "query-stats", "--max-rows", "10", "[:find ?x :where [(range 0 100) [?x ...]]]");
        var explain = Cli.Run(dir.Path, null, "explain", "--timeout", "300", SlowQuery, "100000");
        var zero = Cli.Run(dir.Path, null, "query", "--timeout", "0", "[:find ?x :where [(ground 1) ?x]]");

        Assert.Equal(1, query.ExitCode);
        Assert.EndsWith("over the bound of 10 rows on any relation a query builds (:max-rows in the query, :query-max-rows in the config) [query/too-large]\n", query.Error, StringComparison.Ordinal);
        Assert.EndsWith("[query/too-large]\n", stats.Error, StringComparison.Ordinal);
        Assert.EndsWith("[query/timeout]\n", explain.Error, StringComparison.Ordinal);
        Assert.Equal("hike: --timeout must be a positive number of milliseconds, got 0 [cli/argument]\n", zero.Error);
    }

    [Fact]
    public async Task Ctrl_C_stops_a_running_query_with_one_line_and_exit_130()
    {
        using var dir = new TempDirectory();
        var input = Path.Combine(dir.Path, "n.edn");
        Cli.RunTool("mkfifo", input);
        using var hike = Cli.Start(dir.Path, "query", SlowQuery, "edn:n.edn");
        var output = hike.StandardOutput.ReadToEndAsync();
        var error = hike.StandardError.ReadToEndAsync();
        // Opening the pipe waits for hike to open it for its input, so hike is then running the command.
        await Task.Run(() =>
        {
            using var writer = new FileStream(input, FileMode.Open, FileAccess.Write);
            writer.Write("100000"u8);
        }).WaitAsync(TimeSpan.FromMinutes(1));
        await Task.Delay(500);
        Assert.False(hike.HasExited);

        var watch = Stopwatch.StartNew();
        Cli.RunTool("kill", "-INT", hike.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await hike.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(130, hike.ExitCode);
        Assert.Equal("", await output);
        Assert.Equal("hike: interrupted [cli/interrupted]\n", await error);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed} to stop");
    }

    [Fact]
    public async Task Running_out_of_memory_prints_one_line()
    {
        using var dir = new TempDirectory();
        var limit = new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0xC000000" };
        using var hike = Cli.StartWith(dir.Path, limit, "query", "--max-rows", "1000000000", "[:find ?x ?y :where [(range 0 20000) [?x ...]] [(range 0 20000) [?y ...]]]");
        hike.StandardInput.Close();
        var output = hike.StandardOutput.ReadToEndAsync();
        var error = hike.StandardError.ReadToEndAsync();
        await hike.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(1, hike.ExitCode);
        Assert.Equal("", await output);
        Assert.Equal("hike: out of memory; a query can be bounded with --max-rows or --timeout [cli/out-of-memory]\n", await error);
    }
}
