using System.Collections.Concurrent;

namespace Hike.Index;

/// <summary>
/// The bounded cache of index nodes loaded from a store, by address. Each node is weighed by the
/// memory it holds (<see cref="NodeWeight"/>); when the total passes <see cref="CapacityBytes"/>, nodes
/// are evicted in CLOCK order (a node touched since the last sweep gets a second chance). Branches
/// never hold children they loaded, so evicted nodes really become garbage. Thread-safe: lookups
/// take no lock; eviction sweeps run under one.
/// </summary>
internal sealed class NodeCache
{
    private readonly ConcurrentDictionary<NodeAddress, Entry> _entries = new();
    private readonly ConcurrentQueue<Entry> _clock = new();
    private readonly Lock _sweep = new();
    private long _weight;

    public NodeCache(long capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityBytes, 1);
        CapacityBytes = capacityBytes;
    }

    /// <summary>The most memory the cached nodes may hold, in bytes.</summary>
    public long CapacityBytes { get; }

    /// <summary>The memory the cached nodes hold now, in bytes (estimated).</summary>
    public long WeightBytes => Interlocked.Read(ref _weight);

    /// <summary>Number of cached nodes.</summary>
    public int Count => _entries.Count;

    public bool TryGet(NodeAddress address, out Node<Datom> node)
    {
        if (_entries.TryGetValue(address, out var entry))
        {
            entry.Touched = true;
            node = entry.Node;
            return true;
        }
        node = null!;
        return false;
    }

    /// <summary>Caches <paramref name="node"/> (already stored at its address); returns the cached instance, which may be an equal one added first by another thread.</summary>
    public Node<Datom> Add(Node<Datom> node)
    {
        var entry = new Entry(node, NodeWeight.Of(node));
        var cached = _entries.GetOrAdd(node.Address, entry);
        if (!ReferenceEquals(cached, entry)) return cached.Node;
        _clock.Enqueue(entry);
        if (Interlocked.Add(ref _weight, entry.Weight) > CapacityBytes) Evict();
        return node;
    }

    /// <summary>Drops <paramref name="address"/> (a node deleted from the store).</summary>
    public void Remove(NodeAddress address)
    {
        if (_entries.TryRemove(address, out var entry)) Interlocked.Add(ref _weight, -entry.Weight);
    }

    private void Evict()
    {
        lock (_sweep)
        {
            // Bounded: every entry is looked at most twice (once to clear its touch, once to evict).
            int budget = 2 * _clock.Count + 1;
            while (Interlocked.Read(ref _weight) > CapacityBytes && budget-- > 0 && _clock.TryDequeue(out var entry))
            {
                if (!_entries.TryGetValue(entry.Node.Address, out var current) || !ReferenceEquals(current, entry)) continue;
                if (entry.Touched)
                {
                    entry.Touched = false;
                    _clock.Enqueue(entry);
                    continue;
                }
                if (_entries.TryRemove(new KeyValuePair<NodeAddress, Entry>(entry.Node.Address, entry))) Interlocked.Add(ref _weight, -entry.Weight);
            }
        }
    }

    private sealed class Entry(Node<Datom> node, long weight)
    {
        public readonly Node<Datom> Node = node;
        public readonly long Weight = weight;
        public volatile bool Touched;
    }
}
