namespace Hike.Index.Tree;

/// <summary>
/// A mutable working copy of a <see cref="PersistentSortedSet{T, TOrder}"/> for a batch of changes
/// (one transaction): the first change to a shared node copies it, later changes to the copy happen
/// in place. <see cref="ToPersistent"/> freezes the result in O(1). Not thread-safe.
/// </summary>
internal sealed class TransientSortedSet<T, TOrder>
    where TOrder : struct, IComparer<T>
{
    private readonly Edit _edit = new();
    private readonly int _capacity;
    private readonly INodeLoader<T>? _loader;
    private Node<T> _root;
    private TailLeaf<T>? _tail;

    internal TransientSortedSet(Node<T> root, TailLeaf<T>? tail, int capacity, INodeLoader<T>? loader)
    {
        _root = root;
        _tail = tail;
        _capacity = capacity;
        _loader = loader;
    }

    public long Count => BTree<T, TOrder>.Count(Root, _tail);

    private Node<T> Root => _edit.Active ? _root : throw new InvalidOperationException("The transient set was made persistent and can no longer be used.");

    /// <summary>Adds <paramref name="item"/>; false when already present.</summary>
    public bool Add(in T item)
    {
        _ = Root;
        return BTree<T, TOrder>.Add(ref _root, ref _tail, item, _edit, _capacity, _loader);
    }

    /// <summary>Removes <paramref name="item"/>; false when absent.</summary>
    public bool Remove(in T item)
    {
        _ = Root;
        return BTree<T, TOrder>.Remove(ref _root, ref _tail, item, _edit, _capacity, _loader);
    }

    /// <summary>The smallest element ≥ <paramref name="key"/>, if any. O(log n), no allocation.</summary>
    public bool TryCeiling(in T key, out T found) => BTree<T, TOrder>.TryCeiling(Root, _tail, key, _loader, out found);

    public bool Contains(in T item) => BTree<T, TOrder>.TryFind(Root, _tail, item, _loader, out _);

    public bool TryFind(in T key, out T found) => BTree<T, TOrder>.TryFind(Root, _tail, key, _loader, out found);

    /// <summary>Ascending slice; valid until the next change.</summary>
    public Slice<T, TOrder> Slice(in T from, in T to) => new(Root, _tail, _loader, from, to, descending: false);

    /// <summary>Descending slice from <paramref name="from"/> down to <paramref name="to"/>; valid until the next change.</summary>
    public Slice<T, TOrder> ReverseSlice(in T from, in T to) => new(Root, _tail, _loader, from, to, descending: true);

    public long CountRange(in T from, in T to) => PersistentSortedSet<T, TOrder>.CountRange(Root, _tail, _loader, from, to);

    /// <summary>Freezes the changes into a persistent set in O(1); this transient cannot be used afterwards.</summary>
    public PersistentSortedSet<T, TOrder> ToPersistent()
    {
        var root = Root;
        _edit.Active = false;
        return PersistentSortedSet<T, TOrder>.FromRoot(root, _tail, _loader, _capacity);
    }
}
