using Hike.Testing;

namespace Hike.Cli.Tests;

/// <summary>README's "Publish and join a database on S3", samples/publish-s3.sh, run against the test S3 server.</summary>
public sealed class PublishWalkthroughTests
{
    [Fact]
    public async Task The_readme_walkthrough_publishes_joins_and_downloads_with_the_results_it_shows()
    {
        var endpoint = new Uri(TestServers.Require("HIKE_TEST_S3"));
        var lines = await Samples.RunAsync("publish-s3.sh", new Dictionary<string, string>
        {
            ["S3_ENDPOINT"] = $"{endpoint.Scheme}://{endpoint.Host}:{endpoint.Port}",
            ["S3_ACCESS_KEY"] = "S3RVER",
            ["S3_SECRET"] = "S3RVER",
            ["S3_BUCKET"] = $"hike-walkthrough-{Guid.NewGuid():N}"[..40],
            // s3rver has no conditional writes: one publisher at a time, as README says.
            ["S3_OPTIONS"] = ":fencing :none",
        });
        var output = string.Join('\n', lines);
        string After(string command, int skip = 0)
        {
            var at = Array.FindIndex(lines, l => l.StartsWith("$ hike " + command, StringComparison.Ordinal));
            Assert.True(at >= 0, $"no `hike {command}` in\n{output}");
            int end = at + 1;
            while (lines[end].StartsWith(' ')) end++;
            return lines[end + skip];
        }
        string[] syncs = [.. lines.Select((l, i) => (l, i)).Where(x => x.l.StartsWith("$ hike sync", StringComparison.Ordinal)).Select(x => lines[x.i + 1])];
        Assert.Equal(
            ["{:objects 3, :bytes 2878, :branches [:db]}", "{:objects 1, :bytes 1496, :branches [:db]}", "{:objects 4, :bytes 4282, :branches [:db]}", "{:objects 0, :bytes 0, :branches []}"],
            syncs);
        Assert.Equal("| Anvil | 120         |", After("--format table query", skip: 2));
        Assert.Equal("| Rope  | 108         |", After("--format table query", skip: 3));
        Assert.Equal("18", After("query '[:find ?price . :where [?p :product/sku \"R-7\"] [?p :product/price ?price]]' db:copy.edn"));
        Assert.Equal("15", After("query '[:find ?price . :where [?p :product/sku \"R-7\"] [?p :product/price ?price]]' asof:tx:536870914:copy.edn"));
        Assert.Equal("true", After("delete-database published.edn"));
    }

    [Fact]
    public void Every_command_the_readme_shows_for_the_walkthrough_is_one_the_script_runs()
    {
        var shown = Samples.ReadmeBlock("### Publish and join a database on S3")
            .Where(l => l.StartsWith("hike ", StringComparison.Ordinal) || l.StartsWith("  ", StringComparison.Ordinal))
            .Select(l => l.Split("   #")[0].TrimEnd())
            .ToList();
        var script = File.ReadAllText(Path.Combine(Samples.Repo, "samples", "publish-s3.sh"));
        Assert.True(shown.Count >= 8, string.Join('\n', shown));
        Assert.All(shown, line => Assert.Contains(line, script, StringComparison.Ordinal));
    }
}
