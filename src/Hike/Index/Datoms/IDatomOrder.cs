namespace Hike.Index.Datoms;

/// <summary>
/// A sort order of datoms that also splits them into partitions: contiguous ranges of the order,
/// numbered in order, each kept in its own tree. Partitions are the places new datoms arrive at the
/// end of — one per attribute in AEVT and AVET, user entities and transaction entities in EAVT — so
/// appends hit a tree's tail instead of the middle of one big tree.
/// </summary>
internal interface IDatomOrder : IComparer<IndexDatom>
{
    /// <summary>The partition of <paramref name="d"/>: a small non-negative number that never decreases along the order.</summary>
    static abstract int Partition(in IndexDatom d);
}
