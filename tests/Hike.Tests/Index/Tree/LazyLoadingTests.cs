using Hike.Index.Tree;


namespace Hike.Tests.Index.Tree;

public sealed class LazyLoadingTests
{
    /// <summary>A store of nodes by address that counts loads, standing in for the storage layer.</summary>
    private sealed class CountingLoader : INodeLoader<int>
    {
        public Dictionary<NodeAddress, Node<int>> Nodes { get; } = [];

        public int Loads { get; private set; }

        public Node<int> Load(NodeAddress address)
        {
            Loads++;
            return Nodes[address];
        }
    }

    [Fact]
    public void Reading_a_slice_loads_only_the_nodes_on_its_path()
    {
        var loader = new CountingLoader();
        var built = PersistentSortedSet<int, IntOrder>.FromSorted(Enumerable.Range(0, 100_000).ToArray(), 8);
        ulong next = 1;
        var root = Detach(built.Root, loader, ref next);
        var lazy = PersistentSortedSet<int, IntOrder>.FromRoot(root, null, loader, 8);

        Assert.Equal(new[] { 500, 501, 502 }, lazy.Slice(500, 502).ToArray());
        Assert.Equal(root.Height, loader.Loads);
        Assert.Equal(100_000, lazy.Count);
        Assert.Equal(1001, lazy.CountRange(1000, 2000));
        lazy.CheckInvariants();
        Assert.True(loader.Loads > root.Height);
    }

    [Fact]
    public void Updates_to_a_lazily_loaded_tree_load_only_their_path()
    {
        var loader = new CountingLoader();
        var built = PersistentSortedSet<int, IntOrder>.FromSorted(Enumerable.Range(0, 50_000).Select(i => 2 * i).ToArray(), 8);
        ulong next = 1;
        var root = Detach(built.Root, loader, ref next);
        var lazy = PersistentSortedSet<int, IntOrder>.FromRoot(root, null, loader, 8);
        var updated = lazy.Add(777);
        Assert.True(loader.Loads <= root.Height + 2);
        Assert.True(updated.Contains(777));
        Assert.Equal(50_001, updated.Count);
    }

    /// <summary>Copies a tree into the loader's map, parents holding children only by address.</summary>
    private static Node<int> Detach(Node<int> node, CountingLoader loader, ref ulong next)
    {
        if (node is Leaf<int> leaf)
        {
            return new Leaf<int>(leaf.Keys[..leaf.Len], leaf.Len, null) { Address = new NodeAddress(next++) };
        }
        var b = (Branch<int>)node;
        var addresses = new NodeAddress[b.Len];
        for (int i = 0; i < b.Len; i++)
        {
            var child = Detach(b.Children[i]!, loader, ref next);
            loader.Nodes[child.Address] = child;
            addresses[i] = child.Address;
        }
        return new Branch<int>(b.Height, b.MaxKeys[..b.Len], new Node<int>?[b.Len], b.Counts[..b.Len], addresses, b.Len, null) { Address = new NodeAddress(next++) };
    }
}
