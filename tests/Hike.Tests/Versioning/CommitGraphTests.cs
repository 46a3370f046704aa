using Hike.Api;
using Hike.Edn;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Versioning;

/// <summary>The commit graph as a database, queried with Datalog.</summary>
public sealed class CommitGraphTests
{
    private const string Schema = """
        [{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
         {:db/ident :author :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]
        """;

    private static readonly Keyword Db = K("db");

    [Fact]
    public async Task The_graph_holds_every_commit_with_its_parents_heads_branches_and_transactions()
    {
        var config = TestBackend.Place(new DatabaseConfig { InitialTx = Read(Schema) });
        using var main = await Database.CreateAndConnectAsync(config);
        var created = (await main.BranchHistory().ToListAsync()).Select(d => d.CommitId!.Value).ToList(); // [initial tx, empty db]
        var first = await main.TransactAsync("[{:name \"A\"}]", "{:author \"ann\"}");
        await main.BranchAsync(Db, K("side"));
        using var side = await Database.ConnectAsync(config with { Branch = K("side") });
        var s1 = await side.TransactAsync("[{:name \"S1\"}]", "{:author \"sam\"}");
        var s2 = await side.TransactAsync("[{:name \"S2\"}]", "{:author \"sue\"}");
        var merge = await main.MergeAsync([K("side")], "[{:name \"M\"}]", "{:author \"max\"}");

        var graph = await main.CommitGraphAsync();

        var all = Q("[:find [?id ...] :where [_ :hike.commit/id ?id]]", graph);
        Assert.Equal(created.Count + 4, all.Count);
        Assert.Equal(
            new HashSet<object?> { first.DbAfter.CommitId, side.Db.CommitId },
            Q($"[:find [?pid ...] :where [?c :hike.commit/id #uuid \"{merge.DbAfter.CommitId}\"] [?c :hike.commit/parents ?p] [?p :hike.commit/id ?pid]]", graph).ToHashSet());
        AssertEdn("#{[:db] [:side]}", Datalog.Q("[:find ?b :where [?c :hike.commit/head-of ?b]]", graph));
        AssertEdn($"#{{[:db #uuid \"{merge.DbAfter.CommitId}\"] [:side #uuid \"{s2.DbAfter.CommitId}\"]}}",
            Datalog.Q("[:find ?name ?id :where [?b :hike.branch/name ?name] [?b :hike.branch/head ?c] [?c :hike.commit/id ?id]]", graph));
        // The side branch's commits are in both histories once merged; the merge commit only in :db's.
        AssertEdn("#{:db :side}", Datalog.Q($"[:find (distinct ?b) . :where [?c :hike.commit/id #uuid \"{s1.DbAfter.CommitId}\"] [?c :hike.commit/branches ?b]]", graph));
        AssertEdn("#{:db}", Datalog.Q($"[:find (distinct ?b) . :where [?c :hike.commit/id #uuid \"{merge.DbAfter.CommitId}\"] [?c :hike.commit/branches ?b]]", graph));
        // Each commit's transactions, their range and metadata.
        AssertEdn($"[{s2.Tx} {s2.Tx} \"sue\"]",
            Datalog.Q($"[:find [?first ?last ?author] :where [?c :hike.commit/id #uuid \"{s2.DbAfter.CommitId}\"] [?c :hike.commit/tx-first ?first] [?c :hike.commit/tx-last ?last] [?c :hike.commit/txs ?tx] [?tx :author ?author]]", graph));
        AssertEdn("#{[\"ann\"] [\"sam\"] [\"sue\"] [\"max\"]}", Datalog.Q("[:find ?a :where [_ :author ?a]]", graph));
        Assert.Equal(s1.DbAfter.Entity(s1.Tx)![":db/txInstant"],
            Datalog.Q($"[:find ?i . :where [?t :hike.tx/id {s1.Tx}] [?t :hike.tx/instant ?i]]", graph));
        // The empty first commit has no transactions.
        Assert.Empty(Q($"[:find [?t ...] :where [?c :hike.commit/id #uuid \"{created[^1]}\"] [?c :hike.commit/txs ?t]]", graph));
    }

    [Fact]
    public async Task A_query_joins_the_graph_with_application_data()
    {
        var config = TestBackend.Place(new DatabaseConfig { InitialTx = Read(Schema) });
        using var main = await Database.CreateAndConnectAsync(config);
        await main.TransactAsync("[{:name \"A\"}]", "{:author \"ann\"}");
        await main.BranchAsync(Db, K("review/x"));
        using var review = await Database.ConnectAsync(config with { Branch = K("review/x") });
        await review.TransactAsync("[{:name \"X\"}]", "{:author \"xavier\"}");
        // Which names did each unmerged author add? The graph gives authors and tx ids, the branch the datoms.
        var rows = Datalog.Q("""
            [:find ?author ?name
             :in $graph $data
             :where [$graph ?c :hike.commit/branches :review/x]
                    ($graph not [?c :hike.commit/branches :db])
                    [$graph ?c :hike.commit/txs ?t]
                    [$graph ?t :author ?author]
                    [$graph ?t :hike.tx/id ?tx]
                    [$data _ :name ?name ?tx]]
            """, await main.CommitGraphAsync(), review.Db);
        AssertEdn("#{[\"xavier\" \"X\"]}", rows);
    }

    private static List<object?> Q(string query, Database db) => [.. (IEnumerable<object?>)Datalog.Q(query, db)!];
}
