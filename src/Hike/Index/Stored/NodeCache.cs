using System.Collections.Concurrent;
using Hike.Index.Codec;
using Hike.Index.Datoms;
using Hike.Index.Tree;

namespace Hike.Index.Stored;

/// <summary>
/// The bounded cache of index nodes and values stored out of line (<see cref="LargeValues"/>) loaded
/// from a store, by address. Each is weighed by the memory it holds (<see cref="NodeWeight"/>; a leaf
/// does not count the values it shares with the cache); when the total passes
/// <see cref="CapacityBytes"/>, entries are evicted in CLOCK order (one touched since the last sweep
/// gets a second chance). Branches never hold children they loaded, so evicted nodes really become
/// garbage. Thread-safe: lookups take no lock; eviction sweeps run under one.
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

    /// <summary>Number of cached nodes and values.</summary>
    public int Count => _entries.Count;

    // A node and a value never share an address, unless the store is damaged: each kind of lookup
    // sees only its own, so a damaged reference is read and reported rather than misused.
    public bool TryGet(NodeAddress address, out Node<IndexDatom> node)
    {
        node = (TryGetItem(address, out var item) ? item as Node<IndexDatom> : null)!;
        return node is not null;
    }

    public bool TryGetValue(NodeAddress address, out object value)
    {
        value = (TryGetItem(address, out var item) && item is not Node<IndexDatom> ? item : null)!;
        return value is not null;
    }

    /// <summary>Caches <paramref name="node"/> (already stored at its address) weighing <paramref name="weight"/> bytes; returns the cached instance, which may be an equal one added first by another thread.</summary>
    public Node<IndexDatom> Add(Node<IndexDatom> node, long weight) => AddItem(node.Address, node, weight) as Node<IndexDatom> ?? node;

    /// <summary>Caches the value stored out of line at <paramref name="address"/>; returns the cached instance, which may be an equal one added first by another thread.</summary>
    public object AddValue(NodeAddress address, object value) => AddItem(address, value, NodeWeight.OfValue(value)) is { } cached and not Node<IndexDatom> ? cached : value;

    private bool TryGetItem(NodeAddress address, out object item)
    {
        if (_entries.TryGetValue(address, out var entry))
        {
            entry.Touched = true;
            item = entry.Item;
            return true;
        }
        item = null!;
        return false;
    }

    private object AddItem(NodeAddress address, object item, long weight)
    {
        var entry = new Entry(address, item, weight);
        var cached = _entries.GetOrAdd(address, entry);
        if (!ReferenceEquals(cached, entry)) return cached.Item;
        _clock.Enqueue(entry);
        if (Interlocked.Add(ref _weight, entry.Weight) > CapacityBytes) Evict();
        return item;
    }

    /// <summary>Drops <paramref name="address"/> (an object that is not in the store).</summary>
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
                if (!_entries.TryGetValue(entry.Address, out var current) || !ReferenceEquals(current, entry)) continue;
                if (entry.Touched)
                {
                    entry.Touched = false;
                    _clock.Enqueue(entry);
                    continue;
                }
                if (_entries.TryRemove(new KeyValuePair<NodeAddress, Entry>(entry.Address, entry))) Interlocked.Add(ref _weight, -entry.Weight);
            }
        }
    }

    private sealed class Entry(NodeAddress address, object item, long weight)
    {
        public readonly NodeAddress Address = address;
        public readonly object Item = item;
        public readonly long Weight = weight;
        public volatile bool Touched;
    }
}
