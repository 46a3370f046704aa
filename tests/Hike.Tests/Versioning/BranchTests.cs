using Hike.Api;
using Hike.Edn;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Versioning;

/// <summary>Branches, merge commits, forced heads and commits as databases, on the tests' backend.</summary>
public sealed class BranchTests
{
    private const string AgeSchema = "[{:db/ident :age :db/cardinality :db.cardinality/one :db/valueType :db.type/long}]";
    private const string NameSchema = "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity} {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one} {:db/ident :merged-by :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]";

    private static readonly Keyword Db = K("db");

    [Fact]
    public async Task Datahike_versioning_branch_merge_force_and_delete()
    {
        // Datahike's versioning test: create, schema, branch :foo, transact on :foo, merge! :foo into :db.
        var config = TestBackend.Place(new DatabaseConfig { KeepHistory = true });
        using var conn = await Database.CreateAndConnectAsync(config);
        await conn.TransactAsync(AgeSchema);
        await conn.BranchAsync(Db, K("foo"));
        Assert.Equal([Db, K("foo")], (await conn.GetBranchesAsync()).OrderBy(k => k.FullName));
        using (var foo = await Database.ConnectAsync(config with { Branch = K("foo") }))
        {
            await foo.TransactAsync("[{:age 42}]");
        }
        await conn.MergeAsync([K("foo")], "[{:age 42}]");
        Assert.Equal(4, await conn.BranchHistory().CountAsync());
        Assert.Equal(2, conn.Db.ParentCommitIds.Count);

        // force-branch! writes the db as the head of :foo2 with :foo's head as its parent.
        var fooHead = (await conn.BranchAsDbAsync(K("foo"))).CommitId!.Value;
        await Database.ForceBranchAsync(conn.Db, K("foo2"), [K("foo")]);
        var forced = await conn.BranchAsDbAsync(K("foo2"));
        Assert.Equal([fooHead], forced.ParentCommitIds);

        // The same commit three ways.
        var byId = await conn.CommitAsDbAsync(conn.Db.CommitId!.Value);
        var byBranch = await conn.BranchAsDbAsync(Db);
        Assert.Equal(conn.Db.CommitId, byId.CommitId);
        Assert.Equal(conn.Db.CommitId, byBranch.CommitId);
        Assert.Equal(Eav(conn.Db), Eav(byId));
        Assert.Equal(Eav(conn.Db), Eav(byBranch));

        using (var foo2 = await Database.ConnectAsync(config with { Branch = K("foo2") }))
        {
            Assert.Equal(4, await foo2.BranchHistory().CountAsync());
            Assert.Equal(Eav(conn.Db), Eav(foo2.Db));
        }
        await conn.DeleteBranchAsync(K("foo"));
        Assert.Equal([Db, K("foo2")], (await conn.GetBranchesAsync()).OrderBy(k => k.FullName));
    }

    [Fact]
    public async Task A_branch_made_from_a_commit_id_holds_the_data_of_that_commit()
    {
        using var conn = Connect(NameSchema);
        conn.Transact("[{:name \"Ivan\" :age 30}]");
        var then = conn.Db;
        conn.Transact("[{:name \"Petr\" :age 40} {:name \"Ivan\" :age 31}]");
        await conn.BranchAsync(then.CommitId!.Value, K("then"));
        var branched = await conn.BranchAsDbAsync(K("then"));
        Assert.Equal(then.CommitId, branched.CommitId);
        Assert.Equal(Eav(then), Eav(branched));
        Assert.Equal(31L, conn.Db.Pull("[:age]", "[:name \"Ivan\"]")![K("age")]);
        // The commit id can also be given as text.
        await conn.BranchAsync(then.CommitId.Value.ToString(), K("then-text"));
        Assert.Equal(then.CommitId, (await conn.BranchAsDbAsync(K("then-text"))).CommitId);
    }

    [Fact]
    public async Task Two_branches_evolve_independently()
    {
        var config = TestBackend.Place(new DatabaseConfig { InitialTx = Read(NameSchema) });
        using var main = await Database.CreateAndConnectAsync(config);
        main.Transact("[{:name \"Ivan\" :age 30}]");
        await main.BranchAsync(Db, K("staging"));
        using var staging = await Database.ConnectAsync(config with { Branch = K("staging") });
        staging.Transact("[{:name \"Ivan\" :age 31} {:name \"Oleg\"}]");
        main.Transact("[{:name \"Petr\"}]");
        Assert.Equal(["Ivan", "Petr"], Names(main.Db));
        Assert.Equal(["Ivan", "Oleg"], Names(staging.Db));
        Assert.Equal(30L, main.Db.Pull("[:age]", "[:name \"Ivan\"]")![K("age")]);
        Assert.Equal(31L, staging.Db.Pull("[:age]", "[:name \"Ivan\"]")![K("age")]);
        // Both descend from the commit the branch was made at.
        var fork = (await main.BranchAsDbAsync(Db)).ParentCommitIds.Single();
        Assert.Equal(fork, staging.Db.ParentCommitIds.Single());
    }

