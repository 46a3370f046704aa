using System.Collections;
using Hike.Index.Tree;

namespace Hike.Index.Datoms;

/// <summary>
/// A persistent index of datoms in one order, kept as one tree per partition of that order (see
/// <see cref="IDatomOrder"/>): reads of one attribute or entity touch one small tree, and datoms
/// arriving at the end of a partition land in that tree's tail without copying a path. Updates share
/// every untouched tree and node with the previous version. Immutable and thread-safe.
/// </summary>
internal sealed class DatomIndex<TOrder> : IEnumerable<IndexDatom>, IPartitions<TOrder>
    where TOrder : struct, IDatomOrder
{
    private static readonly IndexDatom First = new(0, 0, Edn.ValueOrder.Min, 0, false);
    private static readonly IndexDatom Last = new(long.MaxValue, IndexDatom.MaxA, Edn.ValueOrder.Max, IndexDatom.MaxTx, true);

    private readonly PartitionTable<TOrder> _table;

    private DatomIndex(PartitionTable<TOrder> table, long count)
    {
        _table = table;
        Count = count;
    }

    public static DatomIndex<TOrder> Empty { get; } = new(PartitionTable<TOrder>.Empty, 0);

    /// <summary>Number of datoms. O(1).</summary>
    public long Count { get; }

    /// <summary>One more than the highest partition number with room in the table.</summary>
    public int Limit => _table.Limit;

    internal PartitionTable<TOrder> Table => _table;

    /// <summary>The tree of partition <paramref name="partition"/>, or null.</summary>
    internal PersistentSortedSet<IndexDatom, TOrder>? Partition(int partition) => _table[partition];

    /// <summary>Builds an index from datoms in strictly ascending order. O(n).</summary>
    public static DatomIndex<TOrder> FromSorted(ReadOnlySpan<IndexDatom> sorted)
    {
        var parts = new List<(int, PersistentSortedSet<IndexDatom, TOrder>)>();
        for (int start = 0; start < sorted.Length;)
        {
            int p = TOrder.Partition(sorted[start]);
            int end = start + 1;
            while (end < sorted.Length && TOrder.Partition(sorted[end]) == p) end++;
            if (end < sorted.Length && TOrder.Partition(sorted[end]) < p) throw new ArgumentException($"Input is not sorted at index {end}.", nameof(sorted));
            parts.Add((p, PersistentSortedSet<IndexDatom, TOrder>.FromSorted(sorted[start..end])));
            start = end;
        }
        return new DatomIndex<TOrder>(PartitionTable<TOrder>.From(parts), sorted.Length);
    }

    internal static DatomIndex<TOrder> FromTable(PartitionTable<TOrder> table, long count) => new(table, count);

    public bool Contains(in IndexDatom d) => _table[TOrder.Partition(d)]?.Contains(d) ?? false;

    public bool TryFind(in IndexDatom key, out IndexDatom found)
    {
        if (_table[TOrder.Partition(key)] is { } set) return set.TryFind(key, out found);
        found = default;
        return false;
    }

    /// <summary>The smallest datom ≥ <paramref name="key"/>, if any. O(log n), no allocation.</summary>
    public bool TryCeiling(in IndexDatom key, out IndexDatom found) => Partitions.TryCeiling(this, key, out found);

    /// <summary>The index with <paramref name="d"/> added; this instance when already present.</summary>
    public DatomIndex<TOrder> Add(in IndexDatom d)
    {
        int p = TOrder.Partition(d);
        var set = _table[p] ?? PersistentSortedSet<IndexDatom, TOrder>.Empty;
        var next = set.Add(d);
        return ReferenceEquals(next, set) ? this : new(_table.With(p, next), Count + 1);
    }

    /// <summary>The index without <paramref name="d"/>; this instance when absent.</summary>
    public DatomIndex<TOrder> Remove(in IndexDatom d)
    {
        int p = TOrder.Partition(d);
        if (_table[p] is not { } set) return this;
        var next = set.Remove(d);
        return ReferenceEquals(next, set) ? this : new(_table.With(p, next), Count - 1);
    }

    public TransientDatomIndex<TOrder> ToTransient() => new(_table, Count);

    /// <summary>The datoms from <paramref name="from"/> to <paramref name="to"/> inclusive, ascending.</summary>
    public DatomSlice<TOrder> Slice(in IndexDatom from, in IndexDatom to) => new(this, from, to, descending: false);

    /// <summary>The datoms from <paramref name="from"/> down to <paramref name="to"/> inclusive, descending.</summary>
    public DatomSlice<TOrder> ReverseSlice(in IndexDatom from, in IndexDatom to) => new(this, from, to, descending: true);

    /// <summary>Number of datoms between the bounds, inclusive. O(log n) per partition spanned.</summary>
    public long CountRange(in IndexDatom from, in IndexDatom to)
    {
        if (default(TOrder).Compare(from, to) > 0) return 0;
        long n = 0;
        int last = Math.Min(TOrder.Partition(to), Limit - 1);
        for (int p = TOrder.Partition(from); p <= last; p++)
        {
            if (_table[p] is { } set) n += set.CountRange(from, to);
        }
        return n;
    }

    /// <summary>Number of datoms below <paramref name="key"/>. O(partitions + log n).</summary>
    public long Rank(in IndexDatom key)
    {
        int p = TOrder.Partition(key);
        long n = 0;
        for (int q = 0; q < Math.Min(p, Limit); q++) n += _table[q]?.Count ?? 0;
        return n + (_table[p]?.Rank(key) ?? 0);
    }

    /// <summary>The datom at position <paramref name="index"/> in index order. O(partitions + log n).</summary>
    public IndexDatom ElementAt(long index)
    {
        for (int p = 0; p < Limit; p++)
        {
            if (_table[p] is not { } set) continue;
            if (index < set.Count) return set.ElementAt(index);
            index -= set.Count;
        }
        throw new ArgumentOutOfRangeException(nameof(index));
    }

    public DatomSlice<TOrder>.Enumerator GetEnumerator() => Slice(First, Last).GetEnumerator();

    IEnumerator<IndexDatom> IEnumerable<IndexDatom>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    bool IPartitions<TOrder>.TrySlice(int partition, in IndexDatom from, in IndexDatom to, bool descending, out Slice<IndexDatom, TOrder> slice)
    {
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
        if (_table[partition] is { } set) return set.TryCeiling(key, out found);
        found = default;
        return false;
    }

    /// <summary>
    /// The tree holding every datom between the bounds when they fall in one partition (the usual
    /// case: one attribute, one entity), for reads that want to skip the partition walk.
    /// </summary>
    public bool TrySinglePartition(in IndexDatom from, in IndexDatom to, out PersistentSortedSet<IndexDatom, TOrder>? set)
    {
        int p = TOrder.Partition(from);
        set = _table[p];
        return p == TOrder.Partition(to);
    }

    /// <summary>Checks every tree and that each datom sits in its own partition.</summary>
    internal void CheckInvariants()
    {
        long total = 0;
        for (int p = 0; p < Limit; p++)
        {
            if (_table[p] is not { } set) continue;
            set.CheckInvariants();
            foreach (var d in set)
            {
                if (TOrder.Partition(d) != p) throw new InvalidOperationException($"Datom {d} is in partition {p}, not {TOrder.Partition(d)}");
            }
            total += set.Count;
        }
        if (total != Count) throw new InvalidOperationException($"Index count {Count} but partitions hold {total}");
    }
}
