using Hike.Storage;

namespace Hike.Index;

/// <summary>
/// Stored objects in packs (<see cref="Packs"/>): loads index nodes by address through the bounded
/// <see cref="NodeCache"/>, and, while a pack is open, appends a commit's new objects to it — a tree's
/// unstored nodes children first — and writes the pack as one value when it closes. Loading is
/// thread-safe; writing is done by the single writer.
/// </summary>
internal sealed class NodeStore(IKeyValueStore store, NodeCache cache) : INodeLoader<Datom>
{
    private readonly List<(long Offset, int Length)> _objects = [];
    private ByteSink? _pack;
    private ulong _packId;
    private ulong _lastPackId;

    public IKeyValueStore Store { get; } = store;

    public NodeCache Cache { get; } = cache;

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
    public byte[] ReadObject(NodeAddress address)
    {
        var (pack, offset, length) = Packs.Locate(address);
        var bytes = Store.GetRange(Packs.Key(pack), offset, length);
        if (bytes is null) throw new CorruptionException(Packs.Describe(address), "its pack is missing from the store");
        if (bytes.Length != length) throw new CorruptionException(Packs.Describe(address), $"its pack ends after {bytes.Length} of its {length} bytes");
        return bytes;
    }

    /// <summary>Starts the pack of a commit; objects written until <see cref="ClosePack"/> go into it.</summary>
    public void OpenPack()
    {
        // Pack ids grow with time and strictly within this writer; one never reuses a key that exists
        // (a pack of an earlier writer, even an unreferenced one that a collection may be about to delete).
        _packId = Math.Max(_lastPackId + 1, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() << 16);
        while (Store.GetRange(Packs.Key(_packId), 0, 0) is not null) _packId++;
        _lastPackId = _packId;
        _pack = new ByteSink(64 << 10);
        _objects.Clear();
    }

    /// <summary>Stores the open pack as one value (durable at the store's next sync).</summary>
    public void ClosePack()
    {
        var pack = _pack ?? throw new InvalidOperationException("No pack is open");
        Packs.WriteIndex(pack, _objects);
        Store.Put(Packs.Key(_packId), pack.WrittenSpan);
        pack.Dispose();
        _pack = null;
    }

    /// <summary>Appends an enveloped object to the open pack; returns its address.</summary>
    public NodeAddress Append(ReadOnlySpan<byte> sealedObject)
    {
        var pack = _pack ?? throw new InvalidOperationException("No pack is open");
        long offset = pack.Length;
        pack.WriteBytes(sealedObject);
        _objects.Add((offset, sealedObject.Length));
        return Packs.Address(_packId, offset, sealedObject.Length);
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
        node.Address = Append(NodeCodec.Encode(node));
        Cache.Add(node);
        return node.Address;
    }
}
