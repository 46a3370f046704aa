namespace Hike.Cli.Tests;

/// <summary>README's curl walk-through of the HTTP server, samples/serve-curl.sh, run against a hike serve of its own.</summary>
public sealed class ServeWalkthroughTests
{
    [Fact]
    public async Task The_readme_curl_walkthrough_answers_what_it_shows()
    {
        var lines = await Samples.RunAsync("serve-curl.sh");
        string After(string route, int nth = 0) =>
            lines[lines.Select((l, i) => (l, i)).Where(x => x.l.StartsWith($"$ curl -s $HIKE_URL/{route} ", StringComparison.Ordinal)).ElementAt(nth).i + 1];

        Assert.StartsWith("{\"store\":{\"backend\":[\"!kw\",\"file\"]", After("create-database"), StringComparison.Ordinal);
        Assert.Matches("""^\["!datahike/Connection",\[\[\["!kw","file"\],"/.*/trails"\],\["!kw","db"\]\]\]$""", After("connect"));
        Assert.StartsWith("[\"!datahike/TxReport\",{\"db-before\":", After("transact"), StringComparison.Ordinal);
        Assert.Matches("""^\["!datahike/DB",\{"store-id":.*"max-eid":2,"max-tx":536870913\}\]$""", After("db"));
        Assert.Equal("[\"!set\",[[\"Alpine Loop\",12]]]", After("q"));
        Assert.Equal("19", After("q", 1));
        Assert.Equal("true", After("delete-database"));
    }

    [Fact]
    public void Every_call_the_readme_shows_is_one_the_script_makes_in_that_order()
    {
        var shown = Samples.ReadmeBlock("### curl walk-through")
            .Where(l => l.StartsWith("curl ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[2].Split('/')[^1])
            .ToList();
        var script = File.ReadAllText(Path.Combine(Samples.Repo, "samples", "serve-curl.sh")).Split('\n')
            .Where(l => l.StartsWith("api ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[1])
            .ToList();
        Assert.True(shown.Count >= 6, string.Join('\n', shown));
        Assert.Equal(script, shown);
    }
}
