using Hike.Edn;
using Hike.Index.Datoms;
using Hike.Index.Tree;
using Hike.Testing;
using Xunit.Abstractions;

namespace Hike.Tests.Index.Datoms;

public sealed class PartitionedIndexModelTests(ITestOutputHelper output)
{
    private static readonly object[] Values = [1L, 2L, 7L, "a", "b", Keyword.Intern("x"), 1.5];

    [Fact]
    public void Eavt_index_matches_a_sorted_set_model() => Run<EavtOrder>(e => e % 3 == 0 ? EavtOrder.TransactionEntities + e : e);

    [Fact]
    public void Aevt_index_matches_a_sorted_set_model() => Run<AevtOrder>(e => e);

    [Fact]
    public void Avet_index_matches_a_sorted_set_model() => Run<AvetOrder>(e => e);

    private void Run<TOrder>(Func<long, long> entity)
        where TOrder : struct, IDatomOrder
    {
        var random = new Random(TestSeed.Next(output.WriteLine));
        var index = DatomIndex<TOrder>.Empty;
        var model = new SortedSet<IndexDatom>(default(TOrder));
        var versions = new List<(DatomIndex<TOrder>, IndexDatom[])>();
        for (int batch = 0; batch < 120; batch++)
        {
            var before = index.ToArray();
            var transient = index.ToTransient();
            int ops = random.Next(1, 40);
            for (int i = 0; i < ops; i++)
            {
                var d = new IndexDatom(entity(random.Next(1, 60)), random.Next(1, 70), Values[random.Next(Values.Length)], 536870913 + random.Next(3), true);
                if (random.Next(3) < 2) Assert.Equal(model.Add(d), transient.Add(d));
                else Assert.Equal(model.Remove(d), transient.Remove(d));
                Assert.Equal(model.Count, transient.Count);
            }
            CheckRange(transient.Slice, transient.ReverseSlice, null, model, random, entity);
            var next = transient.ToPersistent();
            Assert.Equal(before, index.ToArray());
            index = next;
            if (random.Next(2) == 0)
            {
                var d = new IndexDatom(entity(random.Next(1, 60)), random.Next(1, 70), Values[random.Next(Values.Length)], 536870913, true);
                Assert.Equal(model.Add(d), !ReferenceEquals(index, index = index.Add(d)));
                var r = model.ElementAt(random.Next(model.Count));
                Assert.Equal(model.Remove(r), !ReferenceEquals(index, index = index.Remove(r)));
            }
            index.CheckInvariants();
            Assert.Equal(model.ToArray(), index.ToArray());
            Assert.Equal(model.Count, index.Count);
            CheckRange(index.Slice, index.ReverseSlice, index, model, random, entity);
            versions.Add((index, model.ToArray()));
        }
        foreach (var (old, items) in versions) Assert.Equal(items, old.ToArray());
    }

    private delegate DatomSlice<TOrder> SliceOf<TOrder>(in IndexDatom from, in IndexDatom to)
        where TOrder : struct, IDatomOrder;

    private static void CheckRange<TOrder>(SliceOf<TOrder> slice, SliceOf<TOrder> reverse, DatomIndex<TOrder>? index, SortedSet<IndexDatom> model, Random random, Func<long, long> entity)
        where TOrder : struct, IDatomOrder
    {
        for (int k = 0; k < 5; k++)
        {
            var a = new IndexDatom(entity(random.Next(0, 62)), random.Next(0, 72), random.Next(2) == 0 ? ValueOrder.Min : Values[random.Next(Values.Length)], 0, false);
            var b = new IndexDatom(entity(random.Next(0, 62)), random.Next(0, 72), random.Next(2) == 0 ? ValueOrder.Max : Values[random.Next(Values.Length)], long.MaxValue, true);
            var order = default(TOrder);
            var up = order.Compare(a, b) <= 0 ? model.GetViewBetween(a, b).ToArray() : [];
            Assert.Equal(up, slice(a, b).ToArray());
            var down = order.Compare(b, a) <= 0 ? model.GetViewBetween(b, a).Reverse().ToArray() : [];
            Assert.Equal(down, reverse(a, b).ToArray());
            if (index is null) continue;
            Assert.Equal(up.Length, index.CountRange(a, b));
            Assert.Equal(model.Count(d => order.Compare(d, a) < 0), index.Rank(a));
            Assert.Equal(model.FirstOrDefault(d => order.Compare(d, a) >= 0), index.TryCeiling(a, out var c) ? c : default);
            if (model.Count > 0)
            {
                int i = random.Next(model.Count);
                Assert.Equal(model.ElementAt(i), index.ElementAt(i));
            }
        }
    }
}
