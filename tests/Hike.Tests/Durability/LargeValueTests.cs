using System.Numerics;
using Hike.Api;
using Hike.Db;
using Hike.Edn;
using Hike.Index.Codec;
using Hike.Index.Stored;
using Hike.Index.Tree;
using Hike.Storage;
using Hike.Testing;
using Xunit.Abstractions;
using static Hike.Tests.Durability.DurableFixture;

namespace Hike.Tests.Durability;

public sealed class LargeValueTests(ITestOutputHelper output)
{
    private const string DocSchema = "[{:db/ident :n :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique :db.unique/identity} {:db/ident :doc :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]";

    [Fact]
    public void A_one_megabyte_value_is_written_once_however_many_commits_follow()
    {
        var counting = new CountingStore(new MemoryStore());
        var doc = new string('x', 1 << 20);
        using (var conn = Create(counting, Config() with { InitialTx = EdnReader.Read(DocSchema) }))
        {
            long before = counting.BytesWritten;
            conn.Transact(EdnVector.Create(EdnMap.Of(K("n"), 0L, K("doc"), doc)));
            long large = counting.BytesWritten - before;
            for (int i = 1; i <= 100; i++) conn.Transact($"[{{:n {i} :doc \"small {i}\"}}]");
            long small = counting.BytesWritten - before - large;
            // Once: the commit of the value writes it once (not once per index), and the hundred
            // commits after it, which rewrite the tails that hold its datom, write less than it.
            Assert.InRange(large, doc.Length, doc.Length + (64 << 10));
            Assert.InRange(small, 1, doc.Length / 2);
        }
        using var reopened = Open(counting);
        Assert.Equal(doc, Datalog.Q("[:find ?d . :where [?e :n 0] [?e :doc ?d]]", reopened.Db));
        Assert.Equal(101L, Datalog.Q("[:find (count ?e) . :where [?e :doc]]", reopened.Db));
    }

    [Fact]
    public async Task Large_values_of_every_kind_round_trip_through_the_file_store_with_history_and_as_of()
    {
        using var dir = new TempDirectory();
        Directory.Delete(dir.Path);
        var config = new DatabaseConfig { Store = StoreConfig.File(dir.Path), SchemaFlexibility = SchemaFlexibility.Read, InitialTx = EdnReader.Read(DocSchema), CacheBytes = 1 << 16 };
        var first = LargeValues(1);
        var second = LargeValues(2);
        long firstTx;
        using (var conn = await Database.CreateAndConnectAsync(config))
        {
            firstTx = conn.Transact(Changes(null, first)).DbAfter.MaxTx;
            conn.Transact(Changes(first, second));
        }
        using var reopened = await Database.ConnectAsync(config);
        var db = reopened.Db;
        foreach (var (attr, value) in second) Assert.Equal(value, Value(db, attr), ValueEquality.Instance);
        var asOf = db.AsOf(firstTx);
        foreach (var (attr, value) in first) Assert.Equal(value, Value(asOf, attr), ValueEquality.Instance);
        foreach (var (attr, value) in first)
        {
            // The history holds the first value's assertion and its retraction.
            var history = db.History().Datoms(IndexType.Aevt, K(attr)).Where(d => ValueEquality.Instance.Equals(d.V, value)).ToList();
            Assert.Equal([true, false], history.Select(d => d.Added).Order().Reverse());
        }
        ReadEverything(db);
    }

