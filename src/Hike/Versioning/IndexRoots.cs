using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Hike.Index.Codec;
using Hike.Index.Datoms;
using Hike.Index.Stored;
using Hike.Index.Tree;

namespace Hike.Versioning;

/// <summary>
/// Stores a partitioned index as one small object per chunk of partitions — each partition's root
/// address and its tail's datoms inline (long values by reference, <see cref="LargeValues"/>) — and
/// reads it back with every tree loading its nodes lazily. Tails are where appends land, so keeping
/// them in the chunk means a small transaction writes a few chunks rather than a node per tail. A chunk that did not change since it was last
/// stored is not written again: its address is remembered by identity.
/// </summary>
internal sealed class IndexRoots(NodeStore nodes)
{
    private static readonly Leaf<IndexDatom> EmptyTail = new([], 0, null);

    private readonly ConditionalWeakTable<object, object> _storedChunks = [];

    /// <summary>
    /// Appends the unstored nodes and chunks of <paramref name="index"/> to the open pack; returns the
    /// chunk addresses (default for empty chunks) and the same index over trees that load through the
    /// node store.
    /// </summary>
    public (NodeAddress[] Chunks, DatomIndex<TOrder> Stored) Write<TOrder>(DatomIndex<TOrder> index)
        where TOrder : struct, IDatomOrder
    {
        var table = index.Table;
        var addresses = new NodeAddress[table.ChunkCount];
        var chunks = new PersistentSortedSet<IndexDatom, TOrder>?[]?[table.ChunkCount];
        for (int c = 0; c < addresses.Length; c++)
        {
            var chunk = table.ChunkAt(c);
            if (chunk is null) continue;
            if (_storedChunks.TryGetValue(chunk, out var known))
            {
                addresses[c] = (NodeAddress)known;
                chunks[c] = chunk;
                continue;
            }
            // The trees first: the chunk is written straight into the pack after them.
            var roots = new NodeAddress[chunk.Length];
            for (int slot = 0; slot < chunk.Length; slot++)
            {
                // An empty root (a partition that lives in its tail) is the shared empty leaf of every set: never stored.
                if (chunk[slot] is { Root: not Leaf<IndexDatom> { Len: 0 } } set) roots[slot] = nodes.Write(set.Root);
            }
            var stored = new PersistentSortedSet<IndexDatom, TOrder>?[chunk.Length];
            var sink = nodes.BeginObject();
            for (int slot = 0; slot < chunk.Length; slot++)
            {
                if (chunk[slot] is not { } set) continue;
                sink.WriteByte((byte)slot);
                sink.WriteFixed64((ulong)roots[slot].Value);
                sink.WriteFixed64((ulong)(roots[slot].Value >> 64));
                NodeCodec.WriteLeaf(sink, set.Tail ?? EmptyTail, nodes);
                var detached = set.Root is Branch<IndexDatom> branch ? branch.DetachedCopy() : set.Root;
                stored[slot] = PersistentSortedSet<IndexDatom, TOrder>.FromRoot(detached, set.Tail, nodes, set.Capacity);
            }
            var address = nodes.EndObject(Envelope.KindRoots);
            _storedChunks.AddOrUpdate(stored, address);
            addresses[c] = address;
            chunks[c] = stored;
        }
        return (addresses, DatomIndex<TOrder>.FromTable(PartitionTable<TOrder>.FromChunks(chunks), index.Count));
    }

    /// <summary>
    /// Reads the chunks at <paramref name="addresses"/> (given as <paramref name="bytes"/>, in the same
    /// order) and loads every partition root they name, all at once: on a server, one round trip for the
    /// roots of every index of a commit rather than one per partition.
    /// </summary>
    public OpenedChunks Open(IReadOnlyList<NodeAddress> addresses, IReadOnlyList<byte[]> bytes)
    {
        var entries = new Dictionary<NodeAddress, List<ChunkEntry>>(addresses.Count);
        for (int i = 0; i < addresses.Count; i++) entries[addresses[i]] = Entries(Packs.Describe(addresses[i]), bytes[i], nodes);
        var rootAddresses = entries.Values.SelectMany(e => e).Select(e => e.Root).Where(a => a.IsStored).Distinct().ToList();
        var loaded = Storage.ParallelReads.Run(nodes.Store, rootAddresses.Select(a => (Func<Node<IndexDatom>>)(() => nodes.Load(a))).ToList());
        var roots = new Dictionary<NodeAddress, Node<IndexDatom>>(rootAddresses.Count);
        for (int i = 0; i < rootAddresses.Count; i++) roots[rootAddresses[i]] = loaded[i];
        return new OpenedChunks(entries, roots);
    }

