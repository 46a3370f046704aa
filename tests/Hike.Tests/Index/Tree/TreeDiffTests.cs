using Hike.Index.Tree;
using Hike.Testing;
using Xunit.Abstractions;

namespace Hike.Tests.Index.Tree;

public sealed class TreeDiffTests(ITestOutputHelper output)
{
    [Fact]
    public void The_difference_of_two_versions_matches_a_model_whatever_they_share()
    {
        var random = new Random(TestSeed.Next(output.WriteLine));
        for (int round = 0; round < 300; round++)
        {
            int size = random.Next(0, 400);
            var values = Enumerable.Range(0, size * 2).OrderBy(_ => random.Next()).Take(size).Order().ToArray();
            // The base is built in bulk or by appends (which fill the tail), then two versions diverge from it.
            var baseSet = random.Next(2) == 0
                ? PersistentSortedSet<int, IntOrder>.FromSorted(values, 8)
                : values.Aggregate(PersistentSortedSet<int, IntOrder>.Create(8), (s, v) => s.Add(v));
            var from = Edit(baseSet, random, random.Next(0, 20), size * 2);
            var to = random.Next(3) == 0 ? Edit(from, random, random.Next(0, 20), size * 2) : Edit(baseSet, random, random.Next(0, 40), size * 2);
            var removed = new List<int>();
            var added = new List<int>();
            TreeDiff<int, IntOrder>.Run(from, to, removed, added);
            var f = from.ToHashSet();
            var t = to.ToHashSet();
            Assert.Equal(from.Where(v => !t.Contains(v)).ToList(), removed);
            Assert.Equal(to.Where(v => !f.Contains(v)).ToList(), added);
        }
    }

    [Fact]
    public void Diffing_against_nothing_lists_everything()
    {
        var set = PersistentSortedSet<int, IntOrder>.FromSorted(Enumerable.Range(0, 100).ToArray(), 8).Add(500);
        var removed = new List<int>();
        var added = new List<int>();
        TreeDiff<int, IntOrder>.Run(set, null, removed, added);
        Assert.Equal(set.ToList(), removed);
        Assert.Empty(added);
        TreeDiff<int, IntOrder>.Run(null, set, removed = [], added = []);
        Assert.Equal(set.ToList(), added);
        TreeDiff<int, IntOrder>.Run(set, set, removed = [], added = []);
        Assert.Empty(removed);
        Assert.Empty(added);
    }

    [Fact]
    public void A_small_change_to_a_stored_tree_reads_only_the_nodes_on_its_path()
    {
        var loader = new StoredNodes();
        var built = PersistentSortedSet<int, IntOrder>.FromSorted(Enumerable.Range(0, 200_000).Select(i => 2 * i).ToArray(), 8);
        var stored = PersistentSortedSet<int, IntOrder>.FromRoot(loader.Store(built.Root), null, loader, 8);
        var changed = stored.Add(100_001).Remove(300_000);
        loader.Loads = 0;
        var removed = new List<int>();
        var added = new List<int>();
        TreeDiff<int, IntOrder>.Run(stored, changed, removed, added);
        Assert.Equal([300_000], removed);
        Assert.Equal([100_001], added);
        // Two changed paths in a tree of height 6: a few dozen nodes, out of some 30,000.
        Assert.InRange(loader.Loads, 1, 4 * stored.Root.Height + 4);
    }

    private static PersistentSortedSet<int, IntOrder> Edit(PersistentSortedSet<int, IntOrder> set, Random random, int edits, int range)
    {
        for (int i = 0; i < edits; i++)
        {
            int v = random.Next(0, range + 10);
            set = random.Next(2) == 0 ? set.Add(v) : set.Remove(v);
        }
        return set;
    }

    /// <summary>Nodes held by address only, as a store would, counting loads.</summary>
    private sealed class StoredNodes : INodeLoader<int>
    {
        private readonly Dictionary<NodeAddress, Node<int>> _nodes = [];
        private ulong _next = 1;

        public int Loads { get; set; }

        public Node<int> Load(NodeAddress address)
        {
            Loads++;
            return _nodes[address];
        }

        /// <summary>Copies a tree into the store, parents holding children by address only.</summary>
        public Node<int> Store(Node<int> node)
        {
            Node<int> copy;
            if (node is Leaf<int> leaf)
            {
                copy = new Leaf<int>(leaf.Keys[..leaf.Len], leaf.Len, null);
            }
            else
            {
                var b = (Branch<int>)node;
                var addresses = new NodeAddress[b.Len];
                for (int i = 0; i < b.Len; i++) addresses[i] = Store(b.Children[i]!).Address;
                copy = new Branch<int>(b.Height, b.MaxKeys[..b.Len], new Node<int>?[b.Len], b.Counts[..b.Len], addresses, b.Len, null);
            }
            copy.Address = new NodeAddress(_next++);
            _nodes[copy.Address] = copy;
            return copy;
        }
    }
}
