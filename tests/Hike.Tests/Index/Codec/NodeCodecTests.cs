using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using Hike.Edn;
using Hike.Index.Codec;
using Hike.Index.Datoms;
using Hike.Index.Stored;
using Hike.Index.Tree;
using Hike.Testing;
using Xunit.Abstractions;

namespace Hike.Tests.Index.Codec;

public sealed class NodeCodecTests(ITestOutputHelper output)
{
    private const string Key = "nodes/eavt/00ff";

    private static readonly object[] MixedValues =
    [
        42L, "Ivan", Keyword.Intern("person/name"), 1.5, 2.5f, true, 12.30m, BigInteger.Pow(2, 90), 'x',
        new DateTime(2021, 3, 4, 5, 6, 7, DateTimeKind.Utc), Guid.Parse("11111111-2222-3333-4444-555555555555"),
        new byte[] { 1, 2, 3 }, EdnVector.Create(1L, "a", null), Symbol.Intern("s/y"), "日本語", long.MinValue,
    ];

    [Fact]
    public void A_leaf_of_mixed_values_round_trips_to_equal_datoms()
    {
        var datoms = MixedDatoms(MixedValues.Length * 2);
        var leaf = new Leaf<IndexDatom>(datoms, datoms.Length, null);
        var back = Assert.IsType<Leaf<IndexDatom>>(NodeCodec.Decode(NodeCodec.Encode(leaf), Key));

        Assert.Equal(datoms.Length, back.Len);
        Assert.Equal(datoms.Length, back.Keys.Length);
        Assert.Null(back.Edit);
        Assert.False(back.Address.IsStored);
        AssertSameDatoms(datoms, back.Keys);
        Assert.Equal(datoms[^1], back.MaxKey);
    }

    [Fact]
    public void Datom_fields_at_their_limits_round_trip()
    {
        IndexDatom[] datoms =
        [
            new(long.MinValue, 0, 0L, 0, false),
            new(long.MaxValue, IndexDatom.MaxA, "x", IndexDatom.MaxTx, true),
            new(-1, 1, Keyword.Intern("a"), IndexDatom.MaxTx, false),
            new(long.MinValue, IndexDatom.MaxA, double.NaN, 0, true),
            new(0, 5, 7L, 536870913, true),
        ];
        var back = (Leaf<IndexDatom>)NodeCodec.Decode(NodeCodec.Encode(new Leaf<IndexDatom>(datoms, datoms.Length, null)), Key);
        AssertSameDatoms(datoms, back.Keys);
        Assert.Equal(long.MinValue, back.Keys[0].E);
        Assert.Equal(IndexDatom.MaxA, back.Keys[1].A);
        Assert.Equal(IndexDatom.MaxTx, back.Keys[1].Tx);
        Assert.False(back.Keys[2].Added);
    }

    [Fact]
    public void An_empty_leaf_round_trips()
    {
        var back = Assert.IsType<Leaf<IndexDatom>>(NodeCodec.Decode(NodeCodec.Encode(new Leaf<IndexDatom>([], 0, null)), Key));
        Assert.Equal(0, back.Len);
        Assert.Empty(back.Keys);
    }

    [Fact]
    public void A_leaf_with_spare_capacity_stores_only_its_elements()
    {
        var datoms = MixedDatoms(10);
        var roomy = new IndexDatom[48];
        Array.Copy(datoms, roomy, 10);
        var bytes = NodeCodec.Encode(new Leaf<IndexDatom>(roomy, 10, null));
        Assert.Equal(NodeCodec.Encode(new Leaf<IndexDatom>(datoms, 10, null)), bytes);
        var back = (Leaf<IndexDatom>)NodeCodec.Decode(bytes, Key);
        Assert.Equal(10, back.Keys.Length);
    }

    [Fact]
    public void A_tail_leaf_encodes_only_its_first_len_datoms()
    {
        var datoms = MixedDatoms(12);
        var tail = new TailLeaf<IndexDatom>(new TailBuffer<IndexDatom>(datoms, 12), 7);
        var bytes = NodeCodec.Encode(tail);

        Assert.Equal(NodeCodec.Encode(new Leaf<IndexDatom>(datoms[..7], 7, null)), bytes);
        var back = Assert.IsType<Leaf<IndexDatom>>(NodeCodec.Decode(bytes, Key));
        Assert.Equal(7, back.Len);
        AssertSameDatoms(datoms[..7], back.Keys);
    }

