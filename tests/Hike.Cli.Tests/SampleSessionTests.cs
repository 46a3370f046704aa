namespace Hike.Cli.Tests;

/// <summary>README's first command, samples/session.sh, run with the hike this suite built.</summary>
public sealed class SampleSessionTests
{
    [Fact]
    public async Task The_readme_session_runs_to_the_end_with_the_results_it_shows()
    {
        var lines = await Samples.RunAsync("session.sh");
        string After(string command) => lines[Array.FindIndex(lines, l => l.StartsWith("$ hike " + command, StringComparison.Ordinal)) + 1];
        Assert.Equal("{:tx 536870914, :tempids {\"alice\" 4, :db/current-tx 536870914}, :datoms 6}", TxReports.Summary(After("transact conn:cfg.edn '[{:db/id")));
        Assert.Equal("{:name \"Bob\", :friend [{:name \"Alice\", :age 30}]}", After("pull db:cfg.edn"));
        Assert.Equal("30", After("query '[:find ?a . :where [?e :name \"Alice\"] [?e :age ?a]]' asof:tx:536870914:cfg.edn"));
        Assert.Equal("3", After("query '[:find (count ?e) . :where [?e :name]]' branch:draft:cfg.edn"));
        Assert.Equal("{\"name\":\"Carol\",\"age\":41}", After("--format json pull"));
        Assert.Equal("true", After("delete-database"));
    }
}
