using System.Text;
using Hike.Api;
using Hike.Index.Codec;
using Hike.Storage;
using Hike.Testing;
using Hike.Versioning;
using Xunit.Abstractions;
using static Hike.Tests.Durability.DurableFixture;

namespace Hike.Tests.Durability;

/// <summary>
/// Reading a database over a network costs round trips: opening one waits for three whatever its size
/// (the head with its commit record; the chunks, schema and pack check; the partition roots), and a
/// point query for one per tree level below the root.
/// </summary>
public sealed class RoundTripTests(ITestOutputHelper output)
{
    // Long enough that every read of a batch starts before the first one ends, however loaded the machine
    // (under the whole suite, 100 ms once let a read that loads ahead on the thread pool start after its batch).
    private static readonly TimeSpan RoundTrip = TimeSpan.FromMilliseconds(250);
    private const string Query = "[:find ?e . :in $ ?id :where [?e :id ?id]]";

    [Theory]
    [InlineData(2_000)]
    [InlineData(60_000)]
    public void Opening_takes_three_round_trips_and_a_point_query_one_per_level_below_the_root(int entities)
    {
        var store = new RoundTripStore(new MemoryStore(appendsInPlace: false));
        Build(store, entities);
        // A first open and query compile what the timed ones run, so that no thread starts late.
        using (var warm = Open(store)) Assert.NotNull(Datalog.Q(Query, warm.Db, 1L));

        store.Delay = RoundTrip;
        store.Reset();
        // Reads that load ahead run on the thread pool; under the whole suite its threads can all be busy,
        // and the pool then adds one only every half second or so, which would split a batch of reads that
        // starts together into two round trips. Enough threads from the start keep the batch one.
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), io);
        using var reader = Open(store, Config(cacheBytes: 64 << 20));
        var db = reader.Db;
        int open = store.SequentialRoundTrips;
        var state = db.State;
        Assert.True(state.Schema.TryGet(K("id"), out var id));
        int levelsBelowRoot = state.Avet.Partition(id.Id)!.Root.Height;
        // The first entity's datom is the oldest: in the tree's first leaf, not in the tail where the newest wait.
        var first = Datalog.Q(Query, db, 0L);
        int query = store.SequentialRoundTrips - open;
        ThreadPool.SetMinThreads(workers, io);
        output.WriteLine($"{entities} entities: open {open} round trips, the point query {query} ({levelsBelowRoot} levels below the root), {store.Reads} reads");

        Assert.Equal(0L, Datalog.Q("[:find ?id . :in $ ?e :where [?e :id ?id]]", db, first));
        Assert.Equal(3, open);
        Assert.Equal(levelsBelowRoot, query);
    }

    [Fact]
    public void A_head_on_a_server_carries_its_commit_record_and_a_head_on_disk_does_not()
    {
        var server = new MemoryStore(appendsInPlace: false);
        var disk = new MemoryStore(appendsInPlace: true);
        Build(server, 10);
        Build(disk, 10);

        var head = HeadOf(server);
        Assert.NotNull(head.Record);
        using var commits = new StoredCommitLog(new UnownedStore(server), 1 << 20);
        Assert.Equal(commits.Nodes.ReadObject(head.Address), head.Record);
        Assert.Null(HeadOf(disk).Record);
    }

    [Fact]
    public void A_damaged_commit_record_in_a_head_is_corruption_named_by_the_head()
    {
        var store = new MemoryStore(appendsInPlace: false);
        Build(store, 10);
        var bytes = store.Get("heads/db")!;
        // The head's own envelope is sealed afresh, so that only the record inside it is damaged.
        var payload = Envelope.Open(bytes, "heads/db", Envelope.KindHead).ToArray();
        payload[^10] ^= 0x20;
        store.Put("heads/db", Envelope.Seal(Envelope.KindHead, payload));

        var error = Assert.Throws<CorruptionException>(() =>
        {
            using var reader = Open(store);
            _ = reader.Db;
        });
        Assert.Contains("heads/db", error.Message);
    }

    [Fact]
    public void A_reader_sees_a_commit_made_while_it_was_opening()
    {
        var store = new RoundTripStore(new MemoryStore(appendsInPlace: false));
        using var writer = Create(store, Config());
        writer.Transact("[{:db/ident :id :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}]");
        writer.Transact("[{:id 1}]");
        store.Delay = TimeSpan.FromMilliseconds(20);
        using var reader = Open(store);
        // The reader found the head at one commit and began loading it; the writer moves on before its first use.
        writer.Transact("[{:id 2}]");
        Assert.Equal(2L, Datalog.Q("[:find (count ?e) . :where [?e :id]]", reader.Db));
    }

    private static void Build(IKeyValueStore store, int entities)
    {
        using var conn = Create(store, Config());
        conn.Transact("[{:db/ident :id :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}" +
                      " {:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
        for (int from = 0; from < entities; from += 10_000)
        {
            var tx = new StringBuilder("[");
            for (int i = from; i < Math.Min(entities, from + 10_000); i++) tx.Append("{:id ").Append(i).Append(" :name \"person ").Append(i).Append("\"}");
            conn.Transact(tx.Append(']').ToString());
        }
    }

    private static HeadRecord HeadOf(IKeyValueStore store) =>
        HeadRecord.Read(Envelope.Open(store.Get("heads/db")!, "heads/db", Envelope.KindHead)) ?? throw new InvalidOperationException("no head");

}
