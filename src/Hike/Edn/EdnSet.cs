using System.Collections;

namespace Hike.Edn;

/// <summary>
/// An immutable EDN set, <c>#{a b c}</c>, keeping the order its elements were given in. Membership
/// uses value semantics (<see cref="ValueEquality"/>); <c>nil</c> is a valid element.
/// </summary>
public sealed class EdnSet : IReadOnlyCollection<object?>, IEquatable<EdnSet>, IHashCached
{
    /// <summary>The empty set.</summary>
    public static readonly EdnSet Empty = new([], new HashSet<object>(NullKey.Comparer));

    private readonly object?[] _items;
    private HashSet<object>? _members;
    private long _hash;

    private EdnSet(object?[] items, HashSet<object>? members)
    {
        _items = items;
        _members = members;
    }

    /// <summary>Number of elements. O(1).</summary>
    public int Count => _items.Length;

    /// <summary>The elements in the order they were added.</summary>
    public ReadOnlySpan<object?> Items => _items;

    /// <summary>Builds a set; repeated elements are kept once (first position wins).</summary>
    public static EdnSet Create(IEnumerable<object?> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var members = new HashSet<object>(NullKey.Comparer);
        var list = new List<object?>();
        foreach (var item in items)
        {
            if (members.Add(NullKey.Wrap(item))) list.Add(item);
        }
        return list.Count == 0 ? Empty : new EdnSet(list.ToArray(), members);
    }

    /// <summary>
    /// Wraps elements the caller knows to be pairwise distinct (query answers), without hashing them
    /// until the set is first searched. The array is owned by the set from then on.
    /// </summary>
    internal static EdnSet FromDistinct(object?[] items) => items.Length == 0 ? Empty : new EdnSet(items, null);

    /// <summary>Builds a set from the arguments.</summary>
    public static EdnSet Of(params object?[] items) => Create(items);

    /// <summary>
    /// Builds a set, reporting the first repeated element instead of dropping it; the EDN reader
    /// rejects sets with duplicates.
    /// </summary>
    internal static EdnSet? TryCreateDistinct(object?[] items, out object? duplicate)
    {
        duplicate = null;
        var members = new HashSet<object>(items.Length, NullKey.Comparer);
        foreach (var item in items)
        {
            if (!members.Add(NullKey.Wrap(item)))
            {
                duplicate = item;
                return null;
            }
        }
        return items.Length == 0 ? Empty : new EdnSet(items, members);
    }

    /// <summary>True when the set holds <paramref name="item"/> (value semantics). O(1) on average.</summary>
    public bool Contains(object? item) => Members.Contains(NullKey.Wrap(item));

    /// <summary>The membership index, built on first use for sets made by <see cref="FromDistinct"/>.</summary>
    private HashSet<object> Members
    {
        get
        {
            if (_members is { } built) return built;
            var members = new HashSet<object>(_items.Length, NullKey.Comparer);
            foreach (var item in _items) members.Add(NullKey.Wrap(item));
            _members = members;
            return members;
        }
    }

    /// <inheritdoc />
    public IEnumerator<object?> GetEnumerator() => ((IEnumerable<object?>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <summary>Set equality with value semantics, independent of order.</summary>
    public bool Equals(EdnSet? other) => ValueEquality.Instance.Equals(this, other);

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

    /// <summary>The set as EDN text.</summary>
    public override string ToString() => EdnPrinter.Print(this);
}
