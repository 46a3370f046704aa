namespace Hike.Index.Datoms;

/// <summary>Reads shared by persistent and transient partitioned indices.</summary>
internal static class Partitions
{
    /// <summary>
    /// The smallest datom ≥ <paramref name="key"/>: in its own partition, or else the first datom of
    /// the next partition that has any (partitions are consecutive ranges of the order).
    /// </summary>
    public static bool TryCeiling<TOrder>(IPartitions<TOrder> source, in IndexDatom key, out IndexDatom found)
        where TOrder : struct, IDatomOrder
    {
        if (source.TryCeilingInPartition(TOrder.Partition(key), key, out found)) return true;
        var slice = new DatomSlice<TOrder>(source, key, new IndexDatom(long.MaxValue, IndexDatom.MaxA, Edn.ValueOrder.Max, IndexDatom.MaxTx, true), descending: false);
        foreach (var d in slice)
        {
            found = d;
            return true;
        }
        found = default;
        return false;
    }
}
