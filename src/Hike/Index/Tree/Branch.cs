namespace Hike.Index.Tree;

/// <summary>
/// An inner node: for each child, its largest element (<see cref="MaxKeys"/>), its element count
/// (<see cref="Counts"/>, so ranges count in O(log n)) and either the child itself or only its
/// storage address (loaded on first touch through the tree's <see cref="INodeLoader{T}"/>).
/// </summary>
internal sealed class Branch<T> : Node<T>
{
    public Branch(int height, T[] maxKeys, Node<T>?[] children, long[] counts, NodeAddress[]? addresses, int len, Edit? edit)
        : base(len, edit)
    {
        HeightValue = height;
        MaxKeys = maxKeys;
        Children = children;
        Counts = counts;
        Addresses = addresses;
        long total = 0;
        for (int i = 0; i < len; i++) total += counts[i];
        Total = total;
    }

    public T[] MaxKeys { get; internal set; }

    public Node<T>?[] Children { get; internal set; }

    public long[] Counts { get; internal set; }

    /// <summary>Storage addresses of children, or null when every child is in memory and unstored.</summary>
    public NodeAddress[]? Addresses { get; internal set; }

    public long Total { get; internal set; }

    public int HeightValue { get; }

    public override long Count => Total;

    public override T MaxKey => MaxKeys[Len - 1];

    public override int Height => HeightValue;

    /// <summary>
    /// The child at <paramref name="i"/>, loaded through <paramref name="loader"/> if only its address
    /// is known. A loaded child is not kept here: the loader's bounded cache holds it, so memory stays
    /// within the cache's bound however much of a stored tree is read.
    /// </summary>
    public Node<T> Child(int i, INodeLoader<T>? loader)
    {
        var child = Volatile.Read(ref Children[i]);
        if (child is not null) return child;
        var address = Addresses![i];
        if (loader is null) throw new InvalidOperationException($"Index node {address} is not loaded and no loader is available");
        return loader.Load(address);
    }

    /// <summary>
    /// A copy of this stored branch that holds its children by address only, so that a tree kept
    /// after a commit holds no more than its root: everything below loads through the bounded cache.
    /// This branch is unchanged, as older values may still read through it.
    /// </summary>
    internal Branch<T> DetachedCopy()
    {
        var addresses = new NodeAddress[Len];
        for (int i = 0; i < Len; i++) addresses[i] = Children[i] is { } c ? c.Address : Addresses![i];
        return new Branch<T>(HeightValue, MaxKeys, new Node<T>?[Len], Counts, addresses, Len, null) { Address = Address };
    }
}
