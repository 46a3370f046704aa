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
}
