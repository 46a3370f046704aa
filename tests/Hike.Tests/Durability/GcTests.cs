using Hike.Api;
using Hike.Db;
using Hike.Index.Datoms;
using Hike.Index.Stored;
using Hike.Index.Tree;
using Hike.Storage;
using Hike.Testing;
using static Hike.Tests.Durability.DurableFixture;

namespace Hike.Tests.Durability;

public sealed class GcTests
{
    private const string Schema = "[{:db/ident :n :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique :db.unique/identity} {:db/ident :v :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/index true}]";

    [Fact]
    public async Task Gc_deletes_what_no_retained_commit_reaches_while_an_old_snapshot_keeps_being_read()
    {
        using var dir = new TempDirectory();
        var config = new DatabaseConfig { Store = StoreConfig.File(dir.Path), InitialTx = Hike.Edn.EdnReader.Read(Schema), CacheBytes = 1 << 16 };
        Directory.Delete(dir.Path);
        using var conn = await Database.CreateAndConnectAsync(config);
        for (int i = 0; i < 39; i++) conn.Transact(Updates(i));
        var cutoff = DateTime.UtcNow;
        conn.Transact(Updates(39));
        var old = conn.Db;
        var oldAnswer = Snapshot(old);
        for (int i = 40; i < 80; i++) conn.Transact(Updates(i));

        // A reader keeps querying the old snapshot during the collection, and the writer keeps writing.
        using var stop = new CancellationTokenSource();
        var reading = Task.Run(() =>
        {
            int reads = 0;
            while (!stop.IsCancellationRequested || reads == 0)
            {
                Assert.Equal(oldAnswer, Snapshot(old));
                reads++;
            }
            return reads;
        });
        var writing = Task.Run(async () =>
        {
            for (int i = 80; i < 120; i++) await conn.TransactAsync(Updates(i));
        });
        int deleted = await conn.GcStorageAsync(cutoff);
        await writing;
        stop.Cancel();
        Assert.True(await reading > 0);
        Assert.True(deleted > 0, "nothing was collected");

        // After the collection: the old snapshot (inside the retention window) and the head read cleanly from disk.
        Assert.Equal(oldAnswer, Snapshot(old));
        using (var fresh = await Database.ConnectAsync(config with { CacheBytes = 1 << 16 }))
        {
            ReadEverything(fresh.Db);
            Assert.Equal(360, Datalog.Q("[:find (count ?e) . :where [?e :n]]", fresh.Db) is long c ? c : -1);
            var stored = fresh.Db.State.Commit!;
            var reopenedOld = OpenCommit(fresh, old.State.Commit!.Address);
            Assert.Equal(oldAnswer, Snapshot(reopenedOld));
            var retained = Ancestors(fresh, stored.Address);
            Assert.Contains(old.CommitId!.Value, retained);
            Assert.True(retained.Count >= 81, $"{retained.Count} commits retained");
        }

        // Keeping only the heads: every object left is one the head reaches; all others are gone.
        await conn.GcStorageAsync(DateTime.UtcNow.AddMinutes(1));
        using var last = await Database.ConnectAsync(config);
        ReadEverything(last.Db);
        var head = last.Db.State;
        using var store = new FileStore(dir.Path);
        var commits = new Hike.Versioning.StoredCommitLog(store, 1 << 16);
        var record = commits.ReadCommit(head.Commit!.Address);
        var live = ReachableNodes(head);
        live.Add(head.Commit.Address);
        live.Add(record.Schema);
        foreach (var index in record.Indexes) live.UnionWith(index.Chunks.Where(c => c.IsStored));
        int kept = 0, gone = 0;
        foreach (var key in store.List(Packs.Prefix))
        {
            Assert.True(Packs.TryParseKey(key, out var pack));
            var bytes = store.Get(key)!;
            foreach (var (offset, length) in SegmentObjects(store, key))
            {
                bool zeroed = bytes.AsSpan((int)offset, length).IndexOfAnyExcept((byte)0) < 0;
                bool reachable = live.Remove(Packs.Address(pack, offset, length));
                Assert.True(reachable != zeroed, $"object at {key}@{offset} is {(reachable ? "reachable but deleted" : "unreachable but kept")}");
                if (zeroed) gone++;
                else kept++;
            }
        }
        Assert.Empty(live);
        Assert.True(gone > 0 && kept > 0, $"{kept} kept, {gone} gone");
    }

    /// <summary>Ten new entities, and new values for ten older ones (so old nodes become garbage).</summary>
    private static string Updates(int round)
    {
        var sb = new System.Text.StringBuilder("[");
        for (int k = 0; k < 3; k++) sb.Append($"{{:n {round * 3 + k} :v {round}}} ");
        for (int k = 0; k < Math.Min(round * 3, 10); k++) sb.Append($"{{:n {(round * 7 + k) % (round * 3)} :v {round * 100 + k}}} ");
        return sb.Append(']').ToString();
    }

    private static List<(long, long)> Snapshot(Database db) =>
        [.. ((IEnumerable<object?>)Datalog.Q("[:find ?n ?v :where [?e :n ?n] [?e :v ?v]]", db)!).Cast<IReadOnlyList<object?>>().Select(r => ((long)r[0]!, (long)r[1]!)).Order()];

    private static Database OpenCommit(Connection conn, NodeAddress address)
    {
        var commits = new Hike.Versioning.StoredCommitLog(new FileStore(conn.Config.Store.Path!), 1 << 16);
        return new Database(DbView.Of(commits.Load(address, conn.Db.State.Options)), null);
    }

    private static List<Guid> Ancestors(Connection conn, NodeAddress head)
    {
        var commits = new Hike.Versioning.StoredCommitLog(new FileStore(conn.Config.Store.Path!), 1 << 16);
        var result = new List<Guid>();
        for (var at = head; at.IsStored;)
        {
            Hike.Versioning.CommitRecord record;
            try
            {
                record = commits.ReadCommit(at);
            }
            catch (CorruptionException)
            {
                break; // the oldest retained commit's parent was collected
            }
            result.Add(record.Info.Id);
            at = record.Info.ParentAddresses.Count > 0 ? record.Info.ParentAddresses[0] : default;
        }
        return result;
    }

    /// <summary>The addresses of every stored node the state's trees reach, walked through the trees themselves.</summary>
    private static HashSet<NodeAddress> ReachableNodes(DbState state)
    {
        var keys = new HashSet<NodeAddress>();
        Walk(state.Eavt.Table, keys);
        Walk(state.Aevt.Table, keys);
        Walk(state.Avet.Table, keys);
        Walk(state.TemporalEavt.Table, keys);
        Walk(state.TemporalAevt.Table, keys);
        Walk(state.TemporalAvet.Table, keys);
        return keys;
    }

    private static void Walk<TOrder>(PartitionTable<TOrder> table, HashSet<NodeAddress> keys)
        where TOrder : struct, IDatomOrder
    {
        for (int c = 0; c < table.ChunkCount; c++)
        {
            foreach (var set in table.ChunkAt(c) ?? [])
            {
                if (set is null) continue;
                Walk(set.Root, set.Loader, keys);
            }
        }
    }

    private static void Walk(Node<IndexDatom> node, INodeLoader<IndexDatom>? loader, HashSet<NodeAddress> keys)
    {
        if (node.Address.IsStored) keys.Add(node.Address);
        if (node is not Branch<IndexDatom> branch) return;
        for (int i = 0; i < branch.Len; i++) Walk(branch.Child(i, loader), loader, keys);
    }
}
