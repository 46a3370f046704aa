using Hike.Testing;

namespace Hike.Cli.Tests;

/// <summary><c>hike search</c>: full-text search of a <c>:db/fulltext</c> attribute, from the command line.</summary>
public sealed class SearchCommandTests
{
    [Fact]
    public void Search_prints_the_best_matches_and_query_runs_fulltext()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "cfg.edn"), """
            {:store {:backend :file :path "db"}
             :initial-tx [{:db/ident :gloss :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/fulltext true}]}
            """);
        Cli.Ok(dir.Path, "create-database", "cfg.edn");
        Cli.Ok(dir.Path, "transact", "conn:cfg.edn", "[{:db/id \"a\" :gloss \"a quiet forest path\"} {:db/id \"b\" :gloss \"forest fire in the dry forest\"} {:gloss \"city lights\"}]");

        // The gloss that says forest twice ranks first by BM25; each row is [e value tx score].
        var rows = Cli.Ok(dir.Path, "search", "db:cfg.edn", ":gloss", "forest");
        Assert.Matches("""^\[\[3 "forest fire in the dry forest" 536870914 [0-9.E-]+\] \[2 "a quiet forest path" 536870914 [0-9.E-]+\]\]$""", rows);
        Assert.Matches("""^\[\[3 "forest fire in the dry forest" 536870914 [0-9.E-]+\]\]$""", Cli.Ok(dir.Path, "search", "db:cfg.edn", ":gloss", "forest", "1"));
        Assert.Equal("#{[\"city lights\"]}", Cli.Ok(dir.Path, "query", "[:find ?v :in $ ?q :where [(fulltext $ :gloss ?q) [[?e ?v]]]]", "db:cfg.edn", "\"cit*\""));

        // --highlight adds the value with the words the query matched marked, as written (case aside).
        Assert.Matches("""^\[\[3 "forest fire in the dry forest" 536870914 [0-9.E-]+ "<b>forest</b> fire in the dry <b>forest</b>"\]\]$""",
            Cli.Ok(dir.Path, "search", "db:cfg.edn", ":gloss", "Forest", "1", "--highlight"));
        Assert.Contains("| highlighted", Cli.Ok(dir.Path, "search", "db:cfg.edn", ":gloss", "forest", "--highlight", "--format", "table"), StringComparison.Ordinal);

        var bad = Cli.Run(dir.Path, null, "search", "db:cfg.edn", ":gloss", "forest AND (");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("[fulltext/syntax]", bad.Error, StringComparison.Ordinal);
    }
}
