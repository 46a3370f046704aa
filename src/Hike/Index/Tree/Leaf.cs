namespace Hike.Index.Tree;

/// <summary>A leaf: a sorted run of elements in <see cref="Keys"/>[0..<see cref="Node{T}.Len"/>).</summary>
internal class Leaf<T> : Node<T>
{
    public Leaf(T[] keys, int len, Edit? edit)
        : base(len, edit)
    {
        Keys = keys;
    }

    public T[] Keys { get; internal set; }

    public override long Count => Len;

    public override T MaxKey => Keys[Len - 1];

    public override int Height => 0;
}
