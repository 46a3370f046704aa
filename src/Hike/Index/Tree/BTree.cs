using System.Runtime.CompilerServices;

namespace Hike.Index.Tree;

/// <summary>
/// The algorithms of the persistent B+tree, shared by <see cref="PersistentSortedSet{T, TOrder}"/>
/// and <see cref="TransientSortedSet{T, TOrder}"/>. A node is changed in place only when it carries
/// the caller's live <see cref="Edit"/> (transient mode); otherwise the path from the root to the
/// change is copied and every other node is shared. Nodes made under an edit get arrays of full
/// capacity (so later in-place changes need no reallocation); persistent copies get exact sizes.
/// </summary>
internal static partial class BTree<T, TOrder>
    where TOrder : struct, IComparer<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Cmp(in T a, in T b) => default(TOrder).Compare(a, b);

    /// <summary>Index of <paramref name="key"/> in keys[0..len), or the bitwise complement of its insertion point.</summary>
    public static int Search(T[] keys, int len, in T key)
    {
        int lo = 0, hi = len - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int c = default(TOrder).Compare(keys[mid], key);
            if (c < 0) lo = mid + 1;
            else if (c > 0) hi = mid - 1;
            else return mid;
        }
        return ~lo;
    }

    /// <summary>The child that holds or would hold <paramref name="key"/>: the first whose largest element is ≥ key, else the last.</summary>
    public static int ChildIndex(Branch<T> b, in T key)
    {
        int lo = 0, hi = b.Len - 1;
        var maxKeys = b.MaxKeys;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (default(TOrder).Compare(maxKeys[mid], key) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>The smallest element ≥ <paramref name="key"/>, found without a cursor: the child chosen at each level holds it whenever any element does.</summary>
    public static bool TryCeiling(Node<T> root, in T key, INodeLoader<T>? loader, out T found)
    {
        var node = root;
        while (node is Branch<T> b)
        {
            int i = ChildIndex(b, key);
            if (Cmp(b.MaxKeys[i], key) < 0)
            {
                found = default!;
                return false;
            }
            node = b.Child(i, loader);
        }
        var leaf = (Leaf<T>)node;
        int idx = Search(leaf.Keys, leaf.Len, key);
        if (idx < 0) idx = ~idx;
        found = idx < leaf.Len ? leaf.Keys[idx] : default!;
        return idx < leaf.Len;
    }

    public static bool TryFind(Node<T> root, in T key, INodeLoader<T>? loader, out T found)
    {
        var node = root;
        while (node is Branch<T> b) node = b.Child(ChildIndex(b, key), loader);
        var leaf = (Leaf<T>)node;
        int i = Search(leaf.Keys, leaf.Len, key);
        found = i >= 0 ? leaf.Keys[i] : default!;
        return i >= 0;
    }

    /// <summary>The element at position <paramref name="index"/> (0-based) in sorted order. O(log n).</summary>
    public static T ElementAt(Node<T> root, long index, INodeLoader<T>? loader)
    {
        if (index < 0 || index >= root.Count) throw new ArgumentOutOfRangeException(nameof(index));
        var node = root;
        while (node is Branch<T> b)
        {
            int i = 0;
            while (index >= b.Counts[i])
            {
                index -= b.Counts[i];
                i++;
            }
            node = b.Child(i, loader);
        }
        return ((Leaf<T>)node).Keys[index];
    }

    /// <summary>Number of elements below <paramref name="key"/> (or at or below it when <paramref name="inclusive"/>). O(log n).</summary>
    public static long Rank(Node<T> root, in T key, bool inclusive, INodeLoader<T>? loader)
    {
        long acc = 0;
        var node = root;
        while (node is Branch<T> b)
        {
            int i = ChildIndex(b, key);
            var counts = b.Counts;
            for (int j = 0; j < i; j++) acc += counts[j];
            node = b.Child(i, loader);
        }
        var leaf = (Leaf<T>)node;
        int idx = Search(leaf.Keys, leaf.Len, key);
        return acc + (idx >= 0 ? (inclusive ? idx + 1 : idx) : ~idx);
    }

    /// <summary>
    /// Inserts <paramref name="key"/> below <paramref name="node"/>. Returns null when the key is
    /// already present; otherwise the node to put in its place, and in <paramref name="split"/> a
    /// right sibling when it had to split.
    /// </summary>
    public static Node<T>? Insert(Node<T> node, in T key, Edit? edit, int cap, INodeLoader<T>? loader, out Node<T>? split)
    {
        if (node is Leaf<T> leaf) return InsertIntoLeaf(leaf, key, edit, cap, out split);
        var b = (Branch<T>)node;
        int i = ChildIndex(b, key);
        var replaced = Insert(b.Child(i, loader), key, edit, cap, loader, out var right);
        split = null;
        if (replaced is null) return null;
        if (right is null)
        {
            var target = b.EditableBy(edit) ? b : CopyBranch(b, edit, cap, b.Len);
            SetChild(target, i, replaced);
            target.Total = b.Total + 1;
            return target;
        }
        int len = b.Len;
        if (len < cap)
        {
            var target = b.EditableBy(edit) ? EnsureRoom(b, len + 1, cap) : CopyBranch(b, edit, cap, len + 1);
            InsertChildSlot(target, i + 1, len);
            SetChild(target, i, replaced);
            SetChild(target, i + 1, right);
            target.Len = len + 1;
            target.Total = b.Total + 1;
            return target;
        }
        // Split this branch: len + 1 children in two halves.
        var all = CopyBranch(b, null, cap + 1, len + 1);
        InsertChildSlot(all, i + 1, len);
        SetChild(all, i, replaced);
        SetChild(all, i + 1, right);
        all.Len = len + 1;
        int leftLen = (len + 1) / 2;
        var leftNode = SliceBranch(all, 0, leftLen, edit, cap);
        split = SliceBranch(all, leftLen, len + 1 - leftLen, edit, cap);
        return leftNode;
    }

    private static Node<T>? InsertIntoLeaf(Leaf<T> leaf, in T key, Edit? edit, int cap, out Node<T>? split)
    {
        split = null;
        int idx = Search(leaf.Keys, leaf.Len, key);
        if (idx >= 0) return null;
        idx = ~idx;
        int len = leaf.Len;
        var old = leaf.Keys;
        if (len < cap)
        {
            if (leaf.EditableBy(edit))
            {
                if (old.Length == len)
                {
                    var grown = new T[Grown(len + 1, cap)];
                    Array.Copy(old, grown, len);
                    leaf.Keys = old = grown;
                }
                Array.Copy(old, idx, old, idx + 1, len - idx);
                old[idx] = key;
                leaf.Len = len + 1;
                return leaf;
            }
            var keys = new T[Size(len + 1, edit, cap)];
            Array.Copy(old, 0, keys, 0, idx);
            keys[idx] = key;
            Array.Copy(old, idx, keys, idx + 1, len - idx);
            return new Leaf<T>(keys, len + 1, edit);
        }
        int total = len + 1;
        int leftLen = total / 2, rightLen = total - leftLen;
        var lk = new T[Size(leftLen, edit, cap)];
        var rk = new T[Size(rightLen, edit, cap)];
        for (int j = 0; j < total; j++)
        {
            ref readonly T item = ref j < idx ? ref old[j] : ref (j == idx ? ref key : ref old[j - 1]);
            if (j < leftLen) lk[j] = item;
            else rk[j - leftLen] = item;
        }
        split = new Leaf<T>(rk, rightLen, edit);
        return new Leaf<T>(lk, leftLen, edit);
    }

    /// <summary>
    /// Removes <paramref name="key"/> below <paramref name="node"/>. Returns null when absent;
    /// otherwise the node to put in its place, which may be below minimum fill (the parent rebalances).
    /// </summary>
    public static Node<T>? Remove(Node<T> node, in T key, Edit? edit, int cap, INodeLoader<T>? loader)
    {
        if (node is Leaf<T> leaf) return RemoveFromLeaf(leaf, key, edit, cap);
        var b = (Branch<T>)node;
        int i = ChildIndex(b, key);
        if (Cmp(b.MaxKeys[i], key) < 0) return null;
        var replaced = Remove(b.Child(i, loader), key, edit, cap, loader);
        if (replaced is null) return null;
        int min = MinLen(cap);
        if (replaced.Len >= min || b.Len == 1)
        {
            var target = b.EditableBy(edit) ? b : CopyBranch(b, edit, cap, b.Len);
            SetChild(target, i, replaced);
            target.Total = b.Total - 1;
            return target;
        }
        int si = i > 0 ? i - 1 : i + 1;
        var sibling = b.Child(si, loader);
        int li = Math.Min(i, si);
        Node<T> left = si < i ? sibling : replaced, right = si < i ? replaced : sibling;
        var result = b.EditableBy(edit) ? b : CopyBranch(b, edit, cap, b.Len);
        if (left.Len + right.Len <= cap)
        {
            SetChild(result, li, Concat(left, right, edit, cap));
            RemoveChildSlot(result, li + 1, b.Len);
            result.Len = b.Len - 1;
        }
        else
        {
            var (nl, nr) = Redistribute(left, right, edit, cap);
            SetChild(result, li, nl);
            SetChild(result, li + 1, nr);
        }
        result.Total = b.Total - 1;
        return result;
    }

    private static Leaf<T>? RemoveFromLeaf(Leaf<T> leaf, in T key, Edit? edit, int cap)
    {
        int idx = Search(leaf.Keys, leaf.Len, key);
        if (idx < 0) return null;
        int len = leaf.Len;
        var old = leaf.Keys;
        if (leaf.EditableBy(edit))
        {
            Array.Copy(old, idx + 1, old, idx, len - idx - 1);
            old[len - 1] = default!;
            leaf.Len = len - 1;
            return leaf;
        }
        var keys = new T[Size(len - 1, edit, cap)];
        Array.Copy(old, 0, keys, 0, idx);
        Array.Copy(old, idx + 1, keys, idx, len - idx - 1);
        return new Leaf<T>(keys, len - 1, edit);
    }

    public static int MinLen(int cap) => cap / 2;

    /// <summary>
    /// Array length for a new node holding <paramref name="needed"/> entries: exact, because most
    /// transactions touch a node once; a node a transient changes again grows by half (<see cref="Grown"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Size(int needed, Edit? edit, int cap) => needed;

    /// <summary>The array length to grow an owned node to: half again, so repeated inserts amortise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Grown(int needed, int cap) => Math.Min(cap, needed + (needed >> 1) + 2);

    /// <summary>An editable branch with arrays long enough for <paramref name="needed"/> children (grown in place).</summary>
    private static Branch<T> EnsureRoom(Branch<T> b, int needed, int cap)
    {
        if (b.Children.Length >= needed) return b;
        int size = Grown(needed, cap);
        var maxKeys = b.MaxKeys;
        var children = b.Children;
        var counts = b.Counts;
        Array.Resize(ref maxKeys, size);
        Array.Resize(ref children, size);
        Array.Resize(ref counts, size);
        b.MaxKeys = maxKeys;
        b.Children = children;
        b.Counts = counts;
        if (b.Addresses is not null)
        {
            var addresses = b.Addresses;
            Array.Resize(ref addresses, size);
            b.Addresses = addresses;
        }
        return b;
    }

    /// <summary>One node holding the elements (or children) of two adjacent nodes of the same height.</summary>
    private static Node<T> Concat(Node<T> left, Node<T> right, Edit? edit, int cap)
    {
        int n = left.Len + right.Len;
        if (left is Leaf<T> l)
        {
            var r = (Leaf<T>)right;
            var keys = new T[Size(n, edit, cap)];
            Array.Copy(l.Keys, 0, keys, 0, l.Len);
            Array.Copy(r.Keys, 0, keys, l.Len, r.Len);
            return new Leaf<T>(keys, n, edit);
        }
        var lb = (Branch<T>)left;
        var rb = (Branch<T>)right;
        var merged = NewBranch(lb.HeightValue, Size(n, edit, cap), lb.Addresses is not null || rb.Addresses is not null, edit);
        CopyChildren(lb, 0, merged, 0, lb.Len);
        CopyChildren(rb, 0, merged, lb.Len, rb.Len);
        merged.Len = n;
        merged.Total = lb.Total + rb.Total;
        return merged;
    }

    /// <summary>Two nodes sharing the elements of two adjacent nodes evenly.</summary>
    private static (Node<T> Left, Node<T> Right) Redistribute(Node<T> left, Node<T> right, Edit? edit, int cap)
    {
        int n = left.Len + right.Len;
        int leftLen = n / 2, rightLen = n - leftLen;
        if (left is Leaf<T> l)
        {
            var r = (Leaf<T>)right;
            var all = new T[n];
            Array.Copy(l.Keys, 0, all, 0, l.Len);
            Array.Copy(r.Keys, 0, all, l.Len, r.Len);
            var lk = new T[Size(leftLen, edit, cap)];
            var rk = new T[Size(rightLen, edit, cap)];
            Array.Copy(all, 0, lk, 0, leftLen);
            Array.Copy(all, leftLen, rk, 0, rightLen);
            return (new Leaf<T>(lk, leftLen, edit), new Leaf<T>(rk, rightLen, edit));
        }
        var combined = (Branch<T>)Concat(left, right, null, n);
        return (SliceBranch(combined, 0, leftLen, edit, cap), SliceBranch(combined, leftLen, rightLen, edit, cap));
    }

    private static Branch<T> NewBranch(int height, int size, bool withAddresses, Edit? edit) =>
        new(height, new T[size], new Node<T>?[size], new long[size], withAddresses ? new NodeAddress[size] : null, 0, edit);

    /// <summary>A copy of <paramref name="b"/> with room for <paramref name="newLen"/> children (full capacity under an edit).</summary>
    private static Branch<T> CopyBranch(Branch<T> b, Edit? edit, int cap, int newLen)
    {
        int size = Size(newLen, edit, cap);
        var copy = NewBranch(b.HeightValue, size, b.Addresses is not null, edit);
        CopyChildren(b, 0, copy, 0, Math.Min(b.Len, size));
        copy.Len = b.Len;
        copy.Total = b.Total;
        return copy;
    }

    private static Branch<T> SliceBranch(Branch<T> source, int from, int len, Edit? edit, int cap)
    {
        var b = NewBranch(source.HeightValue, Size(len, edit, cap), source.Addresses is not null, edit);
        CopyChildren(source, from, b, 0, len);
        b.Len = len;
        long total = 0;
        for (int i = 0; i < len; i++) total += b.Counts[i];
        b.Total = total;
        return b;
    }

    private static void CopyChildren(Branch<T> from, int fromIndex, Branch<T> to, int toIndex, int n)
    {
        Array.Copy(from.MaxKeys, fromIndex, to.MaxKeys, toIndex, n);
        Array.Copy(from.Children, fromIndex, to.Children, toIndex, n);
        Array.Copy(from.Counts, fromIndex, to.Counts, toIndex, n);
        if (from.Addresses is not null) Array.Copy(from.Addresses, fromIndex, to.Addresses!, toIndex, n);
    }

    private static void SetChild(Branch<T> b, int i, Node<T> child)
    {
        b.Children[i] = child;
        b.MaxKeys[i] = child.Len > 0 ? child.MaxKey : b.MaxKeys[i];
        b.Counts[i] = child.Count;
        if (b.Addresses is not null) b.Addresses[i] = child.Address;
    }

    /// <summary>Opens slot <paramref name="at"/> by shifting children [at, len) right by one.</summary>
    private static void InsertChildSlot(Branch<T> b, int at, int len)
    {
        int n = len - at;
        if (n <= 0) return;
        Array.Copy(b.MaxKeys, at, b.MaxKeys, at + 1, n);
        Array.Copy(b.Children, at, b.Children, at + 1, n);
        Array.Copy(b.Counts, at, b.Counts, at + 1, n);
        if (b.Addresses is not null) Array.Copy(b.Addresses, at, b.Addresses, at + 1, n);
    }

    /// <summary>Closes slot <paramref name="at"/> by shifting children (at, len) left by one.</summary>
    private static void RemoveChildSlot(Branch<T> b, int at, int len)
    {
        int n = len - at - 1;
        if (n > 0)
        {
            Array.Copy(b.MaxKeys, at + 1, b.MaxKeys, at, n);
            Array.Copy(b.Children, at + 1, b.Children, at, n);
            Array.Copy(b.Counts, at + 1, b.Counts, at, n);
            if (b.Addresses is not null) Array.Copy(b.Addresses, at + 1, b.Addresses, at, n);
        }
        b.MaxKeys[len - 1] = default!;
        b.Children[len - 1] = null;
        b.Counts[len - 1] = 0;
    }

    /// <summary>Builds a tree from strictly ascending input, leaves and branches filled to capacity (the last two of a level evened out).</summary>
    public static Node<T> Build(ReadOnlySpan<T> sorted, int cap)
    {
        for (int i = 1; i < sorted.Length; i++)
        {
            if (Cmp(sorted[i - 1], sorted[i]) >= 0) throw new ArgumentException($"Input is not strictly ascending at index {i}.", nameof(sorted));
        }
        if (sorted.Length == 0) return new Leaf<T>([], 0, null);
        var level = new List<Node<T>>();
        foreach (var (start, len) in Chunks(sorted.Length, cap))
        {
            level.Add(new Leaf<T>(sorted.Slice(start, len).ToArray(), len, null));
        }
        int height = 0;
        while (level.Count > 1)
        {
            height++;
            var next = new List<Node<T>>();
            foreach (var (start, len) in Chunks(level.Count, cap))
            {
                var b = NewBranch(height, len, false, null);
                for (int i = 0; i < len; i++) SetChild(b, i, level[start + i]);
                b.Len = len;
                long total = 0;
                for (int i = 0; i < len; i++) total += b.Counts[i];
                b.Total = total;
                next.Add(b);
            }
            level = next;
        }
        return level[0];
    }

    /// <summary>Cuts n items into runs of at most cap, none below half of cap (unless there is only one).</summary>
    private static IEnumerable<(int Start, int Len)> Chunks(int n, int cap)
    {
        int full = n / cap, rest = n % cap;
        int start = 0;
        for (int i = 0; i < full; i++)
        {
            bool lastFull = i == full - 1;
            if (lastFull && rest > 0 && rest < MinLen(cap))
            {
                int both = cap + rest;
                int first = both / 2;
                yield return (start, first);
                yield return (start + first, both - first);
                yield break;
            }
            yield return (start, cap);
            start += cap;
        }
        if (rest > 0) yield return (start, rest);
    }
}