    [Fact]
    public async Task Gc_keeps_a_large_value_still_referenced_and_deletes_one_no_longer_referenced()
    {
        using var dir = new TempDirectory();
        Directory.Delete(dir.Path);
        var config = new DatabaseConfig { Store = StoreConfig.File(dir.Path), InitialTx = EdnReader.Read(DocSchema), KeepHistory = false, CacheBytes = 1 << 16 };
        var kept = new string('k', 100_000);
        var dropped = new string('d', 100_000);
        using (var conn = await Database.CreateAndConnectAsync(config))
        {
            conn.Transact(EdnVector.Create(EdnMap.Of(K("n"), 1L, K("doc"), kept), EdnMap.Of(K("n"), 2L, K("doc"), dropped)));
            conn.Transact("[{:n 2 :doc \"short\"}]");
            Assert.Equal([dropped, kept], StoredValues(dir.Path).Order());
            await Task.Delay(20);
            await conn.GcStorageAsync(DateTime.UtcNow);
            Assert.Equal([kept], StoredValues(dir.Path));

            // The writer still holds the deleted value's instance: storing it again writes it again.
            conn.Transact(EdnVector.Create(EdnMap.Of(K("n"), 3L, K("doc"), dropped)));
            Assert.Equal([dropped, kept], StoredValues(dir.Path).Order());
        }
        using var reopened = await Database.ConnectAsync(config);
        Assert.Equal(kept, Datalog.Q("[:find ?d . :where [?e :n 1] [?e :doc ?d]]", reopened.Db));
        Assert.Equal(dropped, Datalog.Q("[:find ?d . :where [?e :n 3] [?e :doc ?d]]", reopened.Db));
        ReadEverything(reopened.Db);
    }

    [Fact]
    public async Task Gc_finds_a_large_value_in_tree_leaves_and_reads_no_other_leaf()
    {
        var disk = new MemoryStore();
        var counting = new CountingStore(disk);
        var kept = new string('k', 50_000);
        using (var conn = Create(counting, Config(cacheBytes: 1 << 16) with { InitialTx = EdnReader.Read(DocSchema), KeepHistory = false }))
        {
            conn.Transact(EdnVector.Create(EdnMap.Of(K("n"), 0L, K("doc"), kept)));
            // Later entities push the value's datoms out of the tails into the trees' leaves.
            for (int start = 1; start < 6_000; start += 1_000)
            {
                conn.Transact("[" + string.Concat(Enumerable.Range(start, 1_000).Select(i => $"{{:n {i} :doc \"small {i}\"}}")) + "]");
            }
            await Task.Delay(20);
            int leafReads = counting.ObjectReads[Envelope.KindLeaf];
            await conn.GcStorageAsync(DateTime.UtcNow);
            leafReads = counting.ObjectReads[Envelope.KindLeaf] - leafReads;
            int leaves = AllObjects(disk).Count(kind => kind == Envelope.KindLeaf);
            Assert.True(leaves > 300, $"{leaves} leaves");
            // The leaves holding the value (in EAVT and AEVT), and the roots that are leaves.
            Assert.InRange(leafReads, 2, 12);
        }
        Assert.Equal([kept], ValueObjects(disk).Select(v => v.Value));
        using var reopened = Open(disk);
        Assert.Equal(kept, Datalog.Q("[:find ?d . :where [?e :n 0] [?e :doc ?d]]", reopened.Db));
        ReadEverything(reopened.Db);
    }

    [Fact]
    public async Task Collections_running_beside_a_writer_that_stores_the_same_instances_again_and_again_leave_every_reference_whole()
    {
        var random = new Random(TestSeed.Next(output.WriteLine));
        using var dir = new TempDirectory();
        Directory.Delete(dir.Path);
        var config = new DatabaseConfig { Store = StoreConfig.File(dir.Path), InitialTx = EdnReader.Read(DocSchema), KeepHistory = false, CacheBytes = 1 << 16 };
        // A few instances, each stored, dropped, collected and stored again by the writer many times.
        var pool = Enumerable.Range(0, 6).Select(i => new string((char)('a' + i), 2_000 + i)).ToArray();
        var model = new Dictionary<long, string>();
        using (var conn = await Database.CreateAndConnectAsync(config))
        {
            using var stop = new CancellationTokenSource();
            var collecting = Task.Run(async () =>
            {
                int collections = 0;
                while (!stop.IsCancellationRequested || collections < 3)
                {
                    await conn.GcStorageAsync(DateTime.UtcNow);
                    collections++;
                }
                return collections;
            });
            for (int i = 0; i < 200; i++)
            {
                long n = random.Next(3);
                if (random.Next(3) == 0 && model.Remove(n))
                {
                    await conn.TransactAsync(EdnVector.Create(EdnVector.Create(K("db/retractEntity"), EdnVector.Create(K("n"), n))));
                    continue;
                }
                var doc = pool[random.Next(pool.Length)];
                model[n] = doc;
                await conn.TransactAsync(EdnVector.Create(EdnMap.Of(K("n"), n, K("doc"), doc)));
            }
            stop.Cancel();
            Assert.True(await collecting >= 3);
        }
        using var reopened = await Database.ConnectAsync(config);
        ReadEverything(reopened.Db);
        var stored = ((IEnumerable<object?>)Datalog.Q("[:find ?n ?d :where [?e :n ?n] [?e :doc ?d]]", reopened.Db)!).Cast<IReadOnlyList<object?>>().ToDictionary(r => (long)r[0]!, r => (string)r[1]!);
        Assert.Equal(model.OrderBy(p => p.Key), stored.OrderBy(p => p.Key));
    }

