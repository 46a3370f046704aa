using System.Runtime.CompilerServices;
using Hike.Edn;

namespace Hike.Index.Datoms;

/// <summary>Entity, attribute, value, transaction, operation: the order of EAVT indices.</summary>
internal readonly struct EavtOrder : IDatomOrder
{
    /// <summary>The first transaction entity id (tx0); transaction entities form EAVT's second partition.</summary>
    public const long TransactionEntities = 536870912;

    /// <summary>Partitions: user entities, then transaction entities.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Partition(in IndexDatom d) => d.E >= TransactionEntities ? 1 : 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Compare(IndexDatom x, IndexDatom y)
    {
        if (x.E != y.E) return x.E < y.E ? -1 : 1;
        if (x.A != y.A) return x.A < y.A ? -1 : 1;
        int c = ValueOrder.CompareValues(x.V, y.V);
        return c != 0 ? c : DatomOrder.CompareTxOp(in x, in y);
    }
}
