using Hike.Index.Datoms;
using Hike.Index.Tree;

namespace Hike.Index.Codec;

/// <summary>
/// Turns B+tree nodes of datoms into stored bytes and back. The payload goes into an
/// <see cref="Envelope"/> of kind <see cref="Envelope.KindLeaf"/> or <see cref="Envelope.KindBranch"/>:
/// <code>
/// leaf:    varint n, then n datoms
/// branch:  varint height (≥ 1), varint n (≥ 1), then per child:
///          max datom, varint element count, address (fixed64 low 64 bits, fixed64 high 64 bits)
/// datom:   zigzag (E − previous E), varint (A &lt;&lt; 1 | added), zigzag (Tx − previous Tx), value (<see cref="ValueCodec"/>)
/// </code>
/// "Previous" is the datom before in the same node, starting from 0, so runs of one entity or one
/// transaction cost a byte each. Written into a pack, a value longer than
/// <see cref="LargeValues.InlineLimit"/> is stored out of line and the datom holds a reference
/// (<see cref="ValueCodec.TagValueRef"/>) instead. Stateless and thread-safe.
/// </summary>
internal static class NodeCodec
{
    // The smallest encodings: a datom is 3 one-byte varints and a value tag; a branch child adds a
    // count and a 16-byte address. Used to bound counts read from the input by the bytes left.
    private const int MinDatomBytes = 4;
    private const int MinChildBytes = MinDatomBytes + 1 + 16;

    // Far above any real tree (a cursor supports 20 levels), low enough to refuse nonsense.
    private const int MaxHeight = 64;

    private const ulong MaxAttrOp = ((ulong)IndexDatom.MaxA << 1) | 1;

    /// <summary>
    /// The stored form of <paramref name="node"/>. A leaf, including a <see cref="TailLeaf{T}"/>,
    /// stores its first <see cref="Node{T}.Len"/> datoms; a branch stores, per child, its max datom,
    /// count and address, so every child must already be stored (have an address in
    /// <see cref="Branch{T}.Addresses"/> or on the child itself), else
    /// <see cref="InvalidOperationException"/>. O(size of the node); allocates only the result.
    /// </summary>
    public static byte[] Encode(Node<IndexDatom> node)
    {
        ArgumentNullException.ThrowIfNull(node);
        using var sink = new ByteSink(64 + 32 * node.Len);
        int start = Envelope.BeginSeal(sink);
        Envelope.EndSeal(sink, start, WritePayload(sink, node, null));
        return sink.ToArray();
    }

    /// <summary>
    /// Writes the payload of <paramref name="node"/>'s stored form to <paramref name="sink"/> and
    /// returns its envelope kind; long values go to <paramref name="values"/> when given (else they
    /// stay inline).
    /// </summary>
    public static byte WritePayload(ByteSink sink, Node<IndexDatom> node, ILargeValueWriter? values)
    {
        switch (node)
        {
            case Leaf<IndexDatom> leaf:
                WriteLeaf(sink, leaf, values);
                return Envelope.KindLeaf;
            case Branch<IndexDatom> branch:
                WriteBranch(sink, branch, values);
                return Envelope.KindBranch;
            default:
                throw new InvalidOperationException($"Cannot encode a node of type {node.GetType().Name}");
        }
    }

    /// <summary>
    /// Rebuilds the node stored under <paramref name="key"/>: a <see cref="Leaf{T}"/> whose
    /// <see cref="Leaf{T}.Keys"/> has exactly <see cref="Node{T}.Len"/> slots, or a
    /// <see cref="Branch{T}"/> with every child unloaded (children null, addresses filled). The node
    /// has no <see cref="Edit"/>, and its <see cref="Node{T}.Address"/> is left unset: the caller,
    /// which knows the address it read, sets it. Anything wrong with the bytes — frame, checksum,
    /// a value that does not decode, counts that do not match, trailing bytes — is a
    /// <see cref="CorruptionException"/> naming <paramref name="key"/>; references to values stored out
    /// of line are resolved by <paramref name="values"/> (a node that holds one where none is given is
    /// corrupt). O(size of the node).
    /// </summary>
    public static Node<IndexDatom> Decode(ReadOnlySpan<byte> data, string key, ILargeValueReader? values = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var payload = Envelope.Open(data, key, out byte kind);
        if (kind is not (Envelope.KindLeaf or Envelope.KindBranch))
        {
            throw Errors.Corrupt(key, $"expected an index node (kind {Envelope.KindLeaf} or {Envelope.KindBranch}) but found kind {kind}");
        }
        try
        {
            var source = new ByteSource(payload);
            Node<IndexDatom> node = kind == Envelope.KindLeaf ? ReadLeaf(ref source, values) : ReadBranch(ref source, values);
            if (!source.IsEnd) throw source.Malformed($"{source.Remaining} trailing byte(s) after the node");
            return node;
        }
        catch (MalformedDataException e)
        {
            throw Errors.Corrupt(key, e.Message);
        }
    }

    /// <summary>Writes a leaf's datoms without a frame, for objects that embed a leaf (a chunk's tails).</summary>
    internal static void WriteLeaf(ByteSink sink, Leaf<IndexDatom> leaf, ILargeValueWriter? values)
    {
        int n = leaf.Len;
        var keys = leaf.Keys;
        sink.WriteVarUInt64((ulong)n);
        long e = 0, tx = 0;
        for (int i = 0; i < n; i++) WriteDatom(sink, in keys[i], ref e, ref tx, values);
    }

