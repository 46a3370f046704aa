namespace Hike.Index.Tree;

/// <summary>
/// One version's view of a tree's tail: the first <see cref="Node{T}.Len"/> slots of a shared
/// <see cref="TailBuffer{T}"/>. The tail holds the largest elements of the set, after the tree's, so
/// appending — the common case for new entities, attributes and transactions — costs no path copy.
/// </summary>
internal sealed class TailLeaf<T> : Leaf<T>
{
    public TailLeaf(TailBuffer<T> buffer, int len)
        : base(buffer.Items, len, null)
    {
        Buffer = buffer;
    }

    public TailBuffer<T> Buffer { get; }
}
