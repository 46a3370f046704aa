using Hike.Api;
using Hike.Db;
using Hike.Edn;
using Hike.Versioning;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Versioning;

/// <summary>Three-way merges of branches through a connection, on the tests' backend.</summary>
public sealed class MergeBranchTests
{
    private const string Schema = """
        [{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
         {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
         {:db/ident :tag :db/valueType :db.type/keyword :db/cardinality :db.cardinality/many}
         {:db/ident :friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}
         {:db/ident :note :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]
        """;

    private static readonly Keyword Db = K("db");

    [Fact]
    public async Task A_clean_merge_brings_their_changes_and_records_both_heads_as_parents()
    {
        var (config, main) = await Start("[{:name \"Ivan\" :age 30 :tag [:a]} {:name \"Petr\" :age 40}]");
        using var _ = main;
        await main.BranchAsync(Db, K("feature"));
        using var feature = await Database.ConnectAsync(config with { Branch = K("feature") });
        feature.Transact("[{:name \"Ivan\" :age 31 :tag [:b]} {:name \"Oleg\" :friend [:name \"Petr\"]}]");
        main.Transact("[{:name \"Petr\" :age 41} {:name \"Anna\"}]");
        var ours = main.Db.CommitId!.Value;
        var theirs = feature.Db.CommitId!.Value;

        var report = await main.MergeBranchAsync(K("feature"), txMeta: "{:note \"merge feature\"}");

        Assert.NotNull(report);
        Assert.Equal([ours, theirs], main.Db.ParentCommitIds);
        var db = main.Db;
        Assert.Equal(31L, db.Pull("[:age]", "[:name \"Ivan\"]")![K("age")]);
        Assert.Equal(41L, db.Pull("[:age]", "[:name \"Petr\"]")![K("age")]);
        AssertEdn("[:a :b]", Sorted(db.Pull("[:tag]", "[:name \"Ivan\"]")![K("tag")]));
        Assert.Equal(db.Entid("[:name \"Petr\"]"), ((EdnMap)db.Pull("[:friend]", "[:name \"Oleg\"]")![K("friend")]!)[K("db/id")]);
        Assert.NotNull(db.Entid("[:name \"Anna\"]"));
        // Oleg was made on the branch with an id main had given Anna: here he got a new one.
        Assert.NotEqual(db.Entid("[:name \"Anna\"]"), db.Entid("[:name \"Oleg\"]"));
        Assert.Equal("merge feature", db.Pull("[:note]", report!.Tx)![K("note")]);
        // The feature branch is untouched; merging again finds nothing new.
        Assert.Equal(theirs, feature.Db.CommitId);
        Assert.Null(await main.MergeBranchAsync(K("feature")));
    }

    [Fact]
    public async Task An_attribute_defined_on_their_branch_comes_over_with_its_values()
    {
        var (config, main) = await Start("[{:name \"Ivan\"}]");
        using var _ = main;
        await main.BranchAsync(Db, K("schema"));
        using var schema = await Database.ConnectAsync(config with { Branch = K("schema") });
        schema.Transact("[{:db/ident :color :db/valueType :db.type/keyword :db/cardinality :db.cardinality/one :db/index true}]");
        schema.Transact("[{:name \"Ivan\" :color :red} {:name \"Zoe\" :color :blue}]");
        main.Transact("[{:name \"Anna\"}]");

        await main.MergeBranchAsync(K("schema"));

        AssertEdn("#{[\"Ivan\" :red] [\"Zoe\" :blue]}", Datalog.Q("[:find ?n ?c :where [?e :color ?c] [?e :name ?n]]", main.Db));
        AssertEdn("{:db/valueType :db.type/keyword :db/cardinality :db.cardinality/one :db/index true}",
            main.Db.Pull("[:db/valueType :db/cardinality :db/index]", ":color"));
        Assert.NotNull(main.Db.Entid("[:name \"Anna\"]"));
    }

    [Fact]
    public async Task A_conflicting_merge_commits_nothing_and_lists_the_conflicts()
    {
        var (config, main) = await Start("[{:name \"Ivan\" :age 30} {:name \"Petr\" :age 40 :note \"x\"}]");
        using var _ = main;
        await main.BranchAsync(Db, K("feature"));
        using var feature = await Database.ConnectAsync(config with { Branch = K("feature") });
        feature.Transact("[{:name \"Ivan\" :age 32} {:name \"Petr\" :note \"theirs\"}]");
        main.Transact("[{:name \"Ivan\" :age 31} [:db/retract [:name \"Petr\"] :note \"x\"]]");
        long ivan = main.Db.Entid("[:name \"Ivan\"]")!.Value;
        long petr = main.Db.Entid("[:name \"Petr\"]")!.Value;
        var head = main.Db.CommitId;

        var error = await Assert.ThrowsAsync<MergeConflictException>(() => main.MergeBranchAsync(K("feature")));

        Assert.Equal("merge/conflict", error.Code);
        Assert.Equal(
            [
                new MergeConflict(MergeConflictKind.ValueChanged, ivan, K("age"), 30L, 31L, 32L),
                new MergeConflict(MergeConflictKind.RetractedAndChanged, petr, K("note"), "x", null, "theirs"),
            ],
            error.Conflicts);
        Assert.Equal(head, main.Db.CommitId);

        // Each strategy settles them.
        await main.MergeBranchAsync(K("feature"), MergeStrategy.Ours);
        Assert.Equal(31L, main.Db.Pull("[:age]", ivan)![K("age")]);
        Assert.Empty(main.Db.Datoms(IndexType.Eavt, petr, K("note")));
    }

