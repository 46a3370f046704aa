using System.Runtime.CompilerServices;
using Hike.Api;
using Hike.Edn;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Versioning;

/// <summary>
/// The editorial workflow example of README.md, run as written: drafts on branches, open revisions
/// listed from the commit graph, review with a diff, merge one and reject the other.
/// </summary>
public sealed class EditorialWorkflowTests
{
    private const string Schema = """
        [{:db/ident :article/slug :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
         {:db/ident :article/title :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
         {:db/ident :article/body :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
         {:db/ident :tx/author :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]
        """;

    [Fact]
    public async Task The_readme_editorial_workflow_drafts_lists_reviews_merges_and_rejects()
    {
        var config = TestBackend.Place(new DatabaseConfig { InitialTx = Read(Schema) });
        // README: editorial workflow
        using var main = await Database.CreateAndConnectAsync(config);
        await main.TransactAsync("""[{:article/slug "pricing" :article/title "Pricing" :article/body "Plans start at $10."}]""");

        // Each revision is drafted on a branch of its own.
        var db = Keyword.Intern("db");
        var pricing = Keyword.Intern("review/pricing-2027");
        var typo = Keyword.Intern("review/title");
        await main.BranchAsync(db, pricing);
        await main.BranchAsync(db, typo);
        using (var draft = await Database.ConnectAsync(config with { Branch = pricing }))
        {
            await draft.TransactAsync("""[{:article/slug "pricing" :article/body "Plans start at $12."}]""", """{:tx/author "maria"}""");
        }
        using (var draft = await Database.ConnectAsync(config with { Branch = typo }))
        {
            await draft.TransactAsync("""[{:article/slug "pricing" :article/title "Prices"}]""", """{:tx/author "bob"}""");
        }

        // Open revisions: commits on review/ branches that :db does not have yet, and who made them.
        const string openRevisions = """
            [:find ?branch ?author
             :where [?c :hike.commit/branches ?branch]
                    [(namespace ?branch) ?ns] [(= ?ns "review")]
                    (not [?c :hike.commit/branches :db])
                    [?c :hike.commit/txs ?tx]
                    [?tx :tx/author ?author]]
            """;
        var open = Datalog.Q(openRevisions, await main.CommitGraphAsync());
        // #{[:review/pricing-2027 "maria"] [:review/title "bob"]}

        // Review: what would merging the pricing revision change?
        var diff = Database.Diff(main.Db, await main.BranchAsDbAsync(pricing));
        var changed = diff.Added.Where(d => d.A.Namespace == "article").Select(d => $"{d.A} {d.V}");
        // [":article/body Plans start at $12."]

        // Accept one revision, reject the other.
        await main.MergeBranchAsync(pricing, txMeta: """{:tx/author "editor"}""");
        await main.DeleteBranchAsync(typo);
        var article = main.Db.Pull("[:article/title :article/body]", """[:article/slug "pricing"]""");
        // {:article/title "Pricing", :article/body "Plans start at $12."}
        // README: end

        AssertEdn("#{[:review/pricing-2027 \"maria\"] [:review/title \"bob\"]}", open);
        Assert.Equal([":article/body Plans start at $12."], changed);
        AssertEdn("{:article/title \"Pricing\" :article/body \"Plans start at $12.\"}", article);
        // After the merge and the rejection no revision is open; the merged one is part of :db's history.
        AssertEdn("#{}", Datalog.Q(openRevisions, await main.CommitGraphAsync()));
        Assert.Equal([db, pricing], (await main.GetBranchesAsync()).OrderBy(k => k.FullName));
        Assert.Equal(2, main.Db.ParentCommitIds.Count);
    }

    [Fact]
    public void The_readme_shows_the_example_exactly_as_this_test_runs_it()
    {
        var source = File.ReadAllLines(SourcePath());
        int from = Array.FindIndex(source, l => l.Trim() == "// README: editorial workflow");
        int to = Array.FindIndex(source, l => l.Trim() == "// README: end");
        var example = source[(from + 1)..to].Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var readme = File.ReadAllText(Path.Combine(Path.GetDirectoryName(SourcePath())!, "..", "..", "..", "README.md"));
        int start = readme.IndexOf("<!-- editorial workflow -->", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no editorial workflow example");
        int open = readme.IndexOf("```csharp\n", start, StringComparison.Ordinal) + "```csharp\n".Length;
        int close = readme.IndexOf("\n```", open, StringComparison.Ordinal);
        var shown = readme[open..close].Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("var config = ", StringComparison.Ordinal)).ToList();
        Assert.Equal(example, shown);
    }

    private static string SourcePath([CallerFilePath] string path = "") => path;
}
