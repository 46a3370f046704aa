namespace Hike.Index.Tree;

internal static partial class BTree<T, TOrder>
{
    /// <summary>
    /// Adds <paramref name="item"/> to the set made of <paramref name="root"/> and
    /// <paramref name="tail"/>: appending past the tail's end writes in place when this version owns
    /// the next slot, a full tail moves into the tree as its new rightmost leaf, and anything smaller
    /// goes into the tree. False when the item is already present.
    /// </summary>
    public static bool Add(ref Node<T> root, ref TailLeaf<T>? tail, in T item, Edit? edit, int cap, INodeLoader<T>? loader)
    {
        if (tail is not null && Cmp(item, tail.Keys[0]) >= 0)
        {
            int idx = Search(tail.Keys, tail.Len, item);
            if (idx >= 0) return false;
            idx = ~idx;
            if (tail.Len < cap)
            {
                tail = idx == tail.Len && TryAppendInPlace(tail, item, out var appended) ? appended : CopyTail(tail, idx, item, cap);
                return true;
            }
            root = AppendLeaf(root, new Leaf<T>(tail.Keys, tail.Len, null), edit, cap, loader);
            tail = null;
            if (idx == cap)
            {
                tail = NewTail(item, cap);
                return true;
            }
            return InsertIntoTree(ref root, item, edit, cap, loader);
        }
        if (tail is null && (root.Len == 0 || Cmp(item, root.MaxKey) > 0))
        {
            tail = NewTail(item, cap);
            return true;
        }
        return InsertIntoTree(ref root, item, edit, cap, loader);
    }

    /// <summary>Removes <paramref name="item"/> from the tree or the tail; false when absent.</summary>
    public static bool Remove(ref Node<T> root, ref TailLeaf<T>? tail, in T item, Edit? edit, int cap, INodeLoader<T>? loader)
    {
        if (tail is not null && Cmp(item, tail.Keys[0]) >= 0)
        {
            int idx = Search(tail.Keys, tail.Len, item);
            if (idx < 0) return false;
            if (tail.Len == 1) tail = null;
            else if (idx == tail.Len - 1) tail = new TailLeaf<T>(tail.Buffer, tail.Len - 1);
            else tail = CopyTail(tail, idx, default!, cap, remove: true);
            return true;
        }
        var replaced = Remove(root, item, edit, cap, loader);
        if (replaced is null) return false;
        root = Collapse(replaced, loader);
        return true;
    }

    public static long Count(Node<T> root, TailLeaf<T>? tail) => root.Count + (tail?.Len ?? 0);

    /// <summary>True when <paramref name="key"/> belongs to the tail's range rather than the tree's.</summary>
    public static bool InTail(TailLeaf<T>? tail, in T key) => tail is not null && Cmp(key, tail.Keys[0]) >= 0;

    public static bool TryFind(Node<T> root, TailLeaf<T>? tail, in T key, INodeLoader<T>? loader, out T found)
    {
        if (!InTail(tail, key)) return TryFind(root, key, loader, out found);
        int i = Search(tail!.Keys, tail.Len, key);
        found = i >= 0 ? tail.Keys[i] : default!;
        return i >= 0;
    }

    public static bool TryCeiling(Node<T> root, TailLeaf<T>? tail, in T key, INodeLoader<T>? loader, out T found)
    {
        if (!InTail(tail, key) && TryCeiling(root, key, loader, out found)) return true;
        if (tail is null)
        {
            found = default!;
            return false;
        }
        int i = Search(tail.Keys, tail.Len, key);
        if (i < 0) i = ~i;
        found = i < tail.Len ? tail.Keys[i] : default!;
        return i < tail.Len;
    }

    /// <summary>
    /// The leaf (or the tail) that holds or would hold <paramref name="key"/>, and the position of the
    /// first element ≥ it there (the leaf's length when none is). One descent, no cursor.
    /// </summary>
    public static Leaf<T> LeafAt(Node<T> root, TailLeaf<T>? tail, in T key, INodeLoader<T>? loader, out int index)
    {
        Leaf<T> leaf;
        if (InTail(tail, key))
        {
            leaf = tail!;
        }
        else
        {
            var node = root;
            while (node is Branch<T> b) node = b.Child(ChildIndex(b, key), loader);
            leaf = (Leaf<T>)node;
        }
        int i = Search(leaf.Keys, leaf.Len, key);
        index = i >= 0 ? i : ~i;
        return leaf;
    }

    public static long Rank(Node<T> root, TailLeaf<T>? tail, in T key, bool inclusive, INodeLoader<T>? loader)
    {
        if (!InTail(tail, key)) return root.Len == 0 ? 0 : Rank(root, key, inclusive, loader);
        int idx = Search(tail!.Keys, tail.Len, key);
        return root.Count + (idx >= 0 ? (inclusive ? idx + 1 : idx) : ~idx);
    }

