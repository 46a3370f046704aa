using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Hike.Index;
using Hike.Storage;

namespace Hike.Versioning;

/// <summary>
/// Stores a partitioned index as one small object per chunk of partitions (each partition's root
/// and tail addresses) and reads it back with every tree loading its nodes lazily. A chunk that did
/// not change since it was last stored is not written again: its key is remembered by identity.
/// </summary>
internal sealed class IndexRoots(NodeStore nodes)
{
    private const int EntrySize = 1 + 16 + 16;

    private readonly ConditionalWeakTable<object, string> _storedChunks = [];

    /// <summary>
    /// Writes the unstored nodes and chunks of <paramref name="index"/>; returns the chunk keys (null for
    /// empty chunks) and the same index over trees that load through the node store.
    /// </summary>
    public (string?[] Keys, DatomIndex<TOrder> Stored) Write<TOrder>(DatomIndex<TOrder> index)
        where TOrder : struct, IDatomOrder
    {
        var table = index.Table;
        var keys = new string?[table.ChunkCount];
        var chunks = new PersistentSortedSet<Datom, TOrder>?[]?[table.ChunkCount];
        for (int c = 0; c < keys.Length; c++)
        {
            var chunk = table.ChunkAt(c);
            if (chunk is null) continue;
            if (_storedChunks.TryGetValue(chunk, out var known))
            {
                keys[c] = known;
                chunks[c] = chunk;
                continue;
            }
            var stored = new PersistentSortedSet<Datom, TOrder>?[chunk.Length];
            var bytes = new byte[chunk.Length * EntrySize];
            int n = 0;
            for (int slot = 0; slot < chunk.Length; slot++)
            {
                if (chunk[slot] is not { } set) continue;
                // An empty root (a partition that lives in its tail) is the shared empty leaf of every set: never stored.
                var root = set.Root is Leaf<Datom> { Len: 0 } ? default : nodes.Write(set.Root);
                var tail = set.Tail is { } t ? nodes.Write(t, cache: false) : default;
                var entry = bytes.AsSpan(n++ * EntrySize, EntrySize);
                entry[0] = (byte)slot;
                BinaryPrimitives.WriteUInt128LittleEndian(entry[1..], root.Value);
                BinaryPrimitives.WriteUInt128LittleEndian(entry[17..], tail.Value);
                var detached = set.Root is Branch<Datom> branch ? branch.DetachedCopy() : set.Root;
                stored[slot] = PersistentSortedSet<Datom, TOrder>.FromRoot(detached, set.Tail, nodes, set.Capacity);
            }
            var key = StoreLayout.NewObjectKey("roots/");
            nodes.Store.Put(key, Envelope.Seal(Envelope.KindRoots, bytes.AsSpan(0, n * EntrySize)));
            _storedChunks.AddOrUpdate(stored, key);
            keys[c] = key;
            chunks[c] = stored;
        }
        return (keys, DatomIndex<TOrder>.FromTable(PartitionTable<TOrder>.FromChunks(chunks), index.Count));
    }

    /// <summary>Reads an index stored as <paramref name="keys"/>: one object per chunk, plus each partition's root and tail.</summary>
    public DatomIndex<TOrder> Read<TOrder>(IReadOnlyList<string?> keys, long count)
        where TOrder : struct, IDatomOrder
    {
        var chunks = new PersistentSortedSet<Datom, TOrder>?[]?[keys.Count];
        for (int c = 0; c < keys.Count; c++)
        {
            if (keys[c] is not { } key) continue;
            var bytes = nodes.Store.Get(key) ?? throw new CorruptionException(key, "it is missing from the store");
            var payload = Envelope.Open(bytes, key, Envelope.KindRoots);
            if (payload.Length % EntrySize != 0) throw new CorruptionException(key, "its length is not a whole number of entries");
            var chunk = new PersistentSortedSet<Datom, TOrder>?[PartitionTable<TOrder>.ChunkSize];
            for (int at = 0; at < payload.Length; at += EntrySize)
            {
                var entry = payload.Slice(at, EntrySize);
                int slot = entry[0];
                if (slot >= chunk.Length) throw new CorruptionException(key, $"partition slot {slot} is out of range");
                var rootAddress = new NodeAddress(BinaryPrimitives.ReadUInt128LittleEndian(entry[1..]));
                var root = rootAddress.IsStored ? nodes.Load(rootAddress) : new Leaf<Datom>([], 0, null);
                var tailAddress = new NodeAddress(BinaryPrimitives.ReadUInt128LittleEndian(entry[17..]));
                var tail = tailAddress.IsStored ? ToTail(nodes.Read(tailAddress)) : null;
                chunk[slot] = PersistentSortedSet<Datom, TOrder>.FromRoot(root, tail, nodes);
            }
            _storedChunks.AddOrUpdate(chunk, key);
            chunks[c] = chunk;
        }
        return DatomIndex<TOrder>.FromTable(PartitionTable<TOrder>.FromChunks(chunks), count);
    }

    /// <summary>Every node address a stored chunk names (for GC's mark phase).</summary>
    public static IEnumerable<NodeAddress> ChunkAddresses(string key, byte[] bytes)
    {
        var payload = Envelope.Open(bytes, key, Envelope.KindRoots).ToArray();
        for (int at = 0; at + EntrySize <= payload.Length; at += EntrySize)
        {
            var root = new NodeAddress(BinaryPrimitives.ReadUInt128LittleEndian(payload.AsSpan(at + 1)));
            if (root.IsStored) yield return root;
            var tail = new NodeAddress(BinaryPrimitives.ReadUInt128LittleEndian(payload.AsSpan(at + 17)));
            if (tail.IsStored) yield return tail;
        }
    }

    private static TailLeaf<Datom> ToTail(Node<Datom> node)
    {
        var leaf = (Leaf<Datom>)node;
        var items = new Datom[Math.Max(leaf.Len, PersistentSortedSet<Datom, EavtOrder>.DefaultCapacity)];
        Array.Copy(leaf.Keys, items, leaf.Len);
        return new TailLeaf<Datom>(new TailBuffer<Datom>(items, leaf.Len), leaf.Len) { Address = node.Address };
    }
}
