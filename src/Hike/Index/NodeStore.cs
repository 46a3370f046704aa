using Hike.Storage;

namespace Hike.Index;

/// <summary>
/// Stored objects in packs (<see cref="Packs"/>): loads index nodes by address through the bounded
/// <see cref="NodeCache"/>, and, while a pack is open, collects a commit's new objects — a tree's
/// unstored nodes children first — and appends the pack to the writer's segment when it closes.
/// Loading is thread-safe; writing is done by the single writer.
/// </summary>
internal sealed class NodeStore(IKeyValueStore store, NodeCache cache) : INodeLoader<Datom>
{
    private readonly List<(long Offset, int Length)> _objects = [];
    private ByteSink? _pack;
    private ulong _segment;
    private long _segmentLength;
    private long _packStart;

    public IKeyValueStore Store { get; } = store;

    public NodeCache Cache { get; } = cache;

    /// <summary>The segment this writer appends to (0 before its first commit) and how much of it is written: only it ever grows.</summary>
    public (ulong Segment, long Length) PersistedLength { get; private set; }

    public Node<Datom> Load(NodeAddress address)
    {
        if (Cache.TryGet(address, out var cached)) return cached;
        return Cache.Add(Read(address));
    }

    /// <summary>Reads a node from its pack, bypassing the cache.</summary>
    public Node<Datom> Read(NodeAddress address)
    {
        var node = NodeCodec.Decode(ReadObject(address), Packs.Describe(address));
        node.Address = address;
        return node;
    }

    /// <summary>The bytes of the object at <paramref name="address"/>; a missing pack or a short read is a <see cref="CorruptionException"/>.</summary>
    public byte[] ReadObject(NodeAddress address) =>
        ReadRange(address) ?? throw new CorruptionException(Packs.Describe(address), "its pack is missing from the store");

    /// <summary>The object at <paramref name="address"/>, or null when garbage collection removed it (its pack deleted or its bytes released).</summary>
    public byte[]? TryReadObject(NodeAddress address)
    {
        var bytes = ReadRange(address);
        return bytes is null || bytes.AsSpan().IndexOfAnyExcept((byte)0) < 0 ? null : bytes;
    }

    private byte[]? ReadRange(NodeAddress address)
    {
        var (pack, offset, length) = Packs.Locate(address);
        var bytes = Store.GetRange(Packs.Key(pack), offset, length);
        if (bytes is not null && bytes.Length != length) throw new CorruptionException(Packs.Describe(address), $"its pack ends after {bytes.Length} of its {length} bytes");
        return bytes;
    }

    /// <summary>Starts the pack of a commit; objects written until <see cref="ClosePack"/> go into it.</summary>
    public void OpenPack()
    {
        if (_segment == 0 || _segmentLength >= Packs.SegmentBytes) StartSegment();
        _packStart = _segmentLength;
        _pack = new ByteSink(64 << 10);
        _pack.WriteBytes(stackalloc byte[Packs.HeaderSize]);
        _objects.Clear();
    }

    /// <summary>Seals the open pack, to be appended by <see cref="Persist"/>.</summary>
    public PendingPack ClosePack()
    {
        var pack = _pack ?? throw new InvalidOperationException("No pack is open");
        var bytes = Packs.Seal(pack, _objects);
        pack.Dispose();
        _pack = null;
        _segmentLength = _packStart + bytes.Length;
        return new PendingPack(_segment, _packStart, bytes);
    }

    /// <summary>Appends a sealed pack to its segment (durable at the store's next sync). Packs are persisted in the order they were sealed.</summary>
    public void Persist(PendingPack pack)
    {
        long at = Store.Append(Packs.Key(pack.Segment), pack.Bytes);
        if (at != pack.Offset) throw new InvalidOperationException($"Segment {Packs.Key(pack.Segment)} was appended to by someone else (at {at}, expected {pack.Offset})");
        PersistedLength = (pack.Segment, at + pack.Bytes.Length);
    }

    /// <summary>Appends an enveloped object to the open pack; returns its address.</summary>
    public NodeAddress Append(ReadOnlySpan<byte> sealedObject)
    {
        var pack = _pack ?? throw new InvalidOperationException("No pack is open");
        long offset = _packStart + pack.Length;
        pack.WriteBytes(sealedObject);
        _objects.Add((offset, sealedObject.Length));
        return Packs.Address(_segment, offset, sealedObject.Length);
    }

    /// <summary>
    /// Starts a new segment: one per writer session (so a crash's torn end is never followed by
    /// anything) and whenever one has grown past <see cref="Packs.SegmentBytes"/>. Ids grow with time
    /// and strictly within this writer, and never reuse a key that exists.
    /// </summary>
    private void StartSegment()
    {
        ulong id = Math.Max(_segment + 1, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() << 16);
        while (Store.GetRange(Packs.Key(id), 0, 0) is not null) id++;
        _segment = id;
        _segmentLength = 0;
    }

    /// <summary>
    /// Appends every node of <paramref name="node"/>'s subtree that has no address yet (children before
    /// parents) and returns the subtree's address. The written nodes go into the cache.
    /// </summary>
    public NodeAddress Write(Node<Datom> node)
    {
        if (node.Address.IsStored) return node.Address;
        if (node is Branch<Datom> branch)
        {
            for (int i = 0; i < branch.Len; i++)
            {
                if (branch.Children[i] is { Address.IsStored: false } child) Write(child);
            }
        }
        var pack = _pack ?? throw new InvalidOperationException("No pack is open");
        long offset = _packStart + pack.Length;
        int length = NodeCodec.EncodeInto(pack, node);
        _objects.Add((offset, length));
        node.Address = Packs.Address(_segment, offset, length);
        Cache.Add(node);
        return node.Address;
    }
}
