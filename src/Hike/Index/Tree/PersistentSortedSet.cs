using System.Collections;

namespace Hike.Index.Tree;

/// <summary>
/// A persistent sorted set: a copy-on-write B+tree whose updates copy only the path they change and
/// share every other node with the previous version, so old versions stay valid forever. The
/// largest elements sit in a tail after the tree, so appending — new entities, new transactions —
/// usually writes one slot in place instead of copying a path. Branch nodes keep subtree counts, so
/// <see cref="Count"/> is O(1) and counting any range O(log n). Children may be known only by
/// storage address and are then loaded on first touch. Immutable and thread-safe.
/// </summary>
internal sealed class PersistentSortedSet<T, TOrder> : IEnumerable<T>
    where TOrder : struct, IComparer<T>
{
    /// <summary>The default node capacity (elements per leaf, children per branch).</summary>
    public const int DefaultCapacity = 48;

    private PersistentSortedSet(Node<T> root, TailLeaf<T>? tail, int capacity, INodeLoader<T>? loader)
    {
        Root = root;
        Tail = tail;
        Capacity = capacity;
        Loader = loader;
    }

    /// <summary>The empty set with the default node capacity.</summary>
    public static PersistentSortedSet<T, TOrder> Empty { get; } = new(new Leaf<T>([], 0, null), null, DefaultCapacity, null);

    /// <summary>Number of elements. O(1).</summary>
    public long Count => BTree<T, TOrder>.Count(Root, Tail);

    internal Node<T> Root { get; }

    /// <summary>The largest elements, after the tree's; null when empty.</summary>
    internal TailLeaf<T>? Tail { get; }

    internal int Capacity { get; }

    internal INodeLoader<T>? Loader { get; }

    /// <summary>An empty set whose nodes hold at most <paramref name="capacity"/> entries (≥ 4).</summary>
    internal static PersistentSortedSet<T, TOrder> Create(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 4);
        return new(new Leaf<T>([], 0, null), null, capacity, null);
    }

    /// <summary>A set over an existing root and tail (e.g. read from storage), loading unloaded children through <paramref name="loader"/>.</summary>
    internal static PersistentSortedSet<T, TOrder> FromRoot(Node<T> root, TailLeaf<T>? tail, INodeLoader<T>? loader, int capacity = DefaultCapacity) => new(root, tail, capacity, loader);

    /// <summary>Builds a set from strictly ascending input in O(n); throws <see cref="ArgumentException"/> otherwise.</summary>
    public static PersistentSortedSet<T, TOrder> FromSorted(ReadOnlySpan<T> sorted) => FromSorted(sorted, DefaultCapacity);

    internal static PersistentSortedSet<T, TOrder> FromSorted(ReadOnlySpan<T> sorted, int capacity) =>
        new(BTree<T, TOrder>.Build(sorted, capacity), null, capacity, null);

    /// <summary>The smallest element ≥ <paramref name="key"/>, if any. O(log n), no allocation.</summary>
    /// <summary>The leaf that holds or would hold <paramref name="key"/> and the position of the first element ≥ it. O(log n).</summary>
    internal Leaf<T> LeafAt(in T key, out int index) => BTree<T, TOrder>.LeafAt(Root, Tail, key, Loader, out index);

    /// <summary>True when <paramref name="leaf"/> is this set's tail, after which nothing follows.</summary>
    internal bool IsTail(Leaf<T> leaf) => ReferenceEquals(leaf, Tail);

    public bool TryCeiling(in T key, out T found) => BTree<T, TOrder>.TryCeiling(Root, Tail, key, Loader, out found);

    public bool Contains(in T item) => BTree<T, TOrder>.TryFind(Root, Tail, item, Loader, out _);

    /// <summary>The element comparing equal to <paramref name="key"/>, if any. O(log n).</summary>
    public bool TryFind(in T key, out T found) => BTree<T, TOrder>.TryFind(Root, Tail, key, Loader, out found);

    /// <summary>The set with <paramref name="item"/> added; this instance when already present. O(log n); an append is usually O(1).</summary>
    public PersistentSortedSet<T, TOrder> Add(in T item)
    {
        var root = Root;
        var tail = Tail;
        return BTree<T, TOrder>.Add(ref root, ref tail, item, null, Capacity, Loader) ? new(root, tail, Capacity, Loader) : this;
    }

    /// <summary>The set without <paramref name="item"/>; this instance when absent. O(log n), copies one path.</summary>
    public PersistentSortedSet<T, TOrder> Remove(in T item)
    {
        var root = Root;
        var tail = Tail;
        return BTree<T, TOrder>.Remove(ref root, ref tail, item, null, Capacity, Loader) ? new(root, tail, Capacity, Loader) : this;
    }

    /// <summary>A transient copy for a batch of changes; this set is unaffected by them.</summary>
    public TransientSortedSet<T, TOrder> ToTransient() => new(Root, Tail, Capacity, Loader);

    /// <summary>The elements from <paramref name="from"/> to <paramref name="to"/> inclusive, ascending. Lazy; O(log n) to start.</summary>
    public Slice<T, TOrder> Slice(in T from, in T to) => new(Root, Tail, Loader, from, to, descending: false);

    /// <summary>The elements from <paramref name="from"/> down to <paramref name="to"/> inclusive, descending.</summary>
    public Slice<T, TOrder> ReverseSlice(in T from, in T to) => new(Root, Tail, Loader, from, to, descending: true);

    /// <summary>Number of elements between <paramref name="from"/> and <paramref name="to"/> inclusive. O(log n).</summary>
    public long CountRange(in T from, in T to) => CountRange(Root, Tail, Loader, from, to);

    /// <summary>The element at position <paramref name="index"/> in sorted order. O(log n).</summary>
    public T ElementAt(long index) => BTree<T, TOrder>.ElementAt(Root, Tail, index, Loader);

    /// <summary>Number of elements below <paramref name="key"/>. O(log n).</summary>
    public long Rank(in T key) => BTree<T, TOrder>.Rank(Root, Tail, key, false, Loader);

    /// <summary>All elements, ascending.</summary>
    public Enumerator GetEnumerator() => new(Root, Tail, Loader);

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Checks every structural invariant; throws <see cref="InvalidOperationException"/> naming the first broken one.</summary>
    internal void CheckInvariants() => TreeInvariants<T, TOrder>.Check(Root, Tail, Capacity, Loader);

    internal static long CountRange(Node<T> root, TailLeaf<T>? tail, INodeLoader<T>? loader, in T from, in T to)
    {
        if (BTree<T, TOrder>.Cmp(from, to) > 0) return 0;
        return BTree<T, TOrder>.Rank(root, tail, to, true, loader) - BTree<T, TOrder>.Rank(root, tail, from, false, loader);
    }

    /// <summary>Ascending enumerator over the whole set.</summary>
    public struct Enumerator : IEnumerator<T>
    {
        private Cursor<T, TOrder> _cursor;
        private bool _started;

        internal Enumerator(Node<T> root, TailLeaf<T>? tail, INodeLoader<T>? loader)
        {
            _cursor = new Cursor<T, TOrder>(root, tail, loader);
            _started = false;
        }

        public readonly T Current => _cursor.Current;

        readonly object? IEnumerator.Current => Current;

        public bool MoveNext()
        {
            if (_started) return _cursor.Next();
            _started = true;
            return _cursor.First();
        }

        public void Reset() => _started = false;

        public readonly void Dispose()
        {
        }
    }
}
