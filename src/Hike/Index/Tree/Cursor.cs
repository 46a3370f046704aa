namespace Hike.Index.Tree;

/// <summary>
/// A position in a set: the path of branches from the root and an index in a leaf, or an index in
/// the tail, which comes after the tree's last leaf. Moves forward and backward leaf to leaf
/// without revisiting the root. A mutable struct; copy with care.
/// </summary>
internal struct Cursor<T, TOrder>
    where TOrder : struct, IComparer<T>
{
    /// <summary>How many siblings ahead of a scan the loader is told it will soon need.</summary>
    private const int PrefetchWindow = 32;

    private readonly Node<T> _root;
    private readonly TailLeaf<T>? _tail;
    private readonly INodeLoader<T>? _loader;
    private readonly int _height;
    private PathBuffer<Branch<T>> _path;
    private PathBuffer<int> _indices;
    private Leaf<T>? _leaf;
    private int _pos;

    public Cursor(Node<T> root, TailLeaf<T>? tail, INodeLoader<T>? loader)
    {
        _root = root;
        _tail = tail;
        _loader = loader;
        _height = root.Height;
        if (_height > PathBuffer<int>.MaxDepth) throw new InvalidOperationException($"Tree of height {_height} is deeper than a cursor supports");
        _leaf = null;
        _pos = 0;
    }

    public readonly T Current => _leaf!.Keys[_pos];

    public readonly ref readonly T CurrentRef => ref _leaf!.Keys[_pos];

    private readonly bool InTail => _tail is not null && ReferenceEquals(_leaf, _tail);

    /// <summary>Moves to the first element; false when the set is empty.</summary>
    public bool First()
    {
        if (_root.Len == 0) return EnterTail(first: true);
        var node = _root;
        int depth = 0;
        while (node is Branch<T> b)
        {
            _path[depth] = b;
            _indices[depth++] = 0;
            node = b.Child(0, _loader);
        }
        _leaf = (Leaf<T>)node;
        _pos = 0;
        return true;
    }

    /// <summary>Moves to the first element ≥ <paramref name="key"/>; false when there is none.</summary>
    public bool SeekCeiling(in T key)
    {
        if (_root.Len == 0 || (_tail is not null && BTree<T, TOrder>.Cmp(key, _root.MaxKey) > 0))
        {
            if (_tail is null) return false;
            int t = BTree<T, TOrder>.Search(_tail.Keys, _tail.Len, key);
            _leaf = _tail;
            _pos = t >= 0 ? t : ~t;
            return _pos < _tail.Len;
        }
        int idx = Descend(key);
        _pos = idx >= 0 ? idx : ~idx;
        return _pos < _leaf!.Len || NextLeaf();
    }

    /// <summary>Moves to the last element ≤ <paramref name="key"/>; false when there is none.</summary>
    public bool SeekFloor(in T key)
    {
        if (BTree<T, TOrder>.InTail(_tail, key))
        {
            int t = BTree<T, TOrder>.Search(_tail!.Keys, _tail.Len, key);
            _leaf = _tail;
            _pos = t >= 0 ? t : ~t - 1;
            return true;
        }
        if (_root.Len == 0) return false;
        int idx = Descend(key);
        _pos = idx >= 0 ? idx : ~idx - 1;
        if (_pos >= _leaf!.Len) _pos = _leaf.Len - 1;
        return _pos >= 0 || PreviousLeaf();
    }

    /// <summary>The elements of the current leaf; valid from <see cref="Position"/> to <see cref="LeafLength"/>.</summary>
    public readonly T[] LeafKeys => _leaf!.Keys;

    public readonly int LeafLength => _leaf!.Len;

    public readonly int Position => _pos;

    /// <summary>Moves to the first element of the next leaf (or of the tail); false at the end.</summary>
    public bool NextLeafStart()
    {
        _pos = _leaf!.Len - 1;
        return Next();
    }

    public bool Next()
    {
        if (++_pos < _leaf!.Len) return true;
        return !InTail && (NextLeaf() || EnterTail(first: true));
    }

    public bool Previous()
    {
        if (--_pos >= 0) return true;
        if (!InTail) return PreviousLeaf();
        return _root.Len > 0 && LastOfTree();
    }

    /// <summary>Walks down to the leaf that holds or would hold <paramref name="key"/>; returns its search result there.</summary>
    private int Descend(in T key)
    {
        var node = _root;
        int depth = 0;
        while (node is Branch<T> b)
        {
            int i = BTree<T, TOrder>.ChildIndex(b, key);
            _path[depth] = b;
            _indices[depth++] = i;
            node = b.Child(i, _loader);
        }
        _leaf = (Leaf<T>)node;
        return BTree<T, TOrder>.Search(_leaf.Keys, _leaf.Len, key);
    }

    private bool EnterTail(bool first)
    {
        if (_tail is null) return false;
        _leaf = _tail;
        _pos = first ? 0 : _tail.Len - 1;
        return true;
    }

    /// <summary>Moves to the tree's last element (from the tail, going backwards).</summary>
    private bool LastOfTree()
    {
        var node = _root;
        int depth = 0;
        while (node is Branch<T> b)
        {
            _path[depth] = b;
            _indices[depth++] = b.Len - 1;
            node = b.Child(b.Len - 1, _loader);
        }
        _leaf = (Leaf<T>)node;
        _pos = _leaf.Len - 1;
        return _pos >= 0;
    }

    private bool NextLeaf()
    {
        int depth = _height - 1;
        while (depth >= 0 && _indices[depth] + 1 >= _path[depth].Len) depth--;
        if (depth < 0) return false;
        _indices[depth]++;
        // A scan has left its first leaf: the siblings ahead of it are worth fetching before it gets there.
        PrefetchAhead(_path[depth], _indices[depth] + 1);
        Node<T> node = _path[depth].Child(_indices[depth], _loader);
        for (depth++; depth < _height; depth++)
        {
            var b = (Branch<T>)node;
            _path[depth] = b;
            _indices[depth] = 0;
            PrefetchAhead(b, 1);
            node = b.Child(0, _loader);
        }
        _leaf = (Leaf<T>)node;
        _pos = 0;
        return _leaf.Len > 0;
    }

    private bool PreviousLeaf()
    {
        int depth = _height - 1;
        while (depth >= 0 && _indices[depth] == 0) depth--;
        if (depth < 0) return false;
        _indices[depth]--;
        PrefetchBehind(_path[depth], _indices[depth]);
        Node<T> node = _path[depth].Child(_indices[depth], _loader);
        for (depth++; depth < _height; depth++)
        {
            var b = (Branch<T>)node;
            _path[depth] = b;
            _indices[depth] = b.Len - 1;
            PrefetchBehind(b, b.Len - 1);
            node = b.Child(b.Len - 1, _loader);
        }
        _leaf = (Leaf<T>)node;
        _pos = _leaf.Len - 1;
        return _pos >= 0;
    }

    /// <summary>Tells the loader about <paramref name="branch"/>'s stored children from <paramref name="from"/> on, a window's worth.</summary>
    private readonly void PrefetchAhead(Branch<T> branch, int from)
    {
        if (_loader is null || branch.Addresses is not { } addresses || from >= branch.Len) return;
        _loader.Prefetch(addresses, from, Math.Min(PrefetchWindow, branch.Len - from));
    }

    /// <summary>Tells the loader about <paramref name="branch"/>'s stored children before <paramref name="before"/>, a window's worth.</summary>
    private readonly void PrefetchBehind(Branch<T> branch, int before)
    {
        if (_loader is null || branch.Addresses is not { } addresses || before <= 0) return;
        int from = Math.Max(0, before - PrefetchWindow);
        _loader.Prefetch(addresses, from, before - from);
    }
}
