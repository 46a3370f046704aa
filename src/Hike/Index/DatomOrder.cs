using System.Runtime.CompilerServices;

namespace Hike.Index;

/// <summary>Shared pieces of the datom orders.</summary>
internal static class DatomOrder
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CompareTxOp(in Datom x, in Datom y)
    {
        if (x.Tx != y.Tx) return x.Tx < y.Tx ? -1 : 1;
        return x.Added == y.Added ? 0 : (x.Added ? 1 : -1);
    }
}