    public static T ElementAt(Node<T> root, TailLeaf<T>? tail, long index, INodeLoader<T>? loader) =>
        index < root.Count ? ElementAt(root, index, loader)
        : tail is not null && index - root.Count < tail.Len ? tail.Keys[index - root.Count]
        : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>A root branch with one child is replaced by that child.</summary>
    public static Node<T> Collapse(Node<T> root, INodeLoader<T>? loader)
    {
        while (root is Branch<T> { Len: 1 } b) root = b.Child(0, loader);
        return root;
    }

    public static Node<T> NewRoot(Node<T> left, Node<T> right, Edit? edit, int cap)
    {
        int size = edit is null ? 2 : Math.Min(cap, 10);
        var b = new Branch<T>(left.Height + 1, new T[size], new Node<T>?[size], new long[size], null, 0, edit);
        SetChild(b, 0, left);
        SetChild(b, 1, right);
        b.Len = 2;
        b.Total = left.Count + right.Count;
        return b;
    }

    private static bool InsertIntoTree(ref Node<T> root, in T item, Edit? edit, int cap, INodeLoader<T>? loader)
    {
        var replaced = Insert(root, item, edit, cap, loader, out var split);
        if (replaced is null) return false;
        root = split is null ? replaced : NewRoot(replaced, split, edit, cap);
        return true;
    }

    private static TailLeaf<T> NewTail(in T item, int cap)
    {
        var items = new T[cap];
        items[0] = item;
        return new TailLeaf<T>(new TailBuffer<T>(items, 1), 1);
    }

    private static bool TryAppendInPlace(TailLeaf<T> tail, in T item, out TailLeaf<T> appended)
    {
        var buffer = tail.Buffer;
        int len = tail.Len;
        if (Interlocked.CompareExchange(ref buffer.Claimed, len + 1, len) == len)
        {
            buffer.Items[len] = item;
            appended = new TailLeaf<T>(buffer, len + 1);
            return true;
        }
        appended = null!;
        return false;
    }

    /// <summary>A fresh tail with <paramref name="item"/> inserted at (or, when <paramref name="remove"/>, the element removed from) <paramref name="at"/>.</summary>
    private static TailLeaf<T> CopyTail(TailLeaf<T> tail, int at, in T item, int cap, bool remove = false)
    {
        var items = new T[cap];
        int len = tail.Len;
        Array.Copy(tail.Keys, 0, items, 0, at);
        if (remove)
        {
            Array.Copy(tail.Keys, at + 1, items, at, len - at - 1);
            return new TailLeaf<T>(new TailBuffer<T>(items, len - 1), len - 1);
        }
        items[at] = item;
        Array.Copy(tail.Keys, at, items, at + 1, len - at);
        return new TailLeaf<T>(new TailBuffer<T>(items, len + 1), len + 1);
    }

    /// <summary>
    /// Adds a full leaf after every element of the tree, copying (or, under an edit, changing) only
    /// the right spine; splits full branches on the way as an insertion would.
    /// </summary>
    private static Node<T> AppendLeaf(Node<T> root, Leaf<T> leaf, Edit? edit, int cap, INodeLoader<T>? loader)
    {
        if (root.Len == 0) return leaf;
        if (root is Leaf<T> small)
        {
            // A root leaf may be below minimum fill; once it has a sibling it may not.
            if (small.Len >= MinLen(cap)) return NewRoot(small, leaf, edit, cap);
            var (left, right) = Redistribute(small, leaf, edit, cap);
            return NewRoot(left, right, edit, cap);
        }
        var replaced = AppendRight((Branch<T>)root, leaf, edit, cap, loader, out var split);
        return split is null ? replaced : NewRoot(replaced, split, edit, cap);
    }

    private static Branch<T> AppendRight(Branch<T> b, Leaf<T> leaf, Edit? edit, int cap, INodeLoader<T>? loader, out Branch<T>? split)
    {
        split = null;
        int len = b.Len;
        Node<T> last;
        Node<T>? extra;
        if (b.Height == 1)
        {
            last = b.Child(len - 1, loader);
            extra = leaf;
        }
        else
        {
            last = AppendRight((Branch<T>)b.Child(len - 1, loader), leaf, edit, cap, loader, out var childSplit);
            extra = childSplit;
        }
        if (extra is null)
        {
            var target = b.EditableBy(edit) ? b : CopyBranch(b, edit, cap, len);
            SetChild(target, len - 1, last);
            target.Total = b.Total + leaf.Len;
            return target;
        }
        if (len < cap)
        {
            var target = b.EditableBy(edit) ? EnsureRoom(b, len + 1, cap) : CopyBranch(b, edit, cap, len + 1);
            SetChild(target, len - 1, last);
            SetChild(target, len, extra);
            target.Len = len + 1;
            target.Total = b.Total + leaf.Len;
            return target;
        }
        var all = CopyBranch(b, null, cap + 1, len + 1);
        SetChild(all, len - 1, last);
        SetChild(all, len, extra);
        all.Len = len + 1;
        int leftLen = (len + 1) / 2;
        split = SliceBranch(all, leftLen, len + 1 - leftLen, edit, cap);
        return SliceBranch(all, 0, leftLen, edit, cap);
    }
}
