using System.Runtime.CompilerServices;
using Hike.Edn;

namespace Hike.Index.Datoms;

/// <summary>Attribute, entity, value, transaction, operation: the order of AEVT indices.</summary>
internal readonly struct AevtOrder : IDatomOrder
{
    /// <summary>Partitions: one per attribute.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Partition(in IndexDatom d) => d.A;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Compare(IndexDatom x, IndexDatom y)
    {
        if (x.A != y.A) return x.A < y.A ? -1 : 1;
        if (x.E != y.E) return x.E < y.E ? -1 : 1;
        int c = ValueOrder.CompareValues(x.V, y.V);
        return c != 0 ? c : DatomOrder.CompareTxOp(in x, in y);
    }
}
