using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using Hike.Api;
using Hike.Edn;
using Hike.Testing;

namespace Hike.Tests.Durability;

/// <summary>
/// Keeps docs/storage-format.md true: reads a committed file-store database with a decoder written
/// from that page's field offsets alone, never through Hike's codec classes, so a field that moves in
/// the code and not on the page (or the other way round) fails here. Each step names the page's section.
/// </summary>
public sealed class StorageFormatTests
{
    private const string Schema = """
        [{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
         {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
         {:db/ident :friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}
         {:db/ident :text :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]
        """;

    private static readonly string LargeText = string.Concat(Enumerable.Repeat("a value stored out of line; ", 60));

    [Fact]
    public async Task A_committed_database_reads_back_with_the_storage_format_page_alone()
    {
        using var dir = new TempDirectory();
        Directory.Delete(dir.Path);
        var config = new DatabaseConfig { Store = StoreConfig.File(dir.Path), InitialTx = EdnReader.Read(Schema), CacheBytes = 1 << 20 };
        long adaTx, bobTx, retractTx, largeTx, featureTx, ada, bob;
        using (var main = await Database.CreateAndConnectAsync(config))
        {
            adaTx = main.Transact("[{:name \"Ada\" :age 36}]").Tx;
            ada = (long)main.Db.Entid("[:name \"Ada\"]")!;
            bobTx = main.Transact("[{:name \"Bob\" :friend [:name \"Ada\"]}]").Tx;
            bob = (long)main.Db.Entid("[:name \"Bob\"]")!;
            retractTx = main.Transact("[[:db/retract [:name \"Ada\"] :age 36]]").Tx;
            largeTx = main.Transact($"[{{:name \"Large\" :text \"{LargeText}\"}}]").Tx;
            await main.BranchAsync(Keyword.Intern("db"), Keyword.Intern("feature"));
            using var feature = await Database.ConnectAsync(config with { Branch = Keyword.Intern("feature") });
            featureTx = feature.Transact("[{:name \"Feature only\"}]").Tx;
            feature.Release();
            main.Release();
        }
        var store = new StoreReader(dir.Path);

        // Conventions: the checksum is CRC-32C, whose check value the page gives.
        Assert.Equal(0xE3069283u, Crc32C("123456789"u8));

        // Keys: `format` is an envelope of kind 23 holding varint 3; `config` one of kind 21 holding EDN text.
        var format = new Cursor(store.Object(store.Key("format"), 0, kind: 23));
        Assert.Equal(3UL, format.VarUInt());
        Assert.True(format.AtEnd);
        Assert.StartsWith("{", Encoding.UTF8.GetString(store.Object(store.Key("config"), 0, kind: 21)), StringComparison.Ordinal);

        // `branches`: an envelope of kind 20 holding a set of keywords.
        var branches = (HashSet<object?>)Cursor.Value(store.Object(store.Key("branches"), 0, kind: 20));
        Assert.Equal([":db", ":feature"], branches.Cast<string>().Order(StringComparer.Ordinal));

        // Heads, then the commit records they name, then each record's pack.
        var mainHead = store.Head("db");
        var featureHead = store.Head("feature");
        var mainCommit = store.Commit(mainHead.Address);
        var featureCommit = store.Commit(featureHead.Address);
        Assert.Equal(mainHead.Id, mainCommit[":id"]);
        Assert.Equal(featureHead.Id, featureCommit[":id"]);
        Assert.Equal(largeTx, mainCommit[":max-tx"]);
        Assert.Equal(featureTx, featureCommit[":max-tx"]);
        // The feature commit's first parent is main's head (the branch was made from it).
        Assert.Equal([mainHead.Id], ((List<object?>)featureCommit[":parents"]!).Cast<Guid>());
        Assert.Equal(mainHead.Id, featureHead.PreviousId);
        Assert.Equal(mainHead.Address, featureHead.PreviousAddress);
        Assert.Equal(mainHead.Address, Address((byte[])((List<object?>)featureCommit[":parent-addresses"]!)[0]!));
        store.CheckPack(mainHead);
        store.CheckPack(featureHead);

        // History: following first parents from main's head passes every transaction's commit.
        var txs = new List<long>();
        for (var commit = mainCommit; ; )
        {
            txs.Add((long)commit[":max-tx"]!);
            var parents = (List<object?>)commit[":parent-addresses"]!;
            if (parents.Count == 0) break;
            commit = store.Commit(Address((byte[])parents[0]!));
        }
        Assert.Equal(new[] { largeTx, retractTx, bobTx, adaTx }, txs.Take(4));

        // Schema (kind 17): [next-attr-id [[id ident eid type ...] ...] idents]; the indices hold attribute ids.
        var schema = (List<object?>)Cursor.Value(store.Object(Address((byte[])mainCommit[":schema"]!), kind: 17));
        var attributeIds = ((List<object?>)schema[1]!).Cast<List<object?>>().ToDictionary(a => (string)a[1]!, a => (long)a[0]!);
        long name = attributeIds[":name"], age = attributeIds[":age"], friend = attributeIds[":friend"], text = attributeIds[":text"];

        // Datoms: EAVT is the first of the six indices, its temporal twin the fourth.
        var indexes = (List<object?>)mainCommit[":indexes"]!;
        Assert.Equal(6, indexes.Count);
        var eavt = store.Datoms((List<object?>)indexes[0]!);
        var temporalEavt = store.Datoms((List<object?>)indexes[3]!);
        Assert.Equal((long)((List<object?>)indexes[0]!)[0]!, eavt.Count);
        Assert.Contains(new Datom(ada, name, "Ada", adaTx, true), eavt);
        Assert.Contains(new Datom(bob, friend, ada, bobTx, true), eavt);
        Assert.DoesNotContain(eavt, d => d.E == ada && d.A == age);
        Assert.Contains(new Datom(ada, age, 36L, adaTx, true), temporalEavt);
        Assert.Contains(new Datom(ada, age, 36L, retractTx, false), temporalEavt);
        var large = Assert.Single(eavt, d => d.A == text);
        Assert.Equal(new Datom(large.E, text, LargeText, largeTx, true), large);
        Assert.True(store.ValuesReadOutOfLine > 0, "the large text was expected as a reference to an object of kind 3");
        // The feature branch sees its own datom; main does not.
        Assert.Contains(store.Datoms((List<object?>)((List<object?>)featureCommit[":indexes"]!)[0]!), d => d.A == name && Equals(d.V, "Feature only"));
        Assert.DoesNotContain(eavt, d => Equals(d.V, "Feature only"));
    }

