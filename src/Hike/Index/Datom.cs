using System.Runtime.CompilerServices;
using Hike.Edn;

namespace Hike.Index;

/// <summary>
/// A datom as the indices hold it: entity id, interned attribute id, value, transaction id and
/// whether it asserts or retracts. The public API shows the attribute as a keyword; inside the
/// indices it is a small integer so comparisons stay cheap.
/// </summary>
internal readonly struct Datom : IEquatable<Datom>
{
    public readonly long E;
    public readonly object V;
    public readonly long Tx;
    public readonly int A;
    public readonly bool Added;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Datom(long e, int a, object v, long tx, bool added)
    {
        E = e;
        A = a;
        V = v;
        Tx = tx;
        Added = added;
    }

    /// <summary>The same fact with another transaction id and operation.</summary>
    public Datom With(long tx, bool added) => new(E, A, V, tx, added);

    /// <summary>True when both datoms state the same fact (entity, attribute, value), whatever the transaction.</summary>
    public bool SameFact(in Datom other) => E == other.E && A == other.A && ValueOrder.CompareValues(V, other.V) == 0;

    public bool Equals(Datom other) => SameFact(other) && Tx == other.Tx && Added == other.Added;

    public override bool Equals(object? obj) => obj is Datom d && Equals(d);

    public override int GetHashCode() => HashCode.Combine(E, A, ValueEquality.Instance.GetHashCode(V), Tx, Added);

    public override string ToString() => $"#datom [{E} {A} {EdnPrinter.Print(V)} {Tx} {(Added ? "true" : "false")}]";
}
