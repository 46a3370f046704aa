namespace Hike.Index.Tree;

/// <summary>
/// Verifies a tree's structure: strict order across all leaves, node fill within bounds (root
/// excepted), equal leaf depth, and each branch's per-child max keys, counts and heights.
/// </summary>
internal static class TreeInvariants<T, TOrder>
    where TOrder : struct, IComparer<T>
{
    public static void Check(Node<T> root, TailLeaf<T>? tail, int capacity, INodeLoader<T>? loader)
    {
        bool havePrevious = false;
        T previous = default!;
        CheckNode(root, capacity, loader, isRoot: true, ref havePrevious, ref previous);
        if (tail is null) return;
        if (tail.Len < 1 || tail.Len > capacity) Fail($"tail holds {tail.Len}, outside 1..{capacity}");
        if (tail.Buffer.Claimed < tail.Len) Fail($"tail of {tail.Len} on a buffer with only {tail.Buffer.Claimed} claimed");
        for (int i = 0; i < tail.Len; i++)
        {
            if (havePrevious && BTree<T, TOrder>.Cmp(previous, tail.Keys[i]) >= 0) Fail($"tail out of order: {previous} then {tail.Keys[i]}");
            previous = tail.Keys[i];
            havePrevious = true;
        }
    }

    private static long CheckNode(Node<T> node, int capacity, INodeLoader<T>? loader, bool isRoot, ref bool havePrevious, ref T previous)
    {
        int min = BTree<T, TOrder>.MinLen(capacity);
        if (node.Len > capacity) Fail($"node of height {node.Height} holds {node.Len} > capacity {capacity}");
        if (!isRoot && node.Len < min) Fail($"node of height {node.Height} holds {node.Len} < minimum {min}");
        if (node is Leaf<T> leaf)
        {
            if (leaf.Keys.Length < leaf.Len) Fail("leaf array shorter than its length");
            for (int i = 0; i < leaf.Len; i++)
            {
                if (havePrevious && BTree<T, TOrder>.Cmp(previous, leaf.Keys[i]) >= 0) Fail($"elements out of order: {previous} then {leaf.Keys[i]}");
                previous = leaf.Keys[i];
                havePrevious = true;
            }
            return leaf.Len;
        }
        var b = (Branch<T>)node;
        if (isRoot && b.Len < 2) Fail("root branch with fewer than two children");
        long total = 0;
        for (int i = 0; i < b.Len; i++)
        {
            var child = b.Child(i, loader);
            if (child.Height != b.Height - 1) Fail($"child {i} of a branch of height {b.Height} has height {child.Height}");
            long n = CheckNode(child, capacity, loader, isRoot: false, ref havePrevious, ref previous);
            if (n != b.Counts[i]) Fail($"branch count {b.Counts[i]} for child {i} but it holds {n}");
            if (BTree<T, TOrder>.Cmp(b.MaxKeys[i], child.MaxKey) != 0) Fail($"branch max key {b.MaxKeys[i]} for child {i} but its max is {child.MaxKey}");
            total += n;
        }
        if (total != b.Total) Fail($"branch total {b.Total} but children hold {total}");
        return total;
    }

    private static void Fail(string message) => throw new InvalidOperationException("B+tree invariant broken: " + message);
}
