namespace Hike.Index.Tree;

/// <summary>
/// Loads index nodes that are known only by their storage address. May be called concurrently for
/// different addresses; loading the same address twice must give equal nodes.
/// </summary>
internal interface INodeLoader<T>
{
    Node<T> Load(NodeAddress address);

    /// <summary>
    /// A hint that the nodes at <paramref name="addresses"/>[<paramref name="from"/>, +<paramref name="count"/>)
    /// will be loaded soon (a scan moving along): a loader whose reads are round trips may start them in
    /// the background. Returns at once; a loader may ignore it.
    /// </summary>
    void Prefetch(NodeAddress[] addresses, int from, int count)
    {
    }
}