    /// <summary>An address from its 16 stored bytes (uint128, little-endian).</summary>
    private static UInt128 Address(byte[] bytes) => BinaryPrimitives.ReadUInt128LittleEndian(bytes);

    private readonly record struct Datom(long E, long A, object? V, long Tx, bool Added);

    private readonly record struct Head(Guid Id, UInt128 Address, Guid PreviousId, UInt128 PreviousAddress, long PackStart, long PackEnd);

    /// <summary>Reads the store's files as the page describes them.</summary>
    private sealed class StoreReader(string root)
    {
        public int ValuesReadOutOfLine { get; private set; }

        /// <summary>A key's value: the file's bytes, or the newer valid slot of a slot file ("Heads").</summary>
        public byte[] Key(string key)
        {
            var file = File.ReadAllBytes(Path.Combine(root, key));
            if (file.Length < 48 || !file.AsSpan(0, 8).SequenceEqual("HkSlots\u0001"u8)) return file;
            byte[]? newest = null;
            ulong newestSequence = 0;
            int slotSize = file.Length / 2;
            for (int s = 0; s < 2; s++)
            {
                var slot = file.AsSpan(s * slotSize, slotSize);
                if (slot.IndexOfAnyExcept((byte)0) < 0) continue;
                Assert.True(slot.StartsWith("HkSlots\u0001"u8), $"{key}: slot {s} is neither empty nor a slot");
                ulong sequence = BinaryPrimitives.ReadUInt64LittleEndian(slot[8..]);
                int length = BinaryPrimitives.ReadInt32LittleEndian(slot[16..]);
                var value = slot.Slice(24, length);
                Assert.Equal(BinaryPrimitives.ReadUInt32LittleEndian(slot[20..]), Crc32C(value, Crc32C(slot[8..20])));
                if (newest is null || sequence > newestSequence) (newest, newestSequence) = (value.ToArray(), sequence);
            }
            return newest ?? throw new InvalidOperationException($"{key} has no slot with a value");
        }

