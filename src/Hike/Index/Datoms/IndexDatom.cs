using System.Runtime.CompilerServices;
using Hike.Edn;

namespace Hike.Index.Datoms;

/// <summary>
/// A datom as the indices hold it: entity id, interned attribute id, value, transaction id and
/// whether it asserts or retracts. The public API shows the attribute as a keyword; inside the
/// indices it is a small integer so comparisons stay cheap. Transaction, attribute and operation
/// share one 64-bit word (40, 23 and 1 bits), so a datom is 24 bytes: index nodes, which are
/// copied on every change, stay small. Values above the field ranges (used as scan bounds) are
/// clamped to the largest representable value.
/// </summary>
internal readonly struct IndexDatom : IEquatable<IndexDatom>
{
    /// <summary>The largest attribute id (23 bits).</summary>
    public const int MaxA = (1 << 23) - 1;

    /// <summary>The largest transaction id (40 bits).</summary>
    public const long MaxTx = (1L << 40) - 1;

    public readonly long E;
    public readonly object V;
    private readonly ulong _txAttrOp;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public IndexDatom(long e, int a, object v, long tx, bool added)
    {
        E = e;
        V = v;
        ulong t = tx > MaxTx ? MaxTx : tx < 0 ? 0 : (ulong)tx;
        ulong at = a > MaxA ? MaxA : a < 0 ? 0 : (ulong)a;
        _txAttrOp = (t << 24) | (at << 1) | (added ? 1UL : 0UL);
    }

    public int A
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (int)((_txAttrOp >> 1) & MaxA);
    }

    public long Tx
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (long)(_txAttrOp >> 24);
    }

    public bool Added
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (_txAttrOp & 1) != 0;
    }

    /// <summary>Transaction then operation, as one number that orders the same way.</summary>
    internal ulong TxOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ((_txAttrOp >> 24) << 1) | (_txAttrOp & 1);
    }

    /// <summary>The same fact with another transaction id and operation.</summary>
    public IndexDatom With(long tx, bool added) => new(E, A, V, tx, added);

    /// <summary>True when both datoms state the same fact (entity, attribute, value), whatever the transaction.</summary>
    public bool SameFact(in IndexDatom other) => E == other.E && A == other.A && ValueOrder.CompareValues(V, other.V) == 0;

    public bool Equals(IndexDatom other) => SameFact(other) && Tx == other.Tx && Added == other.Added;

    public override bool Equals(object? obj) => obj is IndexDatom d && Equals(d);

    public override int GetHashCode() => HashCode.Combine(E, A, ValueEquality.Instance.GetHashCode(V), Tx, Added);

    /// <summary>The datom in Datahike's spelling, with the attribute's id: <c>#datahike/Datom [1 17 "Ivan" 536870913 true]</c>.</summary>
    public override string ToString() => EdnPrinter.Print(EdnPrinter.DatomForm(E, A, V, Tx, Added));
}