    private static void WriteBranch(ByteSink sink, Branch<IndexDatom> branch, ILargeValueWriter? values)
    {
        int n = branch.Len;
        sink.WriteVarUInt64((ulong)branch.HeightValue);
        sink.WriteVarUInt64((ulong)n);
        var maxKeys = branch.MaxKeys;
        var counts = branch.Counts;
        var addresses = branch.Addresses;
        var children = branch.Children;
        long e = 0, tx = 0;
        for (int i = 0; i < n; i++)
        {
            // A child written since the branch was made carries its address itself.
            var address = addresses is not null ? addresses[i] : default;
            if (!address.IsStored && children[i] is { } child) address = child.Address;
            if (!address.IsStored) throw new InvalidOperationException($"Cannot encode a branch whose child {i} is not stored");
            WriteDatom(sink, in maxKeys[i], ref e, ref tx, values);
            sink.WriteVarUInt64((ulong)counts[i]);
            sink.WriteFixed64((ulong)address.Value);
            sink.WriteFixed64((ulong)(address.Value >> 64));
        }
    }

    private static void WriteDatom(ByteSink sink, in IndexDatom d, ref long prevE, ref long prevTx, ILargeValueWriter? values)
    {
        // Wrapping subtraction keeps the delta exact for any pair of longs.
        sink.WriteVarInt64(unchecked(d.E - prevE));
        prevE = d.E;
        sink.WriteVarUInt64(((ulong)(uint)d.A << 1) | (d.Added ? 1UL : 0UL));
        long tx = d.Tx;
        sink.WriteVarInt64(tx - prevTx);
        prevTx = tx;
        WriteValue(sink, d.V, values);
    }

    private static void WriteValue(ByteSink sink, object? value, ILargeValueWriter? values)
    {
        if (values is null)
        {
            ValueCodec.Write(sink, value);
            return;
        }
        if (!values.TryGetStored(value, out var address))
        {
            // Encoded in place first: most values are short, and a long one moves out without being encoded twice.
            int start = sink.Length;
            ValueCodec.Write(sink, value);
            if (sink.Length - start <= LargeValues.InlineLimit) return;
            address = values.MoveOut(sink, start, value!);
        }
        sink.WriteByte(ValueCodec.TagValueRef);
        sink.WriteFixed64((ulong)address.Value);
        sink.WriteFixed64((ulong)(address.Value >> 64));
    }

    /// <summary>Reads datoms written by <see cref="WriteLeaf"/>; malformed input is a <see cref="MalformedDataException"/>.</summary>
    internal static Leaf<IndexDatom> ReadLeaf(ref ByteSource source, ILargeValueReader? values)
    {
        int n = source.ReadCount(MinDatomBytes);
        var keys = n == 0 ? [] : new IndexDatom[n];
        long e = 0, tx = 0;
        for (int i = 0; i < n; i++) keys[i] = ReadDatom(ref source, ref e, ref tx, values);
        return new Leaf<IndexDatom>(keys, n, null);
    }

    private static Branch<IndexDatom> ReadBranch(ref ByteSource source, ILargeValueReader? values)
    {
        ulong height = source.ReadVarUInt64();
        if (height is < 1 or > MaxHeight) throw source.Malformed($"branch height {height} is outside 1..{MaxHeight}");
        int n = source.ReadCount(MinChildBytes);
        if (n == 0) throw source.Malformed("branch has no children");
        var maxKeys = new IndexDatom[n];
        var counts = new long[n];
        var addresses = new NodeAddress[n];
        long e = 0, tx = 0;
        for (int i = 0; i < n; i++)
        {
            maxKeys[i] = ReadDatom(ref source, ref e, ref tx, values);
            ulong count = source.ReadVarUInt64();
            if (count > long.MaxValue) throw source.Malformed($"child {i} count {count} is out of range");
            counts[i] = (long)count;
            var address = ReadAddress(ref source);
            if (!address.IsStored) throw source.Malformed($"child {i} has no address");
            addresses[i] = address;
        }
        return new Branch<IndexDatom>((int)height, maxKeys, new Node<IndexDatom>?[n], counts, addresses, n, null);
    }

    private static IndexDatom ReadDatom(ref ByteSource source, ref long prevE, ref long prevTx, ILargeValueReader? values)
    {
        long e = unchecked(prevE + source.ReadVarInt64());
        ulong attrOp = source.ReadVarUInt64();
        if (attrOp > MaxAttrOp) throw source.Malformed($"attribute id {attrOp >> 1} is above {IndexDatom.MaxA}");
        long tx = unchecked(prevTx + source.ReadVarInt64());
        if (tx is < 0 or > IndexDatom.MaxTx) throw source.Malformed($"transaction id {tx} is outside 0..{IndexDatom.MaxTx}");
        var v = source.PeekByte() == ValueCodec.TagValueRef ? ReadValueRef(ref source, values) : ValueCodec.Read(ref source);
        prevE = e;
        prevTx = tx;
        // A stored datom never holds nil, but the codec keeps whatever it was given.
        return new IndexDatom(e, (int)(attrOp >> 1), v!, tx, (attrOp & 1) != 0);
    }

    private static object ReadValueRef(ref ByteSource source, ILargeValueReader? values)
    {
        int at = source.Position;
        source.ReadByte();
        var address = ReadAddress(ref source);
        if (!address.IsStored || values is null) throw source.Malformed($"bad reference to a value stored out of line at offset {at}");
        return values.Resolve(address);
    }

    private static NodeAddress ReadAddress(ref ByteSource source)
    {
        ulong low = source.ReadFixed64();
        ulong high = source.ReadFixed64();
        return new NodeAddress(new UInt128(high, low));
    }
}
