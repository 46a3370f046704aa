using System.Numerics;
using Hike.Edn;

namespace Hike.Tests.Edn;

public sealed class ValueOrderTests
{
    private static int Sign(object? a, object? b) => Math.Sign(ValueOrder.CompareValues(a, b));

    [Fact]
    public void Nil_sorts_before_every_value()
    {
        Assert.Equal(-1, Sign(null, false));
        Assert.Equal(-1, Sign(null, long.MinValue));
        Assert.Equal(-1, Sign(null, ""));
        Assert.Equal(0, Sign(null, null));
    }

    [Fact]
    public void Numbers_compare_by_value_across_types()
    {
        Assert.Equal(-1, Sign(1L, 1.5));
        Assert.Equal(1, Sign(2.5, 2L));
        Assert.Equal(-1, Sign(new BigInteger(long.MaxValue) + 1, double.PositiveInfinity));
        Assert.Equal(1, Sign(new BigInteger(long.MaxValue) + 1, long.MaxValue));
        Assert.Equal(-1, Sign(1.25m, 1.5));
        Assert.Equal(1, Sign(3, 2L));
    }

    [Fact]
    public void Equal_numbers_of_different_types_stay_distinct_but_adjacent()
    {
        Assert.NotEqual(0, Sign(1L, 1.0));
        Assert.Equal(-1, Sign(1L, 1.0));
        Assert.Equal(-1, Sign(1.0, 2L));
        Assert.Equal(1, Sign(1.0, 0L));
    }

    [Fact]
    public void Large_longs_are_not_merged_by_double_conversion()
    {
        long big = (1L << 53) + 1;
        Assert.Equal(1, Sign(big, (double)(1L << 53)));
    }

    [Fact]
    public void Arrays_compare_element_by_element_then_by_length()
    {
        Assert.Equal(-1, Sign(new byte[] { 1, 2 }, new byte[] { 1, 3 }));
        Assert.Equal(-1, Sign(new byte[] { 1, 2 }, new byte[] { 1, 2, 0 }));
        Assert.Equal(-1, Sign(new byte[] { 0x80 }, new byte[] { 0x01 })); // Java bytes are signed
        Assert.Equal(-1, Sign(EdnVector.Create(1L, "a"), EdnVector.Create(1L, "b")));
        Assert.Equal(1, Sign(EdnVector.Create(2L), EdnVector.Create(1L, "z")));
    }

    [Fact]
    public void Uuids_order_as_java_does_with_signed_halves()
    {
        var low = Guid.Parse("00000000-0000-0000-0000-000000000001");
        var high = Guid.Parse("7fffffff-ffff-ffff-0000-000000000000");
        var negative = Guid.Parse("80000000-0000-0000-0000-000000000000");
        Assert.Equal(-1, Sign(low, high));
        Assert.Equal(-1, Sign(negative, low));
    }

    [Fact]
    public void Different_kinds_order_by_kind()
    {
        Assert.Equal(-1, Sign(true, 0L));
        Assert.Equal(-1, Sign(5L, "a"));
        Assert.Equal(-1, Sign("z", Keyword.Intern("a")));
        Assert.Equal(-1, Sign(Keyword.Intern("z"), Symbol.Intern("a")));
    }

    [Fact]
    public void Keywords_without_namespace_sort_first()
    {
        Assert.Equal(-1, Sign(Keyword.Intern("zeta"), Keyword.Intern("a/b")));
        Assert.Equal(-1, Sign(Keyword.Intern("a/b"), Keyword.Intern("a/c")));
        Assert.Equal(-1, Sign(Keyword.Intern("a/z"), Keyword.Intern("b/a")));
    }

