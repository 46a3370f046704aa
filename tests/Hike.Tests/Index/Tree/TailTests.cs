using Hike.Index.Tree;
using Hike.Testing;
using Xunit.Abstractions;

namespace Hike.Tests.Index.Tree;

public sealed class TailTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(64)]
    public void Mostly_ascending_updates_match_a_sorted_set_model(int capacity)
    {
        var random = new Random(TestSeed.Next(output.WriteLine));
        var set = PersistentSortedSet<int, IntOrder>.Create(capacity);
        var model = new SortedSet<int>();
        var versions = new List<(PersistentSortedSet<int, IntOrder>, int[])>();
        int next = 0;
        for (int step = 0; step < 4000; step++)
        {
            int op = random.Next(10);
            if (op < 6)
            {
                next += random.Next(1, 3);
                Assert.Equal(model.Add(next), !ReferenceEquals(set, set = set.Add(next)));
            }
            else if (op < 8)
            {
                int key = random.Next(next + 2);
                Assert.Equal(model.Remove(key), !ReferenceEquals(set, set = set.Remove(key)));
            }
            else
            {
                int key = random.Next(next + 2);
                Assert.Equal(model.Add(key), !ReferenceEquals(set, set = set.Add(key)));
            }
            set.CheckInvariants();
            Assert.Equal(model.Count, set.Count);
            if (step % 50 == 0)
            {
                Assert.Equal(model, set);
                int a = random.Next(next + 2), b = random.Next(next + 2);
                Assert.Equal(a <= b ? model.GetViewBetween(a, b).ToArray() : [], set.Slice(a, b).ToArray());
                Assert.Equal(b <= a ? model.GetViewBetween(b, a).Reverse().ToArray() : [], set.ReverseSlice(a, b).ToArray());
                Assert.Equal(a <= b ? model.GetViewBetween(a, b).Count : 0, set.CountRange(a, b));
                versions.Add((set, model.ToArray()));
            }
        }
        foreach (var (old, items) in versions) Assert.Equal(items, old);
    }

    [Fact]
    public void Two_versions_appending_to_one_shared_tail_stay_independent()
    {
        var set = PersistentSortedSet<int, IntOrder>.Create(8);
        for (int i = 0; i < 20; i++) set = set.Add(i);
        var a = set.Add(100).Add(101);
        var b = set.Add(200);
        var c = set.Add(100).Add(150);
        Assert.Equal(Enumerable.Range(0, 20).Append(100).Append(101), a);
        Assert.Equal(Enumerable.Range(0, 20).Append(200), b);
        Assert.Equal(Enumerable.Range(0, 20).Append(100).Append(150), c);
        Assert.Equal(Enumerable.Range(0, 20), set);
        foreach (var s in new[] { set, a, b, c }) s.CheckInvariants();
    }

    [Fact]
    public void Transients_append_and_remove_in_the_tail_and_read_across_it()
    {
        var set = PersistentSortedSet<int, IntOrder>.Create(4);
        var transient = set.ToTransient();
        for (int i = 0; i < 30; i++) transient.Add(i * 2);
        transient.Remove(58);
        transient.Remove(56);
        transient.Add(57);
        Assert.True(transient.TryCeiling(55, out int ceiling));
        Assert.Equal(57, ceiling);
        Assert.Equal([57, 54, 52], transient.ReverseSlice(58, 51).ToArray());
        var done = transient.ToPersistent();
        done.CheckInvariants();
        Assert.Equal(29, done.Count);
        Assert.Equal(57, done.ElementAt(28));
        Assert.Equal(28, done.Rank(57));
        Assert.Equal(Enumerable.Range(0, 28).Select(i => i * 2).Append(57), done);
    }
}
