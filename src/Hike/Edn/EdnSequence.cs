using System.Collections;

namespace Hike.Edn;

/// <summary>
/// An immutable EDN sequential collection: the common base of <see cref="EdnVector"/> and
/// <see cref="EdnList"/>. As in Clojure, a list and a vector with equal elements are equal.
/// </summary>
public abstract class EdnSequence : IReadOnlyList<object?>, IEquatable<EdnSequence>, IHashCached
{
    private protected readonly object?[] Items;
    private long _hash;

    private protected EdnSequence(object?[] items) => Items = items;

    /// <summary>Number of elements. O(1).</summary>
    public int Count => Items.Length;

    /// <summary>The element at <paramref name="index"/>. O(1).</summary>
    public object? this[int index] => Items[index];

    /// <summary>The elements as a read-only span. O(1), no copy.</summary>
    public ReadOnlySpan<object?> AsSpan() => Items;

    /// <inheritdoc />
    public IEnumerator<object?> GetEnumerator() => ((IEnumerable<object?>)Items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => Items.GetEnumerator();

    /// <summary>Element-wise equality with value semantics (<see cref="ValueEquality"/>).</summary>
    public bool Equals(EdnSequence? other) => ValueEquality.Instance.Equals(this, other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => ValueEquality.Instance.Equals(this, obj);

    long IHashCached.CachedHash
    {
        get => Volatile.Read(ref _hash);
        set => Volatile.Write(ref _hash, value);
    }

    /// <inheritdoc />
    public override int GetHashCode()
    {
        return ValueEquality.Instance.GetHashCode(this);
    }

    /// <summary>The collection as EDN text.</summary>
    public override string ToString() => EdnPrinter.Print(this);
}
