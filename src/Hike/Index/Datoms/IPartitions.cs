using Hike.Index.Tree;

namespace Hike.Index.Datoms;

/// <summary>Read access to the partitions of a partitioned index, persistent or transient.</summary>
internal interface IPartitions<TOrder>
    where TOrder : struct, IDatomOrder
{
    /// <summary>One more than the highest partition number that may hold datoms.</summary>
    int Limit { get; }

    /// <summary>The part of partition <paramref name="partition"/> between the bounds; false when it holds nothing.</summary>
    bool TrySlice(int partition, in IndexDatom from, in IndexDatom to, bool descending, out Slice<IndexDatom, TOrder> slice);

    /// <summary>The smallest datom ≥ <paramref name="key"/> within partition <paramref name="partition"/>.</summary>
    bool TryCeilingInPartition(int partition, in IndexDatom key, out IndexDatom found);
}