    [Fact]
    public void A_bit_flip_in_a_value_object_is_a_corruption_naming_it()
    {
        var disk = new MemoryStore();
        using (var conn = Create(disk, Config() with { InitialTx = EdnReader.Read(DocSchema) }))
        {
            conn.Transact(EdnVector.Create(EdnMap.Of(K("n"), 1L, K("doc"), new string('v', 10_000))));
            // A later commit, so that the damaged pack is not the head's (whose pack is checked whole on opening).
            conn.Transact("[{:n 2}]");
        }
        var (address, _) = Assert.Single(ValueObjects(disk));
        var (pack, offset, length) = Packs.Locate(address);
        var bytes = disk.Get(Packs.Key(pack))!;
        bytes[offset + length / 2] ^= 0x04;
        disk.Put(Packs.Key(pack), bytes);
        using var reopened = Open(disk);
        var error = Assert.Throws<CorruptionException>(() => Datalog.Q("[:find ?d . :where [?e :n 1] [?e :doc ?d]]", reopened.Db));
        Assert.Equal(Packs.Describe(address), error.Key);
        Assert.Contains("checksum", error.Message);
    }

    [Fact]
    public async Task A_commit_that_cannot_be_stored_leaves_nothing_behind_for_the_next_one()
    {
        var disk = new MemoryStore();
        // A list the transactor checked, spoiled by a transaction function later in the same group:
        // the store has no encoding for it, so the group's commit fails after its pack stored the
        // document and rewrote nodes; the commits after it reuse those places.
        var bad = new List<object?> { "fine" };
        var functions = new FunctionRegistry().RegisterTxFunction(K("spoil"), (_, _) =>
        {
            if (bad.Count == 1) bad.Add(new System.Text.StringBuilder("no encoding"));
            return new List<object?>();
        });
        using var conn = Create(disk, Config(cacheBytes: 64 << 20) with { SchemaFlexibility = SchemaFlexibility.Read, InitialTx = EdnReader.Read(DocSchema), Functions = functions });
        conn.Transact("[" + string.Concat(Enumerable.Range(0, 3_000).Select(i => $"{{:n {i} :s \"entity {i}\"}}")) + "]");
        var doc = new string('y', 5_000);
        var gate = WriterGate.Hold(conn);
        var culprit = conn.TransactAsync(EdnVector.Create(
            EdnVector.Create(K("db/add"), EdnVector.Create(K("n"), 7L), K("doc"), doc),
            EdnVector.Create(K("db/add"), EdnVector.Create(K("n"), 1_500L), K("s"), "changed"),
            EdnVector.Create(K("db/add"), EdnVector.Create(K("n"), 2_999L), K("bad"), EdnVector.Create(bad))));
        var spoiler = conn.TransactAsync("[[:spoil]]");
        gate.Set();
        Assert.Equal("transact/schema", (await Assert.ThrowsAsync<HikeException>(() => culprit)).Code);
        await spoiler;
        conn.Transact(EdnVector.Create(
            EdnVector.Create(K("db/add"), EdnVector.Create(K("n"), 7L), K("doc"), doc),
            EdnVector.Create(K("db/add"), EdnVector.Create(K("n"), 1_600L), K("s"), "changed")));
        foreach (var db in new[] { conn.Db, Open(disk).Db })
        {
            Assert.Equal(doc, Datalog.Q("[:find ?d . :where [?e :n 7] [?e :doc ?d]]", db));
            Assert.Equal([1_600L], (IEnumerable<object?>)Datalog.Q("[:find [?n ...] :where [?e :s \"changed\"] [?e :n ?n]]", db)!);
            Assert.Equal("entity 1500", Datalog.Q("[:find ?s . :where [?e :n 1500] [?e :s ?s]]", db));
            ReadEverything(db);
        }
        Assert.Equal([doc], ValueObjects(disk).Select(v => v.Value));
    }