    [Fact]
    public async Task The_theirs_and_callback_strategies_take_their_values_or_the_callback_value()
    {
        var (config, main) = await Start("[{:name \"Ivan\" :age 30} {:name \"Petr\" :age 40}]");
        using var _ = main;
        await main.BranchAsync(Db, K("theirs"));
        using var theirs = await Database.ConnectAsync(config with { Branch = K("theirs") });
        theirs.Transact("[{:name \"Ivan\" :age 32} {:name \"Petr\" :age 42}]");
        await main.BranchAsync(Db, K("other"));
        main.Transact("[{:name \"Ivan\" :age 31} {:name \"Petr\" :age 41}]");
        await main.BranchAsync(Db, K("before-merge"));

        await main.MergeBranchAsync(K("theirs"), MergeStrategy.Theirs);
        Assert.Equal(32L, main.Db.Pull("[:age]", "[:name \"Ivan\"]")![K("age")]);
        Assert.Equal(42L, main.Db.Pull("[:age]", "[:name \"Petr\"]")![K("age")]);

        using var other = await Database.ConnectAsync(config with { Branch = K("before-merge") });
        var seen = new List<MergeConflict>();
        await other.MergeBranchAsync(K("theirs"), MergeStrategy.Resolve(c =>
        {
            seen.Add(c);
            return MergeResolution.Use((long)c.Ours! + (long)c.Theirs!);
        }));
        Assert.Equal(2, seen.Count);
        Assert.Equal(63L, other.Db.Pull("[:age]", "[:name \"Ivan\"]")![K("age")]);
        Assert.Equal(83L, other.Db.Pull("[:age]", "[:name \"Petr\"]")![K("age")]);
    }

    [Fact]
    public async Task Branches_with_no_common_ancestor_or_an_unknown_source_are_errors()
    {
        var (config, main) = await Start("[{:name \"Ivan\"}]");
        using var _ = main;
        Assert.Equal("branch/missing", (await Assert.ThrowsAsync<HikeException>(() => main.MergeBranchAsync(K("nope")))).Code);
        // A head forced onto a commit with no parents shares no history with :db.
        await Database.ForceBranchAsync(main.Db.With("[{:name \"Orphan\"}]").DbAfter, K("orphan"), []);
        Assert.Equal("merge/unrelated", (await Assert.ThrowsAsync<HikeException>(() => main.MergeBranchAsync(K("orphan")))).Code);
    }

    [Fact]
    public async Task Merging_a_branch_that_merged_main_before_uses_the_newest_common_ancestor()
    {
        var (config, main) = await Start("[{:name \"Ivan\" :age 1}]");
        using var _ = main;
        await main.BranchAsync(Db, K("feature"));
        using var feature = await Database.ConnectAsync(config with { Branch = K("feature") });
        main.Transact("[{:name \"Ivan\" :age 2}]");
        feature.Transact("[{:name \"Petr\"}]");
        // The feature branch takes main's change; later main changes the age again.
        await feature.MergeBranchAsync(Db);
        Assert.Equal(2L, feature.Db.Pull("[:age]", "[:name \"Ivan\"]")![K("age")]);
        main.Transact("[{:name \"Ivan\" :age 3}]");
        feature.Transact("[{:name \"Oleg\"}]");
        // With the first fork as base this would be a conflict (1→3 here, 1→2 there); with the merge it is not.
        await main.MergeBranchAsync(K("feature"));
        Assert.Equal(3L, main.Db.Pull("[:age]", "[:name \"Ivan\"]")![K("age")]);
        Assert.NotNull(main.Db.Entid("[:name \"Petr\"]"));
        Assert.NotNull(main.Db.Entid("[:name \"Oleg\"]"));
    }

    private static async Task<(DatabaseConfig Config, Connection Main)> Start(string data)
    {
        var config = TestBackend.Place(new DatabaseConfig { InitialTx = Read(Schema) });
        var main = await Database.CreateAndConnectAsync(config);
        main.Transact(data);
        return (config, main);
    }

    private static object Sorted(object? values) => EdnVector.From(((IEnumerable<object?>)values!).OrderBy(v => ((Keyword)v!).FullName, StringComparer.Ordinal));
}
