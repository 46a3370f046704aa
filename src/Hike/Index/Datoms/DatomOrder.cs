using System.Runtime.CompilerServices;

namespace Hike.Index.Datoms;

/// <summary>Shared pieces of the datom orders.</summary>
internal static class DatomOrder
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CompareTxOp(in IndexDatom x, in IndexDatom y)
    {
        ulong a = x.TxOp, b = y.TxOp;
        return a == b ? 0 : a < b ? -1 : 1;
    }
}