    [Fact]
    public async Task A_transaction_listener_hears_only_its_own_branch()
    {
        var config = TestBackend.Place(new DatabaseConfig { InitialTx = Read(NameSchema) });
        using var main = await Database.CreateAndConnectAsync(config);
        await main.BranchAsync(Db, K("side"));
        using var side = await Database.ConnectAsync(config with { Branch = K("side") });
        var heard = new List<string>();
        using var _ = main.Listen(r => heard.Add("main"));
        using var __ = side.Listen(r => heard.Add("side"));
        await side.TransactAsync("[{:name \"A\"}]");
        await main.TransactAsync("[{:name \"B\"}]");
        await side.TransactAsync("[{:name \"C\"}]");
        Assert.Equal(["side", "main", "side"], heard);
    }

    [Fact]
    public async Task Commit_as_db_reads_an_old_commit_after_further_transactions()
    {
        using var conn = Connect(NameSchema);
        var ids = new List<Guid>();
        for (int i = 0; i < 5; i++)
        {
            conn.Transact($"[{{:name \"P{i}\" :age {i}}}]");
            ids.Add(conn.Db.CommitId!.Value);
        }
        for (int i = 0; i < 5; i++)
        {
            var old = await conn.CommitAsDbAsync(ids[i]);
            Assert.Equal(ids[i], old.CommitId);
            Assert.Equal(Enumerable.Range(0, i + 1).Select(k => $"P{k}").ToList(), Names(old));
        }
        // The history walks back through all of them, newest first.
        var history = await conn.BranchHistory().Select(d => d.CommitId!.Value).ToListAsync();
        Assert.Equal(ids.AsEnumerable().Reverse(), history.Take(5));
    }

    [Fact]
    public async Task Merge_records_a_commit_with_the_head_and_each_merged_commit_as_parents()
    {
        var config = TestBackend.Place(new DatabaseConfig { InitialTx = Read(NameSchema) });
        using var main = await Database.CreateAndConnectAsync(config);
        await main.BranchAsync(Db, K("a"));
        await main.BranchAsync(Db, K("b"));
        using var a = await Database.ConnectAsync(config with { Branch = K("a") });
        using var b = await Database.ConnectAsync(config with { Branch = K("b") });
        a.Transact("[{:name \"A\"}]");
        b.Transact("[{:name \"B\"}]");
        var before = main.Db.CommitId!.Value;
        var report = await main.MergeAsync([K("a"), b.Db.CommitId!.Value], "[{:name \"AB\"}]", "{:merged-by \"ci\"}");
        Assert.Equal([before, a.Db.CommitId!.Value, b.Db.CommitId!.Value], main.Db.ParentCommitIds);
        Assert.Equal(["AB"], Names(main.Db));
        Assert.Equal(report.DbAfter.CommitId, main.Db.CommitId);
        Assert.Equal("ci", main.Db.Pull("[:merged-by]", report.Tx)![K("merged-by")]);
    }

    [Fact]
    public async Task A_merge_keeps_exactly_its_parents_and_later_transactions_do_not_inherit_them()
    {
        // Datahike's lineage case: merge parents are the head and the merged commit; a later or queued transaction has one parent.
        var config = TestBackend.Place(new DatabaseConfig { InitialTx = Read(NameSchema) });
        using var conn = await Database.CreateAndConnectAsync(config);
        conn.Transact("[{:name \"base\"}]");
        await conn.BranchAsync(Db, K("foo"));
        using var foo = await Database.ConnectAsync(config with { Branch = K("foo") });
        foo.Transact("[{:name \"candidate\"}]");
        var fooCommit = foo.Db.CommitId!.Value;
        conn.Transact("[{:name \"moved\"}]");
        var moved = conn.Db.CommitId!.Value;
        var report = await conn.MergeAsync([fooCommit], "[{:name \"candidate\"}]");
        Assert.Equal([moved, fooCommit], conn.Db.ParentCommitIds);
        Assert.Equal(report.DbAfter.CommitId, conn.Db.CommitId);
        conn.Transact("[{:name \"after\"}]");
        Assert.Equal(1, await Carrying());
        // A merge submitted together with a transaction keeps its parents; the transaction gets its own commit.
        var merging = conn.MergeAsync([fooCommit], "[{:name \"again\"}]");
        var queued = conn.TransactAsync("[{:name \"queued\"}]");
        await Task.WhenAll(merging, queued);
        Assert.Equal(2, await Carrying());
        Assert.Single(conn.Db.ParentCommitIds);

        Task<int> Carrying() => conn.BranchHistory().CountAsync(d => d.ParentCommitIds.Contains(fooCommit)).AsTask();
    }

