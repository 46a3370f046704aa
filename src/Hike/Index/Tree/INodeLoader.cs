namespace Hike.Index.Tree;

/// <summary>
/// Loads index nodes that are known only by their storage address. May be called concurrently for
/// different addresses; loading the same address twice must give equal nodes.
/// </summary>
internal interface INodeLoader<T>
{
    Node<T> Load(NodeAddress address);
}
