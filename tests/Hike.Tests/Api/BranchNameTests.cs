using Hike.Api;
using Hike.Edn;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Api;

/// <summary>Branches named by text, with or without the colon, wherever a branch keyword is taken.</summary>
public sealed class BranchNameTests
{
    private const string Schema = "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]";

    private static object? Names(Database db) => db.Q("[:find [?n ...] :where [_ :name ?n]]");

    [Fact]
    public async Task A_branch_is_created_read_and_deleted_by_its_text()
    {
        using var conn = Connect(Schema);
        await conn.BranchAsync("db", "feature");
        await conn.BranchAsync(":db", ":other");
        Assert.Equal(new HashSet<Keyword> { K("db"), K("feature"), K("other") }, await conn.GetBranchesAsync());

        var feature = await conn.BranchAsDbAsync("feature");
        Assert.Equal(conn.Db.CommitId, feature.CommitId);
        Assert.Equal(feature.CommitId, (await conn.BranchAsDbAsync(":feature")).CommitId);

        await conn.DeleteBranchAsync("feature");
        await conn.DeleteBranchAsync(":other");
        Assert.Equal(new HashSet<Keyword> { K("db") }, await conn.GetBranchesAsync());
    }

    [Fact]
    public async Task A_branch_is_merged_by_its_text()
    {
        using var conn = Connect(Schema);
        await conn.BranchAsync("db", "feature");
        using var feature = await Database.ConnectAsync(conn.Config with { Branch = K("feature") });
        await feature.TransactAsync("[{:name \"Ada\"}]");

        var report = await conn.MergeBranchAsync("feature");
        Assert.NotNull(report);
        AssertEdn("[\"Ada\"]", Names(conn.Db));
        Assert.Null(await conn.MergeBranchAsync(":feature"));
    }

    [Fact]
    public async Task A_merge_takes_its_parents_as_text()
    {
        using var conn = Connect(Schema);
        await conn.BranchAsync("db", "feature");
        var featureHead = (await conn.BranchAsDbAsync("feature")).CommitId!.Value;
        var report = await conn.MergeAsync(["feature"], "[{:name \"Bo\"}]");
        Assert.Contains(featureHead, report.DbAfter.ParentCommitIds);
    }

    [Fact]
    public async Task A_branch_can_start_at_a_commit_id_given_as_text()
    {
        using var conn = Connect(Schema);
        var first = conn.Db.CommitId!.Value;
        await conn.TransactAsync("[{:name \"Cy\"}]");
        await conn.BranchAsync(first.ToString(), "old");
        Assert.Equal(first, (await conn.BranchAsDbAsync("old")).CommitId);
    }

    [Fact]
    public async Task The_history_of_a_branch_is_read_by_its_text()
    {
        using var conn = Connect(Schema);
        await conn.TransactAsync("[{:name \"Di\"}]");
        await conn.BranchAsync("db", "feature");
        var commits = new List<Guid?>();
        await foreach (var db in conn.BranchHistory("feature")) commits.Add(db.CommitId);
        var expected = new List<Guid?>();
        await foreach (var db in conn.BranchHistory(K("db"))) expected.Add(db.CommitId);
        Assert.Equal(expected, commits);
        Assert.Equal(3, commits.Count); // the empty database, the schema and the one transaction
    }

    [Fact]
    public async Task A_branch_is_forced_by_its_text_onto_parents_named_by_text()
    {
        using var conn = Connect(Schema);
        var next = conn.Db.DbWith("[{:name \"Ed\"}]");
        var id = await Database.ForceBranchAsync(next, "forced", ["db"]);
        var forced = await conn.BranchAsDbAsync(":forced");
        Assert.Equal(id, forced.CommitId);
        Assert.Equal([conn.Db.CommitId!.Value], forced.ParentCommitIds);
    }

    [Fact]
    public async Task An_empty_branch_name_is_a_caller_mistake()
    {
        using var conn = Connect(Schema);
        await Assert.ThrowsAsync<ArgumentException>(() => conn.BranchAsync("db", ""));
        await Assert.ThrowsAsync<ArgumentException>(() => conn.DeleteBranchAsync(" "));
    }
}
