namespace Hike.Index.Tree;

/// <summary>
/// The difference of two versions of a persistent sorted set: the elements only the first holds and
/// the elements only the second holds, in order. Subtrees the two versions share — the same node, or
/// nodes stored at the same address — are skipped unread, so the cost grows with the size of the
/// change and the trees' depth, not with the sets' size.
/// </summary>
internal static class TreeDiff<T, TOrder>
    where TOrder : struct, IComparer<T>
{
    /// <summary>Adds the elements only in <paramref name="from"/> to <paramref name="removed"/> and those only in <paramref name="to"/> to <paramref name="added"/>.</summary>
    public static void Run(PersistentSortedSet<T, TOrder>? from, PersistentSortedSet<T, TOrder>? to, List<T> removed, List<T> added)
    {
        if (ReferenceEquals(from, to)) return;
        var left = new Frontier(from);
        var right = new Frontier(to);
        while (true)
        {
            if (left.AtBoundary && right.AtBoundary)
            {
                bool hasLeft = left.TryPeek(out var l);
                bool hasRight = right.TryPeek(out var r);
                if (!hasLeft && !hasRight) return;
                if (hasLeft && hasRight && l.SameAs(r))
                {
                    left.Skip();
                    right.Skip();
                }
                else if (hasLeft && l.Height > 0 && (!hasRight || l.Height >= r.Height))
                {
                    left.Expand();
                }
                else if (hasRight && r.Height > 0)
                {
                    right.Expand();
                }
                else
                {
                    if (hasLeft) left.EnterLeaf();
                    if (hasRight) right.EnterLeaf();
                }
                continue;
            }
            // Inside a leaf on one side at least: merge element by element until both are at node boundaries again.
            bool inLeft = !left.AtBoundary || left.DescendToLeaf();
            bool inRight = !right.AtBoundary || right.DescendToLeaf();
            if (inLeft && inRight)
            {
                int c = default(TOrder).Compare(left.Current, right.Current);
                if (c < 0)
                {
                    removed.Add(left.Current);
                    left.Advance();
                }
                else if (c > 0)
                {
                    added.Add(right.Current);
                    right.Advance();
                }
                else
                {
                    left.Advance();
                    right.Advance();
                }
            }
            else if (inLeft)
            {
                removed.Add(left.Current);
                left.Advance();
            }
            else if (inRight)
            {
                added.Add(right.Current);
                right.Advance();
            }
            else
            {
                return;
            }
        }
    }

    /// <summary>A node yet to be visited: known by identity when in memory, by address when stored, and by height.</summary>
    private readonly record struct NodeRef(Node<T>? Node, NodeAddress Address, int Height)
    {
        public bool SameAs(NodeRef other) =>
            (Node is not null && ReferenceEquals(Node, other.Node)) || (Address.IsStored && Address == other.Address);
    }

    /// <summary>
    /// Walks one set in order at the coarsest grain it can: whole subtrees at a time (which may be
    /// skipped without loading them), or the elements of one leaf. The tail comes after the tree.
    /// </summary>
    private sealed class Frontier
    {
        private readonly INodeLoader<T>? _loader;
        private readonly Stack<(Branch<T>? Branch, Node<T>?[]? Top, int Index)> _levels = new();
        private Leaf<T>? _leaf;
        private int _pos;

        public Frontier(PersistentSortedSet<T, TOrder>? set)
        {
            if (set is null) return;
            _loader = set.Loader;
            _levels.Push((null, [set.Root, set.Tail], 0));
        }

        public bool AtBoundary => _leaf is null;

        public T Current => _leaf!.Keys[_pos];

        /// <summary>The next subtree; false when the walk is over.</summary>
        public bool TryPeek(out NodeRef next)
        {
            while (_levels.TryPeek(out var level))
            {
                if (level.Branch is { } b)
                {
                    if (level.Index < b.Len)
                    {
                        var child = b.Children[level.Index];
                        var address = child?.Address ?? default;
                        if (!address.IsStored && b.Addresses is { } addresses) address = addresses[level.Index];
                        next = new NodeRef(child, address, b.HeightValue - 1);
                        return true;
                    }
                }
                else
                {
                    var top = level.Top!;
                    if (level.Index < top.Length && top[level.Index] is { } node && node.Len > 0)
                    {
                        next = new NodeRef(node, node.Address, node.Height);
                        return true;
                    }
                    if (level.Index < top.Length)
                    {
                        // An empty root or an absent tail.
                        Skip();
                        continue;
                    }
                }
                // This level is done; its parent already moved past it when it was expanded.
                _levels.Pop();
            }
            next = default;
            return false;
        }

        public void Skip()
        {
            var (branch, top, index) = _levels.Pop();
            _levels.Push((branch, top, index + 1));
        }

        /// <summary>Replaces the next subtree, a branch, by its children.</summary>
        public void Expand() => _levels.Push(((Branch<T>)Take(), null, 0));

        /// <summary>Starts on the elements of the next subtree, a leaf.</summary>
        public void EnterLeaf()
        {
            var leaf = (Leaf<T>)Take();
            if (leaf.Len == 0) return;
            _leaf = leaf;
            _pos = 0;
        }

        /// <summary>Goes down to the first leaf of the next subtree; false when the walk is over.</summary>
        public bool DescendToLeaf()
        {
            while (_leaf is null)
            {
                if (!TryPeek(out var next)) return false;
                if (next.Height > 0) Expand();
                else EnterLeaf();
            }
            return true;
        }

        public void Advance()
        {
            if (++_pos == _leaf!.Len) _leaf = null;
        }

        /// <summary>The next subtree, loaded if only its address is known; the walk moves past it.</summary>
        private Node<T> Take()
        {
            var (branch, top, index) = _levels.Peek();
            Skip();
            return branch is null ? top![index]! : branch.Child(index, _loader);
        }
    }
}
