using System.Text;
using Hike.Edn;

namespace Hike.Api;

/// <summary>
/// A fact as the API returns it: entity id, attribute keyword, value, transaction id, and whether it
/// was asserted (<c>true</c>) or retracted. Equality compares all five parts (values by content).
/// Prints as Datahike does, <c>#datahike/Datom [e a v tx added]</c>, which the EDN reader reads back
/// as the vector <c>[e a v tx added]</c> that loads (<see cref="Connection.LoadEntitiesAsync"/>) take.
/// </summary>
public readonly struct Datom : IEquatable<Datom>, IEdnPrintable, ICborFrame
{
    /// <summary>Creates a datom.</summary>
    public Datom(long e, Keyword a, object v, long tx, bool added)
    {
        E = e;
        A = a;
        V = v;
        Tx = tx;
        Added = added;
    }

    /// <summary>The entity id.</summary>
    public long E { get; }

    /// <summary>The attribute.</summary>
    public Keyword A { get; }

    /// <summary>The value.</summary>
    public object V { get; }

    /// <summary>The id of the transaction that asserted or retracted the fact.</summary>
    public long Tx { get; }

    /// <summary>True for an assertion, false for a retraction.</summary>
    public bool Added { get; }

    /// <summary>Deconstructs into entity, attribute and value.</summary>
    public void Deconstruct(out long e, out Keyword a, out object v)
    {
        e = E;
        a = A;
        v = V;
    }

    /// <summary>Deconstructs into all five parts.</summary>
    public void Deconstruct(out long e, out Keyword a, out object v, out long tx, out bool added)
    {
        Deconstruct(out e, out a, out v);
        tx = Tx;
        added = Added;
    }

    /// <inheritdoc />
    public bool Equals(Datom other) =>
        E == other.E && ReferenceEquals(A, other.A) && ValueEquality.Instance.Equals(V, other.V) && Tx == other.Tx && Added == other.Added;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Datom d && Equals(d);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(E, A, ValueEquality.Instance.GetHashCode(V), Tx, Added);

    /// <summary>Equality of two datoms.</summary>
    public static bool operator ==(Datom left, Datom right) => left.Equals(right);

    /// <summary>Inequality of two datoms.</summary>
    public static bool operator !=(Datom left, Datom right) => !left.Equals(right);

    /// <summary>The datom as Datahike prints it: <c>#datahike/Datom [1 :name "Ivan" 536870913 true]</c>.</summary>
    public override string ToString() => EdnPrinter.Print(this);

    /// <inheritdoc />
    void IEdnPrintable.PrintEdn(StringBuilder sb) => EdnPrinter.Print(sb, EdnPrinter.DatomForm(E, A, V, Tx, Added));

    /// <inheritdoc />
    string ICborFrame.CborTypeName => CborValueWriter.DatomFrame;

    /// <inheritdoc />
    object? ICborFrame.CborArgument => EdnVector.Create(E, A, V, Tx, Added);
}
