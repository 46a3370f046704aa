using Hike.Index.Datoms;
using Hike.Index.Tree;
using Hike.Testing;
using Xunit.Abstractions;

namespace Hike.Tests.Index.Tree;

public sealed class PersistentSortedSetModelTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(4, 3000)]
    [InlineData(5, 3000)]
    [InlineData(8, 3000)]
    [InlineData(64, 6000)]
    public void Random_operations_on_persistent_sets_match_a_sorted_set_model(int capacity, int steps)
    {
        var random = new Random(TestSeed.Next(output.WriteLine));
        var set = PersistentSortedSet<int, IntOrder>.Create(capacity);
        var model = new SortedSet<int>();
        var versions = new List<(PersistentSortedSet<int, IntOrder> Set, int[] Items)>();
        for (int step = 0; step < steps; step++)
        {
            int key = random.Next(capacity * 40);
            int op = random.Next(10);
            if (op < 6)
            {
                var next = set.Add(key);
                Assert.Equal(model.Add(key), !ReferenceEquals(next, set));
                set = next;
            }
            else if (op < 9)
            {
                var next = set.Remove(key);
                Assert.Equal(model.Remove(key), !ReferenceEquals(next, set));
                set = next;
            }
            else
            {
                Assert.Equal(model.Contains(key), set.Contains(key));
            }
            set.CheckInvariants();
            Assert.Equal(model.Count, set.Count);
            CheckRanges((x, y) => set.Slice(x, y), (x, y) => set.ReverseSlice(x, y), (x, y) => set.CountRange(x, y), model, random, capacity * 40);
            if (step % 97 == 0) versions.Add((set, model.ToArray()));
        }
        Assert.Equal(model, set);
        foreach (var (old, items) in versions)
        {
            old.CheckInvariants();
            Assert.Equal(items, old);
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(64)]
    public void Random_batches_on_transients_match_a_sorted_set_model_and_leave_the_source_unchanged(int capacity)
    {
        var random = new Random(TestSeed.Next(output.WriteLine));
        var set = PersistentSortedSet<int, IntOrder>.Create(capacity);
        var model = new SortedSet<int>();
        for (int batch = 0; batch < 60; batch++)
        {
            var before = set.ToArray();
            var transient = set.ToTransient();
            int ops = random.Next(1, 200);
            for (int i = 0; i < ops; i++)
            {
                int key = random.Next(capacity * 50);
                if (random.Next(3) < 2) Assert.Equal(model.Add(key), transient.Add(key));
                else Assert.Equal(model.Remove(key), transient.Remove(key));
                Assert.Equal(model.Count, transient.Count);
                if (i % 17 == 0) CheckRanges((x, y) => transient.Slice(x, y), (x, y) => transient.ReverseSlice(x, y), (x, y) => transient.CountRange(x, y), model, random, capacity * 50);
            }
            var next = transient.ToPersistent();
            next.CheckInvariants();
            Assert.Equal(model, next);
            set.CheckInvariants();
            Assert.Equal(before, set);
            set = next;
        }
    }

    [Fact]
    public void A_transient_cannot_be_used_after_it_is_made_persistent()
    {
        var transient = PersistentSortedSet<int, IntOrder>.Create(4).ToTransient();
        transient.Add(1);
        var persistent = transient.ToPersistent();
        Assert.Throws<InvalidOperationException>(() => transient.Add(2));
        Assert.Throws<InvalidOperationException>(() => transient.Contains(1));
        Assert.Equal([1], persistent);
    }

    [Fact]
    public void A_new_transient_does_not_change_the_persistent_set_it_came_from()
    {
        var t1 = PersistentSortedSet<int, IntOrder>.Create(4).ToTransient();
        for (int i = 0; i < 100; i++) t1.Add(i);
        var p1 = t1.ToPersistent();
        var t2 = p1.ToTransient();
        for (int i = 0; i < 100; i += 2) t2.Remove(i);
        for (int i = 100; i < 150; i++) t2.Add(i);
        var p2 = t2.ToPersistent();
        Assert.Equal(Enumerable.Range(0, 100), p1);
        Assert.Equal(Enumerable.Range(0, 100).Where(i => i % 2 == 1).Concat(Enumerable.Range(100, 50)), p2);
        p1.CheckInvariants();
        p2.CheckInvariants();
    }

    [Fact]
    public void Adding_to_a_large_set_copies_only_the_path_to_the_change()
    {
        // Bulk-built nodes are full; the first insertion splits its path, the second fits in place.
        var set = PersistentSortedSet<int, IntOrder>.FromSorted(Enumerable.Range(0, 10_000).Select(i => i * 2).ToArray(), 16).Add(5001);
        var next = set.Add(5003);
        var old = Nodes(set.Root).ToHashSet(ReferenceEqualityComparer.Instance);
        int fresh = Nodes(next.Root).Count(n => !old.Contains(n));
        Assert.Equal(next.Root.Height + 1, fresh);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(12)]
    [InlineData(100_000)]
    public void Bulk_building_from_sorted_input_gives_a_valid_tree(int n)
    {
        var set = PersistentSortedSet<int, IntOrder>.FromSorted(Enumerable.Range(0, n).ToArray(), 8);
        set.CheckInvariants();
        Assert.Equal(n, set.Count);
        Assert.Equal(Enumerable.Range(0, n), set);
    }

    [Fact]
    public void Bulk_building_rejects_unsorted_or_repeated_input()
    {
        Assert.Throws<ArgumentException>(() => PersistentSortedSet<int, IntOrder>.FromSorted([1, 3, 2]));
        Assert.Throws<ArgumentException>(() => PersistentSortedSet<int, IntOrder>.FromSorted([1, 2, 2]));
    }

    [Fact]
    public void Counting_a_range_matches_enumerating_it()
    {
        var set = PersistentSortedSet<int, IntOrder>.FromSorted(Enumerable.Range(0, 5000).Select(i => i * 3).ToArray(), 8);
        Assert.Equal(5000, set.CountRange(int.MinValue, int.MaxValue));
        Assert.Equal(1, set.CountRange(3, 3));
        Assert.Equal(0, set.CountRange(4, 5));
        Assert.Equal(0, set.CountRange(10, 1));
        Assert.Equal(334, set.CountRange(0, 1000));
    }

    private static void CheckRanges(
        Func<int, int, Slice<int, IntOrder>> slice,
        Func<int, int, Slice<int, IntOrder>> reverseSlice,
        Func<int, int, long> countRange,
        SortedSet<int> model,
        Random random,
        int keySpace)
    {
        int a = random.Next(-2, keySpace + 2), b = random.Next(-2, keySpace + 2);
        if (random.Next(8) == 0) b = a;
        var expected = a <= b ? model.GetViewBetween(a, b).ToList() : [];
        Assert.Equal(expected, slice(a, b));
        Assert.Equal(expected, Chunked(slice(a, b)));
        Assert.Equal(expected.Count, countRange(a, b));
        Assert.Equal(expected.Count > 0, slice(a, b).Any());
        var expectedDown = b <= a ? model.GetViewBetween(b, a).Reverse().ToList() : [];
        Assert.Equal(expectedDown, reverseSlice(a, b));
    }

    /// <summary>A slice read leaf by leaf through <see cref="Slice{T, TOrder}.Enumerator.NextChunk"/>.</summary>
    private static List<int> Chunked(Slice<int, IntOrder> slice)
    {
        var items = new List<int>();
        var chunks = slice.GetEnumerator();
        while (chunks.NextChunk(out var keys, out int start, out int end))
        {
            Assert.True(start < end);
            items.AddRange(keys.AsSpan(start, end - start));
        }
        return items;
    }

    private static IEnumerable<object> Nodes(Node<int> node)
    {
        yield return node;
        if (node is Branch<int> b)
        {
            for (int i = 0; i < b.Len; i++)
            {
                foreach (var n in Nodes(b.Children[i]!)) yield return n;
            }
        }
    }
}
