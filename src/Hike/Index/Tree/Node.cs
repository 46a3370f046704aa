namespace Hike.Index.Tree;

/// <summary>
/// A node of the persistent B+tree. Immutable once reachable from a persistent set; a transient may
/// change nodes that carry its <see cref="Edit"/>. <see cref="Address"/> is set once, when the
/// storage layer writes the node.
/// </summary>
internal abstract class Node<T>
{
    protected Node(int len, Edit? edit)
    {
        Len = len;
        Edit = edit;
    }

    /// <summary>Number of keys (leaf) or children (branch) in use.</summary>
    public int Len { get; protected internal set; }

    public Edit? Edit { get; }

    /// <summary>The storage address, default until stored.</summary>
    public NodeAddress Address { get; set; }

    /// <summary>Number of elements in this subtree.</summary>
    public abstract long Count { get; }

    /// <summary>The largest element of this subtree.</summary>
    public abstract T MaxKey { get; }

    /// <summary>Height above the leaves (0 for a leaf).</summary>
    public abstract int Height { get; }

    public bool EditableBy(Edit? edit) => edit is not null && ReferenceEquals(Edit, edit) && edit.Active;
}