    /// <summary>
    /// One value of each kind that can be long, each longer than <see cref="Hike.Index.Codec.LargeValues.InlineLimit"/>
    /// once encoded but the last (just under it), one attribute each, varying with <paramref name="round"/>.
    /// </summary>
    private static List<(string Attr, object Value)> LargeValues(int round)
    {
        var random = new Random(round);
        var bytes = new byte[200_000];
        random.NextBytes(bytes);
        return
        [
            ("text", string.Concat(Enumerable.Repeat($"Grüße {round} — ", 10_000))),
            ("bytes", bytes),
            ("floats", Enumerable.Range(0, 5_000).Select(i => (float)(i * round)).ToArray()),
            ("doubles", Enumerable.Range(0, 5_000).Select(i => i * round / 3.0).ToArray()),
            ("big", BigInteger.Pow(7 + round, 5_000)),
            ("kw", Keyword.Intern("large", new string((char)('a' + round), 3_000))),
            ("map", EdnMap.Create(Enumerable.Range(0, 500).Select(i => new KeyValuePair<object?, object?>((long)i, $"entry {i} of {round}")))),
            ("set", EdnSet.Create(Enumerable.Range(0, 1_000).Select(i => (object?)(long)(i * round)))),
            // Just above and at the limit.
            ("edge-out", new string('o', LargeValuesLimit - 1 + round)),
            ("edge-in", new string('i', LargeValuesLimit - 4 - round)),
        ];
    }

    private const int LargeValuesLimit = Hike.Index.Codec.LargeValues.InlineLimit;

    /// <summary>Replaces <paramref name="old"/> (when given) with <paramref name="values"/> on entity <c>[:n 1]</c>.</summary>
    private static EdnVector Changes(List<(string Attr, object Value)>? old, List<(string Attr, object Value)> values)
    {
        var ops = new List<object?> { EdnMap.Of(K("n"), 1L) };
        foreach (var (attr, value) in old ?? []) ops.Add(EdnVector.Create(K("db/retract"), EdnVector.Create(K("n"), 1L), K(attr), value));
        foreach (var (attr, value) in values) ops.Add(EdnVector.Create(K("db/add"), EdnVector.Create(K("n"), 1L), K(attr), value));
        return EdnVector.From(ops);
    }

    private static object? Value(Database db, string attr) =>
        Assert.Single(db.Datoms(IndexType.Aevt, K(attr))).V;

    /// <summary>The values stored out of line under <paramref name="path"/> that garbage collection left.</summary>
    private static List<string> StoredValues(string path)
    {
        using var store = new FileStore(path);
        return [.. ValueObjects(store).Select(v => (string)v.Value)];
    }

    /// <summary>The kinds of the objects in <paramref name="store"/> whose bytes are still there.</summary>
    private static List<byte> AllObjects(IKeyValueStore store) =>
        [.. store.List(Packs.Prefix).SelectMany(key => SegmentObjects(store, key).Select(o => store.GetRange(key, o.Offset, o.Length)![3]).Where(kind => kind != 0))];

    /// <summary>Every value object in <paramref name="store"/> whose bytes are still there, with its address.</summary>
    private static List<(NodeAddress Address, object Value)> ValueObjects(IKeyValueStore store)
    {
        var values = new List<(NodeAddress, object)>();
        foreach (var key in store.List(Packs.Prefix))
        {
            Assert.True(Packs.TryParseKey(key, out var pack));
            foreach (var (offset, length) in SegmentObjects(store, key))
            {
                var bytes = store.GetRange(key, offset, length)!;
                if (bytes[3] != Envelope.KindValue) continue;
                var address = Packs.Address(pack, offset, length);
                values.Add((address, ValueCodec.Decode(Envelope.Open(bytes, key, Envelope.KindValue), key)!));
            }
        }
        return values;
    }
}