        /// <summary>The payload of the envelope at <paramref name="at"/>, after checking its frame ("Envelopes").</summary>
        public byte[] Object(byte[] bytes, int at, byte kind)
        {
            Assert.Equal((byte)'H', bytes[at]);
            Assert.Equal((byte)'k', bytes[at + 1]);
            Assert.Equal(1, bytes[at + 2]);
            Assert.Equal(kind, bytes[at + 3]);
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 4));
            Assert.Equal(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8 + length)), Crc32C(bytes.AsSpan(at, 8 + length)));
            return bytes.AsSpan(at + 8, length).ToArray();
        }

        /// <summary>The payload of the object at <paramref name="address"/>: segment in the high 64 bits, offset in bits 28..62, length in bits 0..27.</summary>
        public byte[] Object(UInt128 address, byte kind)
        {
            var (segment, offset, length) = Locate(address);
            var bytes = File.ReadAllBytes(Path.Combine(root, segment));
            Assert.Equal(length, Envelope(bytes, offset).Length);
            return Object(bytes, (int)offset, kind);
        }

        private static byte[] Envelope(byte[] segment, long offset) =>
            segment.AsSpan((int)offset, 12 + (int)BinaryPrimitives.ReadUInt32LittleEndian(segment.AsSpan((int)offset + 4))).ToArray();

        public static (string Segment, long Offset, int Length) Locate(UInt128 address)
        {
            ulong low = (ulong)address;
            return ($"packs/{(ulong)(address >> 64):x16}", (long)((low >> 28) & ((1UL << 35) - 1)), (int)(low & ((1UL << 28) - 1)));
        }

        /// <summary>A head: an envelope of kind 19 holding 80 bytes ("Heads").</summary>
        public Head Head(string branch)
        {
            var bytes = Object(Key($"heads/{branch}"), 0, kind: 19);
            Assert.Equal(80, bytes.Length);
            return new Head(
                new Guid(bytes.AsSpan(0, 16)), BinaryPrimitives.ReadUInt128LittleEndian(bytes.AsSpan(16)),
                new Guid(bytes.AsSpan(32, 16)), BinaryPrimitives.ReadUInt128LittleEndian(bytes.AsSpan(48)),
                BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(64)), BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(72)));
        }

        /// <summary>A commit record: an envelope of kind 16 holding a map ("Commit records and schemas").</summary>
        public Dictionary<object, object?> Commit(UInt128 address) => (Dictionary<object, object?>)Cursor.Value(Object(address, kind: 16));

        /// <summary>
        /// Checks the pack a head names ("Segments and packs"): its header's magic, length and checksum,
        /// its index (each listed object a whole envelope), and that its last object is the commit record.
        /// </summary>
        public void CheckPack(Head head)
        {
            var (segmentKey, recordOffset, recordLength) = Locate(head.Address);
            var segment = File.ReadAllBytes(Path.Combine(root, segmentKey));
            Assert.True(head.PackEnd > head.PackStart, "a head written by its commit records its pack");
            var pack = segment.AsSpan((int)head.PackStart, (int)(head.PackEnd - head.PackStart));
            Assert.Equal(0x6b506b48u, BinaryPrimitives.ReadUInt32LittleEndian(pack));
            Assert.Equal((uint)pack.Length, BinaryPrimitives.ReadUInt32LittleEndian(pack[4..]));
            Assert.Equal(BinaryPrimitives.ReadUInt32LittleEndian(pack[8..]), Crc32C(pack[12..], Crc32C(pack[..8])));
            int indexLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(pack[^4..]);
            long indexAt = head.PackEnd - 4 - indexLength;
            var index = new Cursor(Object(segment, (int)indexAt, kind: 22));
            ulong count = index.VarUInt();
            var objects = new List<(long Offset, long Length)>();
            for (ulong i = 0; i < count; i++) objects.Add(((long)index.VarUInt(), (long)index.VarUInt()));
            Assert.True(index.AtEnd);
            Assert.Equal(head.PackStart + 12, objects[0].Offset);
            Assert.Equal((recordOffset, (long)recordLength), objects[^1]);
            Assert.Equal(indexAt, recordOffset + recordLength);
            long expected = head.PackStart + 12;
            foreach (var (offset, length) in objects)
            {
                Assert.Equal(expected, offset);
                Assert.Equal(length, Envelope(segment, offset).Length);
                Object(segment, (int)offset, segment[offset + 3]);
                expected = offset + length;
            }
        }

        /// <summary>
        /// Every datom ("Index nodes, chunks and datoms") of an index stored as [count [chunk-address ...]]: each chunk (kind 18) is entries of
        /// slot byte, root address (fixed64 low, fixed64 high) and the partition's tail as a leaf's payload.
        /// </summary>
        public List<Datom> Datoms(List<object?> index)
        {
            var datoms = new List<Datom>();
            foreach (var chunk in (List<object?>)index[1]!)
            {
                if (chunk is null) continue;
                var entries = new Cursor(Object(Address((byte[])chunk), kind: 18));
                while (!entries.AtEnd)
                {
                    Assert.InRange(entries.Byte(), 0, 15);
                    var rootAddress = entries.Address();
                    if (rootAddress != UInt128.Zero) Node(rootAddress, datoms);
                    Leaf(ref entries, datoms);
                }
            }
            return datoms;
        }

        /// <summary>A leaf (kind 1) or branch (kind 2) and every node below it; the hint bit 63 is cleared first.</summary>
        private void Node(UInt128 address, List<Datom> datoms)
        {
            address &= ~(UInt128)(1UL << 63);
            var (segment, offset, _) = Locate(address);
            byte kind = File.ReadAllBytes(Path.Combine(root, segment))[offset + 3];
            var node = new Cursor(Object(address, kind));
            if (kind == 1)
            {
                Leaf(ref node, datoms);
            }
            else
            {
                Assert.Equal(2, kind);
                node.VarUInt(); // height
                ulong n = node.VarUInt();
                long e = 0, tx = 0;
                for (ulong i = 0; i < n; i++)
                {
                    DatomAt(ref node, ref e, ref tx); // the child's max datom
                    node.VarUInt(); // the child's count
                    Node(node.Address(), datoms);
                }
            }
            Assert.True(node.AtEnd);
        }

        private void Leaf(ref Cursor node, List<Datom> datoms)
        {
            ulong n = node.VarUInt();
            long e = 0, tx = 0;
            for (ulong i = 0; i < n; i++) datoms.Add(DatomAt(ref node, ref e, ref tx));
        }

        /// <summary>zigzag ΔE, varint (A &lt;&lt; 1 | added), zigzag ΔTx, then a value or tag 32 and a value's address.</summary>
        private Datom DatomAt(ref Cursor node, ref long e, ref long tx)
        {
            e += node.VarInt();
            ulong attrOp = node.VarUInt();
            tx += node.VarInt();
            object? v;
            if (node.Peek() == 32)
            {
                node.Byte();
                v = Cursor.Value(Object(node.Address(), kind: 3));
                ValuesReadOutOfLine++;
            }
            else
            {
                v = node.Value();
            }
            return new Datom(e, (long)(attrOp >> 1), v, tx, (attrOp & 1) == 1);
        }
    }

    /// <summary>
    /// Reads varints (LEB128), zigzag varints, fixed little-endian numbers and the tagged values the
    /// page lists; keywords come back as ":ns/name" strings, vectors as lists, maps as dictionaries.
    /// </summary>
    private ref struct Cursor(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _at;

        public readonly bool AtEnd => _at == _bytes.Length;

        public static object Value(byte[] payload)
        {
            var cursor = new Cursor(payload);
            var value = cursor.Value();
            Assert.True(cursor.AtEnd);
            return value!;
        }

        public readonly byte Peek() => _bytes[_at];

        public byte Byte() => _bytes[_at++];

        public ulong VarUInt()
        {
            ulong value = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = Byte();
                value |= (ulong)(b & 0x7f) << shift;
                if (b < 0x80) return value;
            }
        }

        public long VarInt()
        {
            ulong z = VarUInt();
            return (long)(z >> 1) ^ -(long)(z & 1);
        }

        public ulong Fixed64()
        {
            ulong value = BinaryPrimitives.ReadUInt64LittleEndian(_bytes[_at..]);
            _at += 8;
            return value;
        }

        public UInt128 Address()
        {
            ulong low = Fixed64();
            return new UInt128(Fixed64(), low);
        }

        private ReadOnlySpan<byte> Take(int n)
        {
            var taken = _bytes.Slice(_at, n);
            _at += n;
            return taken;
        }

        private string Text()
        {
            ulong header = VarUInt();
            Assert.Equal(0UL, header & 1); // form 0: UTF-8
            return Encoding.UTF8.GetString(Take((int)(header >> 1)));
        }

        public object? Value()
        {
            byte tag = Byte();
            switch (tag)
            {
                case 0: return null;
                case 1: return false;
                case 2: return true;
                case 3: return VarInt();
                case 16: return Text();
                case 17: return ":" + Text();
                case 19: return new DateTime((long)Fixed64(), DateTimeKind.Utc);
                case 21: return new Guid(Take(16));
                case 22: return Take((int)VarUInt()).ToArray();
                case 25:
                {
                    var list = new List<object?>();
                    for (ulong n = VarUInt(); n > 0; n--) list.Add(Value());
                    return list;
                }
                case 29:
                {
                    var set = new HashSet<object?>();
                    for (ulong n = VarUInt(); n > 0; n--) set.Add(Value());
                    return set;
                }
                case 30:
                {
                    var map = new Dictionary<object, object?>();
                    for (ulong n = VarUInt(); n > 0; n--) map.Add(Value()!, Value());
                    return map;
                }
                default:
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"tag {tag} is not one this test stores"));
            }
        }
    }

    /// <summary>CRC-32C (Castagnoli), byte by byte; pass a previous result to continue over a second span.</summary>
    private static uint Crc32C(ReadOnlySpan<byte> data, uint previous = 0)
    {
        uint crc = ~previous;
        foreach (byte b in data) crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }
}
