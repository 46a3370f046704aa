using System.Runtime.CompilerServices;
using Hike.Edn;

namespace Hike.Index.Datoms;

/// <summary>Attribute, value, entity, transaction, operation: the order of AVET indices.</summary>
internal readonly struct AvetOrder : IDatomOrder
{
    /// <summary>Partitions: one per attribute.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Partition(in IndexDatom d) => d.A;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Compare(IndexDatom x, IndexDatom y)
    {
        if (x.A != y.A) return x.A < y.A ? -1 : 1;
        int c = ValueOrder.CompareValues(x.V, y.V);
        if (c != 0) return c;
        if (x.E != y.E) return x.E < y.E ? -1 : 1;
        return DatomOrder.CompareTxOp(in x, in y);
    }
}