    [Fact]
    public void A_branch_round_trips_with_keys_counts_and_addresses()
    {
        var branch = SampleBranch();
        var back = Assert.IsType<Branch<IndexDatom>>(NodeCodec.Decode(NodeCodec.Encode(branch), Key));

        Assert.Equal(3, back.Height);
        Assert.Equal(3, back.Len);
        Assert.Equal(new long[] { 48, 1, 1_000_000_000_000 }, back.Counts);
        Assert.Equal(1_000_000_000_049, back.Count);
        Assert.Equal(branch.Addresses, back.Addresses);
        Assert.Equal(3, back.Children.Length);
        Assert.All(back.Children, c => Assert.Null(c));
        AssertSameDatoms(branch.MaxKeys, back.MaxKeys);
        Assert.Null(back.Edit);
        Assert.False(back.Address.IsStored);
    }

    [Fact]
    public void A_branch_takes_the_address_of_a_child_stored_after_it_was_built()
    {
        var datoms = MixedDatoms(4);
        var left = new Leaf<IndexDatom>(datoms[..2], 2, null) { Address = new NodeAddress(7) };
        var right = new Leaf<IndexDatom>(datoms[2..], 2, null) { Address = new NodeAddress(UInt128.MaxValue) };
        var branch = new Branch<IndexDatom>(1, [left.MaxKey, right.MaxKey], [left, right], [2, 2], null, 2, null);

        var back = (Branch<IndexDatom>)NodeCodec.Decode(NodeCodec.Encode(branch), Key);
        Assert.Equal(new[] { new NodeAddress(7), new NodeAddress(UInt128.MaxValue) }, back.Addresses);
        Assert.Equal(4, back.Count);
    }