    [Fact]
    public async Task Force_branch_writes_a_with_result_as_a_head_and_checks_the_expected_head()
    {
        var config = TestBackend.Place(new DatabaseConfig { InitialTx = Read(NameSchema) });
        using var conn = await Database.CreateAndConnectAsync(config);
        conn.Transact("[{:name \"Ivan\"}]");
        var atT = conn.Db;
        conn.Transact("[{:name \"Petr\"}]");
        var head = conn.Db.CommitId!.Value;
        var speculative = atT.With("[{:name \"Zoe\"}]").DbAfter;
        var error = await Assert.ThrowsAsync<HikeException>(() => Database.ForceBranchAsync(speculative, Db, [atT.CommitId!.Value], expectedHead: atT.CommitId));
        Assert.Equal("branch/stale-head", error.Code);
        Assert.Equal(head, conn.Db.CommitId);
        var forced = await Database.ForceBranchAsync(speculative, Db, [atT.CommitId!.Value], expectedHead: head);
        Assert.Equal(forced, conn.Db.CommitId);
        Assert.Equal(["Ivan", "Zoe"], Names(conn.Db));
        Assert.Equal([atT.CommitId!.Value], conn.Db.ParentCommitIds);
        // The connection writes on from the forced head.
        conn.Transact("[{:name \"Anna\"}]");
        Assert.Equal(["Anna", "Ivan", "Zoe"], Names(conn.Db));
        Assert.Equal([forced], conn.Db.ParentCommitIds);
    }

    [Fact]
    public async Task Force_branch_needs_a_value_of_a_connected_database()
    {
        using var conn = Connect(NameSchema);
        var error = await Assert.ThrowsAsync<HikeException>(() => Database.ForceBranchAsync(Database.Empty(), K("x"), [Db]));
        Assert.Equal("db/foreign", error.Code);
        Assert.Equal("db/view", (await Assert.ThrowsAsync<HikeException>(() => Database.ForceBranchAsync(conn.Db.History(), K("x"), [Db]))).Code);
    }

    [Fact]
    public async Task Branch_errors_name_the_branch_or_commit_and_change_nothing()
    {
        var config = TestBackend.Place(new DatabaseConfig { InitialTx = Read(NameSchema) });
        using var conn = await Database.CreateAndConnectAsync(config);
        var missing = Guid.NewGuid();
        var error = await Assert.ThrowsAsync<HikeException>(() => conn.BranchAsync(missing, K("x")));
        Assert.Equal("commit/missing", error.Code);
        Assert.Contains(missing.ToString(), error.Message);
        error = await Assert.ThrowsAsync<HikeException>(() => conn.BranchAsync(K("nope"), K("x")));
        Assert.Equal("branch/missing", error.Code);
        Assert.Contains(":nope", error.Message);
        Assert.Equal([Db], await conn.GetBranchesAsync());
        await conn.BranchAsync(Db, K("x"));
        Assert.Equal("branch/exists", (await Assert.ThrowsAsync<HikeException>(() => conn.BranchAsync(Db, K("x")))).Code);
        Assert.Equal("branch/default", (await Assert.ThrowsAsync<HikeException>(() => conn.DeleteBranchAsync(Db))).Code);
        Assert.Equal("branch/missing", (await Assert.ThrowsAsync<HikeException>(() => conn.DeleteBranchAsync(K("nope")))).Code);
        Assert.Equal("commit/reference", (await Assert.ThrowsAsync<HikeException>(() => conn.BranchAsync(42, K("y")))).Code);
        Assert.Equal("commit/missing", (await Assert.ThrowsAsync<HikeException>(() => conn.CommitAsDbAsync(missing))).Code);
        Assert.Equal("branch/missing", (await Assert.ThrowsAsync<HikeException>(() => conn.BranchAsDbAsync(K("nope")))).Code);
        Assert.Equal([Db, K("x")], (await conn.GetBranchesAsync()).OrderBy(k => k.FullName));
    }

