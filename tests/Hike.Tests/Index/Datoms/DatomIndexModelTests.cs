using Hike.Edn;
using Hike.Index.Datoms;
using Hike.Index.Tree;
using Hike.Testing;
using Xunit.Abstractions;

namespace Hike.Tests.Index.Datoms;

public sealed class DatomIndexModelTests(ITestOutputHelper output)
{
    private static readonly object[] Values =
    [
        1L, 2L, -7L, 1.5, "a", "b", "Ivan", Keyword.Intern("x"), Keyword.Intern("ns/x"), true, false,
        new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc), Guid.Parse("00000000-0000-0000-0000-000000000001"),
    ];

    [Fact]
    public void Eavt_sets_of_mixed_values_match_a_sorted_set_model() => Run<EavtOrder>();

    [Fact]
    public void Aevt_sets_of_mixed_values_match_a_sorted_set_model() => Run<AevtOrder>();

    [Fact]
    public void Avet_sets_of_mixed_values_match_a_sorted_set_model() => Run<AvetOrder>();

    private void Run<TOrder>()
        where TOrder : struct, IComparer<IndexDatom>
    {
        var random = new Random(TestSeed.Next(output.WriteLine));
        var set = PersistentSortedSet<IndexDatom, TOrder>.Create(6);
        var model = new SortedSet<IndexDatom>(default(TOrder));
        for (int step = 0; step < 2000; step++)
        {
            var d = new IndexDatom(random.Next(1, 30), random.Next(1, 6), Values[random.Next(Values.Length)], 536870913 + random.Next(3), random.Next(2) == 0);
            if (random.Next(3) < 2)
            {
                Assert.Equal(model.Add(d), !ReferenceEquals(set, set = set.Add(d)));
            }
            else
            {
                Assert.Equal(model.Remove(d), !ReferenceEquals(set, set = set.Remove(d)));
            }
            set.CheckInvariants();
            var from = new IndexDatom(random.Next(0, 31), random.Next(0, 7), ValueOrder.Min, 0, false);
            var to = new IndexDatom(from.E + random.Next(0, 5), random.Next(0, 7), ValueOrder.Max, long.MaxValue, true);
            var expected = default(TOrder).Compare(from, to) <= 0 ? model.GetViewBetween(from, to).ToList() : [];
            Assert.Equal(expected, set.Slice(from, to).ToList());
            Assert.Equal(expected.Count, set.CountRange(from, to));
        }
        Assert.Equal(model.ToList(), set.ToList());
    }
}