    [Fact]
    public void Numbers_that_are_equal_values_compare_as_zero()
    {
        Assert.Equal(0, Sign(1L, BigInteger.One));
        Assert.Equal(0, Sign(1L, 1));
        Assert.Equal(0, Sign((BigInteger)ulong.MaxValue, ulong.MaxValue));
        Assert.Equal(0, Sign(1.5, 1.5f));
        Assert.Equal(0, Sign(1.0m, 1.00m));
        Assert.Equal(0, Sign(0.0, -0.0));
        Assert.Equal(0, Sign(double.NaN, double.NaN));
    }

    [Fact]
    public void Decimals_sit_between_integers_and_doubles_of_the_same_value()
    {
        Assert.Equal(-1, Sign(1L, 1m));
        Assert.Equal(-1, Sign(1m, 1.0));
        Assert.Equal(-1, Sign(1.5m, 2L));
    }

    [Fact]
    public void NaN_sorts_after_every_number()
    {
        Assert.Equal(1, Sign(double.NaN, double.PositiveInfinity));
        Assert.Equal(1, Sign(double.NaN, long.MaxValue));
        Assert.Equal(-1, Sign(decimal.MaxValue, double.NaN));
    }

    [Fact]
    public void Lists_and_vectors_with_equal_items_compare_as_zero()
    {
        Assert.Equal(0, Sign(EdnList.Create(1L, "a"), EdnVector.Create(1L, "a")));
        Assert.Equal(0, Sign(new List<object> { 1, "a" }, EdnVector.Create(1L, "a")));
    }

    [Fact]
    public void Maps_compare_by_size_then_by_sorted_entries_regardless_of_order()
    {
        var ab = EdnMap.Of(Keyword.Intern("a"), 1L, Keyword.Intern("b"), 2L);
        var ba = EdnMap.Of(Keyword.Intern("b"), 2L, Keyword.Intern("a"), 1L);
        Assert.Equal(0, Sign(ab, ba));
        Assert.Equal(0, Sign(EdnMap.Of("k", 1L), new Dictionary<string, object> { ["k"] = 1 }));
        Assert.Equal(-1, Sign(EdnMap.Of(Keyword.Intern("z"), 9L), ab));
        Assert.Equal(-1, Sign(ab, EdnMap.Of(Keyword.Intern("a"), 1L, Keyword.Intern("b"), 3L)));
        Assert.Equal(1, Sign(ab, EdnMap.Of(Keyword.Intern("a"), 1L, Keyword.Intern("a0"), 5L)));
        Assert.Equal(-1, Sign(EdnMap.Of(null, 1L), EdnMap.Of(1L, 1L)));
    }

    [Fact]
    public void Sets_compare_by_size_then_by_sorted_elements_regardless_of_order()
    {
        Assert.Equal(0, Sign(EdnSet.Of(1L, 2L, 3L), EdnSet.Of(3L, 1L, 2L)));
        Assert.Equal(0, Sign(EdnSet.Of(1L, 2L), new HashSet<object> { 2L, 1L }));
        Assert.Equal(-1, Sign(EdnSet.Of(9L), EdnSet.Of(1L, 2L)));
        Assert.Equal(-1, Sign(EdnSet.Of(1L, 2L), EdnSet.Of(1L, 3L)));
    }

    [Fact]
    public void Sequences_sort_before_maps_and_maps_before_sets()
    {
        Assert.Equal(-1, Sign(EdnVector.Create(99L), EdnMap.Empty));
        Assert.Equal(-1, Sign(EdnMap.Of(1L, 2L), EdnSet.Empty));
    }

    [Fact]
    public void Values_read_from_edn_sort_in_the_documented_kind_order()
    {
        var values = EdnReader.ReadAll("#{} {} [] #hike/doubles [] #hike/floats [] #hike/bytes \"\" #uuid \"00000000-0000-0000-0000-000000000000\" #inst \"2020\" sym :kw \"s\" \\c 1 true nil");
        var sorted = values.OrderBy(v => v, ValueOrder.Instance).ToList();
        Assert.Equal(values.Reverse().Select(EdnPrinter.Print), sorted.Select(EdnPrinter.Print));
    }
}
