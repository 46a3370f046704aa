using Hike.Index.Tree;

namespace Hike.Index.Datoms;

/// <summary>
/// A partitioned index being changed by one transaction: each partition it touches becomes a
/// transient tree, the rest are read as they are. <see cref="ToPersistent"/> freezes the result.
/// Not thread-safe.
/// </summary>
internal sealed class TransientDatomIndex<TOrder> : IPartitions<TOrder>
    where TOrder : struct, IDatomOrder
{
    private readonly SmallMap<TransientSortedSet<IndexDatom, TOrder>> _changed = new();
    private PartitionTable<TOrder> _table;
    private long _count;
    private bool _persisted;
    private int _lastPartition = -1;
    private TransientSortedSet<IndexDatom, TOrder>? _last;

    internal TransientDatomIndex(PartitionTable<TOrder> table, long count)
    {
        _table = table;
        _count = count;
    }

    public long Count => _count;

    public int Limit => Math.Max(_table.Limit, _changedLimit);

    private int _changedLimit;

    public bool Add(in IndexDatom d)
    {
        if (!Changing(TOrder.Partition(d)).Add(d)) return false;
        _count++;
        return true;
    }

    public bool Remove(in IndexDatom d)
    {
        int p = TOrder.Partition(d);
        if (!_changed.ContainsKey(p) && _table[p] is null) return false;
        if (!Changing(p).Remove(d)) return false;
        _count--;
        return true;
    }

    public bool Contains(in IndexDatom d) => TryFind(d, out _);

    public bool TryFind(in IndexDatom key, out IndexDatom found)
    {
        int p = TOrder.Partition(key);
        if (_changed.TryGetValue(p, out var t)) return t.TryFind(key, out found);
        if (_table[p] is { } set) return set.TryFind(key, out found);
        found = default;
        return false;
    }

    public bool TryCeiling(in IndexDatom key, out IndexDatom found) => Partitions.TryCeiling(this, key, out found);

    /// <summary>Ascending slice; valid until the next change.</summary>
    public DatomSlice<TOrder> Slice(in IndexDatom from, in IndexDatom to) => new(this, from, to, descending: false);

    /// <summary>Descending slice from <paramref name="from"/> down to <paramref name="to"/>; valid until the next change.</summary>
    public DatomSlice<TOrder> ReverseSlice(in IndexDatom from, in IndexDatom to) => new(this, from, to, descending: true);

    /// <summary>Freezes the changes into a persistent index; this transient cannot be used afterwards.</summary>
    public DatomIndex<TOrder> ToPersistent()
    {
        if (_persisted) throw new InvalidOperationException("The transient index was made persistent and can no longer be used.");
        _persisted = true;
        if (_changed.Count == 0) return DatomIndex<TOrder>.FromTable(_table, _count);
        var persisted = new List<KeyValuePair<int, PersistentSortedSet<IndexDatom, TOrder>>>(_changed.Count);
        foreach (var (p, t) in _changed.Entries()) persisted.Add(new(p, t.ToPersistent()));
        return DatomIndex<TOrder>.FromTable(_table.With(persisted), _count);
    }

    bool IPartitions<TOrder>.TrySlice(int partition, in IndexDatom from, in IndexDatom to, bool descending, out Slice<IndexDatom, TOrder> slice)
    {
        if (_changed.TryGetValue(partition, out var t))
        {
            slice = descending ? t.ReverseSlice(from, to) : t.Slice(from, to);
            return true;
        }
        if (_table[partition] is { } set)
        {
            slice = descending ? set.ReverseSlice(from, to) : set.Slice(from, to);
            return true;
        }
        slice = default;
        return false;
    }

    bool IPartitions<TOrder>.TryCeilingInPartition(int partition, in IndexDatom key, out IndexDatom found)
    {
        if (_changed.TryGetValue(partition, out var t)) return t.TryCeiling(key, out found);
        if (_table[partition] is { } set) return set.TryCeiling(key, out found);
        found = default;
        return false;
    }

    private TransientSortedSet<IndexDatom, TOrder> Changing(int partition)
    {
        if (_persisted) throw new InvalidOperationException("The transient index was made persistent and can no longer be used.");
        if (partition == _lastPartition && _last is not null) return _last;
        if (!_changed.TryGetValue(partition, out var t))
        {
            t = (_table[partition] ?? PersistentSortedSet<IndexDatom, TOrder>.Empty).ToTransient();
            _changed.Add(partition, t);
            _changedLimit = Math.Max(_changedLimit, partition + 1);
        }
        _lastPartition = partition;
        _last = t;
        return t;
    }
}