    [Fact]
    public void A_branch_with_an_unstored_child_cannot_be_encoded()
    {
        var datoms = MixedDatoms(4);
        var left = new Leaf<IndexDatom>(datoms[..2], 2, null) { Address = new NodeAddress(7) };
        var right = new Leaf<IndexDatom>(datoms[2..], 2, null);
        var branch = new Branch<IndexDatom>(1, [left.MaxKey, right.MaxKey], [left, right], [2, 2], new NodeAddress[2], 2, null);

        var e = Assert.Throws<InvalidOperationException>(() => NodeCodec.Encode(branch));
        Assert.Contains("child 1 is not stored", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Flipping_any_bit_of_a_leaf_is_detected_as_corruption()
    {
        var datoms = MixedDatoms(5);
        AssertEveryBitFlipIsCorruption(NodeCodec.Encode(new Leaf<IndexDatom>(datoms, datoms.Length, null)));
    }

    [Fact]
    public void Flipping_any_bit_of_a_branch_is_detected_as_corruption()
    {
        AssertEveryBitFlipIsCorruption(NodeCodec.Encode(SampleBranch()));
    }

    [Fact]
    public void Every_truncation_of_a_node_is_detected_as_corruption()
    {
        foreach (var bytes in new[] { NodeCodec.Encode(new Leaf<IndexDatom>(MixedDatoms(6), 6, null)), NodeCodec.Encode(SampleBranch()) })
        {
            for (int n = 0; n < bytes.Length; n++)
            {
                var e = Assert.Throws<CorruptionException>(() => NodeCodec.Decode(bytes.AsSpan(0, n), Key));
                Assert.Equal(Key, e.Key);
                Assert.Contains(Key, e.Message, StringComparison.Ordinal);
            }
            Assert.NotNull(NodeCodec.Decode(bytes, Key));
        }
    }

    [Fact]
    public void An_unknown_format_version_is_reported_with_the_version()
    {
        var bytes = NodeCodec.Encode(new Leaf<IndexDatom>(MixedDatoms(3), 3, null));
        Assert.Equal(Envelope.FormatVersion, bytes[2]);
        bytes[2] = 7;
        var e = Assert.Throws<CorruptionException>(() => NodeCodec.Decode(bytes, Key));
        Assert.Contains("unsupported format version 7", e.Message, StringComparison.Ordinal);
        Assert.Equal(Key, e.Key);
    }

    [Fact]
    public void An_object_of_another_kind_is_not_decoded_as_a_node()
    {
        var payload = ValueCodec.Encode(EdnMap.Of(Keyword.Intern("tx"), 1L));
        var commit = Envelope.Seal(Envelope.KindCommit, payload);
        var e = Assert.Throws<CorruptionException>(() => NodeCodec.Decode(commit, Key));
        Assert.Contains($"found kind {Envelope.KindCommit}", e.Message, StringComparison.Ordinal);
        Assert.Equal(Key, e.Key);

        var leaf = NodeCodec.Encode(new Leaf<IndexDatom>(MixedDatoms(2), 2, null));
        var wrongKind = Assert.Throws<CorruptionException>(() => Envelope.Open(leaf, Key, Envelope.KindBranch));
        Assert.Contains($"expected an object of kind {Envelope.KindBranch} but found kind {Envelope.KindLeaf}", wrongKind.Message, StringComparison.Ordinal);
        Assert.Equal(payload, Envelope.Open(commit, Key, Envelope.KindCommit).ToArray());
    }

    [Fact]
    public void The_envelope_frames_a_payload_as_documented()
    {
        var sealedBytes = Envelope.Seal(Envelope.KindSchema, [0xAA, 0xBB]);
        Assert.Equal(Envelope.Overhead + 2, sealedBytes.Length);
        Assert.Equal(new byte[] { (byte)'H', (byte)'k', 1, Envelope.KindSchema, 2, 0, 0, 0, 0xAA, 0xBB }, sealedBytes[..10]);
        Assert.Equal(Envelope.Crc32C(sealedBytes.AsSpan(0, 10)), BinaryPrimitives.ReadUInt32LittleEndian(sealedBytes.AsSpan(10)));
        // The standard CRC-32C check value.
        Assert.Equal(0xE3069283u, Envelope.Crc32C(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0u, Envelope.Crc32C([]));
    }

    [Fact]
    public void Trailing_bytes_or_a_bad_count_inside_a_valid_frame_are_corruption()
    {
        var payload = Envelope.Open(NodeCodec.Encode(new Leaf<IndexDatom>(MixedDatoms(3), 3, null)), Key, Envelope.KindLeaf).ToArray();
        var trailing = Envelope.Seal(Envelope.KindLeaf, [.. payload, 0]);
        Assert.Contains("trailing", Assert.Throws<CorruptionException>(() => NodeCodec.Decode(trailing, Key)).Message, StringComparison.Ordinal);

        var moreDatoms = (byte[])payload.Clone();
        moreDatoms[0] = 4;
        var e = Assert.Throws<CorruptionException>(() => NodeCodec.Decode(Envelope.Seal(Envelope.KindLeaf, moreDatoms), Key));
        Assert.Equal(Key, e.Key);

        // A branch whose child has no address.
        var branch = Envelope.Open(NodeCodec.Encode(SampleBranch()), Key, Envelope.KindBranch).ToArray();
        var noChildren = Envelope.Seal(Envelope.KindBranch, [branch[0], 0]);
        Assert.Contains("no children", Assert.Throws<CorruptionException>(() => NodeCodec.Decode(noChildren, Key)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mutated_payloads_in_a_valid_frame_decode_or_fail_as_corruption_only()
    {
        var random = new Random(TestSeed.Next(output.WriteLine));
        var payloads = new[]
        {
            Envelope.Open(NodeCodec.Encode(new Leaf<IndexDatom>(MixedDatoms(MixedValues.Length), MixedValues.Length, null)), Key, Envelope.KindLeaf).ToArray(),
            Envelope.Open(NodeCodec.Encode(SampleBranch()), Key, Envelope.KindBranch).ToArray(),
        };
        int decoded = 0, corrupt = 0;
        for (int i = 0; i < 10000; i++)
        {
            byte kind = (byte)(i % 2 == 0 ? Envelope.KindLeaf : Envelope.KindBranch);
            var payload = (byte[])payloads[i % 2].Clone();
            for (int flips = random.Next(1, 4); flips > 0; flips--) payload[random.Next(payload.Length)] ^= (byte)(1 << random.Next(8));
            if (random.Next(4) == 0) payload = payload[..random.Next(payload.Length)];
            try
            {
                var node = NodeCodec.Decode(Envelope.Seal(kind, payload), Key);
                Assert.True(node.Len >= 0);
                decoded++;
            }
            catch (CorruptionException e)
            {
                Assert.Equal(Key, e.Key);
                corrupt++;
            }
        }
        Assert.Equal(10000, decoded + corrupt);
        Assert.True(corrupt > 0, "no mutation was detected");
    }

    [Fact]
    public void Long_values_in_leaves_and_branches_are_written_as_references_and_read_back_through_them()
    {
        var text = new string('t', LargeValues.InlineLimit);
        var bytes = new byte[LargeValues.InlineLimit * 2];
        IndexDatom[] datoms = [new(1, 10, "short", 536870913, true), new(1, 11, text, 536870913, true), new(2, 10, bytes, 536870914, true), new(2, 11, 7L, 536870914, true)];
        var values = new ValuesOnTheSide();
        foreach (Node<IndexDatom> node in new Node<IndexDatom>[] { new Leaf<IndexDatom>(datoms, 4, null), new Branch<IndexDatom>(1, datoms, new Node<IndexDatom>?[4], [1, 1, 1, 1], [new(1), new(2), new(3), new(4)], 4, null) })
        {
            using var sink = new ByteSink();
            int start = Envelope.BeginSeal(sink);
            Envelope.EndSeal(sink, start, NodeCodec.WritePayload(sink, node, values));
            // Both long values are references of 17 bytes; the rest is as short as inline.
            Assert.InRange(sink.Length, 1, 200);
            var back = NodeCodec.Decode(sink.WrittenSpan, Key, values);
            AssertSameDatoms(datoms, back is Leaf<IndexDatom> leaf ? leaf.Keys : ((Branch<IndexDatom>)back).MaxKeys);
            Assert.Same(text, (back is Leaf<IndexDatom> l ? l.Keys : ((Branch<IndexDatom>)back).MaxKeys)[1].V);
            var error = Assert.Throws<CorruptionException>(() => NodeCodec.Decode(sink.WrittenSpan, Key));
            Assert.Equal(Key, error.Key);
        }
        // The second node found both values stored by the first.
        Assert.Equal(2, values.Stored.Count);
    }

    /// <summary>Keeps values moved out of line in memory, by a made-up address, and gives back the very instances.</summary>
    private sealed class ValuesOnTheSide : ILargeValueWriter, ILargeValueReader
    {
        public readonly List<object> Stored = [];

        public bool TryGetStored(object? value, out NodeAddress address)
        {
            int i = Stored.FindIndex(v => ReferenceEquals(v, value));
            address = new NodeAddress((UInt128)(i + 1));
            return i >= 0;
        }

        public NodeAddress MoveOut(ByteSink sink, int valueStart, object value)
        {
            Assert.True(sink.Length - valueStart > LargeValues.InlineLimit);
            sink.Truncate(valueStart);
            Stored.Add(value);
            return new NodeAddress((UInt128)Stored.Count);
        }

        public object Resolve(NodeAddress address) => Stored[(int)address.Value - 1];
    }

    private static void AssertEveryBitFlipIsCorruption(byte[] bytes)
    {
        for (int bit = 0; bit < bytes.Length * 8; bit++)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            var e = Assert.Throws<CorruptionException>(() => NodeCodec.Decode(damaged, Key));
            Assert.Equal(Key, e.Key);
            Assert.Contains(Key, e.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>Sorted datoms (EAVT order of entity, then position) with values of every common kind.</summary>
    private static IndexDatom[] MixedDatoms(int n)
    {
        var datoms = new IndexDatom[n];
        for (int i = 0; i < n; i++)
        {
            datoms[i] = new IndexDatom(1000 + i / 3, 10 + i % 3, MixedValues[i % MixedValues.Length], 536870913 + (i * 7 % 5), i % 4 != 3);
        }
        return datoms;
    }

    private static Branch<IndexDatom> SampleBranch()
    {
        var datoms = MixedDatoms(6);
        IndexDatom[] maxKeys = [datoms[1], datoms[3], datoms[5]];
        NodeAddress[] addresses = [new(1), new(new UInt128(0xfedc_ba98_7654_3210, 0x0123_4567_89ab_cdef)), new(UInt128.MaxValue)];
        return new Branch<IndexDatom>(3, maxKeys, new Node<IndexDatom>?[3], [48, 1, 1_000_000_000_000], addresses, 3, null);
    }

    private static void AssertSameDatoms(ReadOnlySpan<IndexDatom> expected, ReadOnlySpan<IndexDatom> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i]);
            Assert.Equal(expected[i].GetHashCode(), actual[i].GetHashCode());
            Assert.Equal(expected[i].E, actual[i].E);
            Assert.Equal(expected[i].A, actual[i].A);
            Assert.Equal(expected[i].Tx, actual[i].Tx);
            Assert.Equal(expected[i].Added, actual[i].Added);
            ValueCodecTests.AssertIdentical(expected[i].V, actual[i].V);
        }
    }
}