    /// <summary>The index stored as <paramref name="addresses"/>, one chunk of partitions each, from chunks <see cref="Open"/> read.</summary>
    public DatomIndex<TOrder> Read<TOrder>(IReadOnlyList<NodeAddress> addresses, long count, OpenedChunks opened)
        where TOrder : struct, IDatomOrder
    {
        var chunks = new PersistentSortedSet<IndexDatom, TOrder>?[]?[addresses.Count];
        for (int c = 0; c < addresses.Count; c++)
        {
            var address = addresses[c];
            if (!address.IsStored) continue;
            var key = Packs.Describe(address);
            var chunk = new PersistentSortedSet<IndexDatom, TOrder>?[PartitionTable<TOrder>.ChunkSize];
            foreach (var (slot, rootAddress, tail) in opened.Entries[address])
            {
                if (slot >= chunk.Length) throw Errors.Corrupt(key, $"partition slot {slot} is out of range");
                var root = rootAddress.IsStored ? opened.Roots[rootAddress] : new Leaf<IndexDatom>([], 0, null);
                chunk[slot] = PersistentSortedSet<IndexDatom, TOrder>.FromRoot(root, tail.Len > 0 ? ToTail(tail) : null, nodes);
            }
            _storedChunks.AddOrUpdate(chunk, address);
            chunks[c] = chunk;
        }
        return DatomIndex<TOrder>.FromTable(PartitionTable<TOrder>.FromChunks(chunks), count);
    }

    /// <summary>
    /// The root node addresses a stored chunk names, for GC's mark phase; adds the values its tails
    /// refer to (without reading them) to <paramref name="valueRefs"/>.
    /// </summary>
    public List<NodeAddress> References(NodeAddress chunk, HashSet<NodeAddress> valueRefs)
    {
        var roots = new List<NodeAddress>();
        foreach (var (_, root, _) in Entries(Packs.Describe(chunk), nodes.ReadObject(chunk), new ValueRefCollector(valueRefs)))
        {
            if (root.IsStored) roots.Add(root);
        }
        return roots;
    }

    private static List<ChunkEntry> Entries(string key, byte[] bytes, ILargeValueReader values)
    {
        var entries = new List<ChunkEntry>();
        var source = new ByteSource(Envelope.Open(bytes, key, Envelope.KindRoots));
        try
        {
            while (!source.IsEnd)
            {
                int slot = source.ReadByte();
                ulong low = source.ReadFixed64();
                ulong high = source.ReadFixed64();
                entries.Add(new ChunkEntry(slot, new NodeAddress(((UInt128)high << 64) | low), NodeCodec.ReadLeaf(ref source, values)));
            }
        }
        catch (MalformedDataException e)
        {
            throw Errors.Corrupt(key, e.Message);
        }
        return entries;
    }

    private static TailLeaf<IndexDatom> ToTail(Leaf<IndexDatom> leaf)
    {
        var items = new IndexDatom[Math.Max(leaf.Len, PersistentSortedSet<IndexDatom, EavtOrder>.DefaultCapacity)];
        Array.Copy(leaf.Keys, items, leaf.Len);
        return new TailLeaf<IndexDatom>(new TailBuffer<IndexDatom>(items, leaf.Len), leaf.Len);
    }

    /// <summary>One partition in a chunk: its slot, its tree's root address (absent for an empty tree) and its tail.</summary>
    internal readonly record struct ChunkEntry(int Slot, NodeAddress Root, Leaf<IndexDatom> Tail);

    /// <summary>A commit's chunks, read and parsed, with the partition roots they name, loaded.</summary>
    internal sealed record OpenedChunks(Dictionary<NodeAddress, List<ChunkEntry>> Entries, Dictionary<NodeAddress, Node<IndexDatom>> Roots);
}