    [Fact]
    public async Task Connecting_to_a_branch_that_does_not_exist_is_a_clear_error()
    {
        var config = TestBackend.Place(new DatabaseConfig { InitialTx = Read(NameSchema) });
        using var conn = await Database.CreateAndConnectAsync(config);
        var error = await Assert.ThrowsAsync<HikeException>(() => Database.ConnectAsync(config with { Branch = K("staging") }));
        Assert.Equal("branch/missing", error.Code);
        Assert.Contains(":staging", error.Message);
        // The same through the EDN config's :branch.
        var edn = $"{{:store {EdnPrinter.Print(config.Store.ToEdn())} :branch :staging}}";
        Assert.Equal("branch/missing", (await Assert.ThrowsAsync<HikeException>(() => Database.ConnectAsync(edn))).Code);
        await conn.BranchAsync(Db, K("staging"));
        using var staging = await Database.ConnectAsync(edn);
        Assert.Equal(K("staging"), staging.Config.Branch);
    }

    [Fact]
    public async Task A_deleted_branch_fails_its_connections_and_its_name_can_be_used_again()
    {
        var config = TestBackend.Place(new DatabaseConfig { InitialTx = Read(NameSchema) });
        using var main = await Database.CreateAndConnectAsync(config);
        await main.BranchAsync(Db, K("tmp"));
        using var tmp = await Database.ConnectAsync(config with { Branch = K("tmp") });
        tmp.Transact("[{:name \"T\"}]");
        var tmpCommit = tmp.Db.CommitId!.Value;
        await main.DeleteBranchAsync(K("tmp"));
        Assert.Equal("branch/missing", Assert.Throws<HikeException>(() => tmp.Db).Code);
        Assert.Equal("branch/missing", (await Assert.ThrowsAsync<HikeException>(() => tmp.TransactAsync("[{:name \"U\"}]"))).Code);
        // Its commits stay readable by id until garbage collection.
        Assert.Equal(["T"], Names(await main.CommitAsDbAsync(tmpCommit)));
        await main.BranchAsync(Db, K("tmp"));
        using var again = await Database.ConnectAsync(config with { Branch = K("tmp") });
        Assert.Empty(Names(again.Db));
    }

    [Fact]
    public async Task Branches_created_concurrently_are_all_listed_and_readable()
    {
        var config = TestBackend.Place(new DatabaseConfig { InitialTx = Read(NameSchema) });
        using var main = await Database.CreateAndConnectAsync(config);
        await main.BranchAsync(Db, K("left"));
        using var left = await Database.ConnectAsync(config with { Branch = K("left") });
        var names = Enumerable.Range(0, 32).Select(i => K($"concurrent-{i}")).ToList();
        await Task.WhenAll(names.Select((name, i) => Task.Run(() => (i % 2 == 0 ? main : left).BranchAsync(Db, name))));
        var listed = await main.GetBranchesAsync();
        Assert.All(names, n => Assert.Contains(n, listed));
        foreach (var name in names)
        {
            using var conn = await Database.ConnectAsync(config with { Branch = name });
            Assert.Equal(main.Db.CommitId, conn.Db.CommitId);
        }
    }

    [Fact]
    public async Task Gc_drops_the_commits_of_a_deleted_branch_and_old_history_but_keeps_every_head()
    {
        var config = TestBackend.Place(new DatabaseConfig { InitialTx = Read(NameSchema) });
        using var main = await Database.CreateAndConnectAsync(config);
        main.Transact("[{:name \"Old\"}]");
        var old = main.Db.CommitId!.Value;
        await main.BranchAsync(Db, K("keep"));
        await main.BranchAsync(Db, K("drop"));
        using (var drop = await Database.ConnectAsync(config with { Branch = K("drop") }))
        {
            drop.Transact("[{:name \"Dropped\"}]");
        }
        var dropped = (await main.BranchAsDbAsync(K("drop"))).CommitId!.Value;
        main.Transact("[{:name \"New\"}]");
        await main.DeleteBranchAsync(K("drop"));
        Assert.True(await main.GcStorageAsync(DateTime.UtcNow.AddMinutes(1)) > 0);
        Assert.Equal("commit/missing", (await Assert.ThrowsAsync<HikeException>(() => main.CommitAsDbAsync(dropped))).Code);
        // :keep's head is the old commit: kept, though older than the cut-off.
        Assert.Equal(["Old"], Names(await main.BranchAsDbAsync(K("keep"))));
        Assert.Equal(["Old"], Names(await main.CommitAsDbAsync(old)));
        Assert.Equal(["New", "Old"], Names(main.Db));
        main.Transact("[{:name \"Newer\"}]");
        Assert.Equal(["New", "Newer", "Old"], Names(main.Db));
    }

    private static List<string> Names(Database db) =>
        [.. ((IEnumerable<object?>)Datalog.Q("[:find [?n ...] :where [_ :name ?n]]", db)!).Cast<string>().Order(StringComparer.Ordinal)];
}
