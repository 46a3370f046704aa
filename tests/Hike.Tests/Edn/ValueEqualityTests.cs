using System.Numerics;
using Hike.Edn;
using Hike.Testing;
using Xunit.Abstractions;

namespace Hike.Tests.Edn;

public sealed class ValueEqualityTests(ITestOutputHelper output)
{
    private static readonly ValueEquality Eq = ValueEquality.Instance;

    private static void AssertEqualWithEqualHashes(object? a, object? b)
    {
        Assert.True(Eq.Equals(a, b), $"{EdnPrinter.Print(a)} should equal {EdnPrinter.Print(b)}");
        Assert.True(Eq.Equals(b, a), $"{EdnPrinter.Print(b)} should equal {EdnPrinter.Print(a)}");
        Assert.Equal(Eq.GetHashCode(a), Eq.GetHashCode(b));
    }

    private static void AssertNotEqual(object? a, object? b)
    {
        Assert.False(Eq.Equals(a, b), $"{EdnPrinter.Print(a)} should not equal {EdnPrinter.Print(b)}");
        Assert.False(Eq.Equals(b, a), $"{EdnPrinter.Print(b)} should not equal {EdnPrinter.Print(a)}");
    }

    [Fact]
    public void A_list_equals_a_vector_with_the_same_items()
    {
        AssertEqualWithEqualHashes(EdnReader.Read("(1 2 3)"), EdnReader.Read("[1 2 3]"));
        AssertEqualWithEqualHashes(EdnList.Empty, EdnVector.Empty);
        AssertEqualWithEqualHashes(EdnVector.Create(1L, "a"), new List<object> { 1L, "a" });
        AssertEqualWithEqualHashes(EdnVector.Create(1L, "a"), new object[] { 1, "a" });
        AssertNotEqual(EdnVector.Create(1L, 2L), EdnVector.Create(2L, 1L));
        AssertNotEqual(EdnVector.Create(1L), EdnVector.Create(1L, 1L));
    }

    [Fact]
    public void Integers_are_equal_across_integral_types()
    {
        AssertEqualWithEqualHashes(1L, BigInteger.One);
        AssertEqualWithEqualHashes(EdnReader.Read("1"), EdnReader.Read("1N"));
        AssertEqualWithEqualHashes(1L, 1);
        AssertEqualWithEqualHashes((byte)200, 200L);
        AssertEqualWithEqualHashes(ulong.MaxValue, (BigInteger)ulong.MaxValue);
        AssertEqualWithEqualHashes(long.MinValue, (BigInteger)long.MinValue);
        AssertNotEqual(1L, 2L);
    }

    [Fact]
    public void Integers_never_equal_floating_or_decimal_values()
    {
        AssertNotEqual(1L, 1.0);
        AssertNotEqual(EdnReader.Read("1"), EdnReader.Read("1.0"));
        AssertNotEqual(1L, 1m);
        AssertNotEqual(1.0, 1m);
        AssertNotEqual(BigInteger.One, 1.0);
    }

    [Fact]
    public void Floating_values_are_equal_across_float_and_double()
    {
        AssertEqualWithEqualHashes(1.5, 1.5f);
        AssertEqualWithEqualHashes(double.NaN, double.NaN);
        AssertEqualWithEqualHashes(double.NaN, float.NaN);
        AssertEqualWithEqualHashes(0.0, -0.0);
        AssertNotEqual(0.1, 0.1f);
    }

    [Fact]
    public void Decimals_are_equal_by_value_regardless_of_scale()
    {
        AssertEqualWithEqualHashes(1.0m, 1.00m);
        AssertEqualWithEqualHashes(EdnReader.Read("1.5M"), EdnReader.Read("1.50M"));
    }

    [Fact]
    public void Arrays_are_equal_by_content()
    {
        AssertEqualWithEqualHashes(new byte[] { 1, 2, 3 }, new byte[] { 1, 2, 3 });
        AssertEqualWithEqualHashes(new float[] { 1, float.NaN }, new float[] { 1, float.NaN });
        AssertEqualWithEqualHashes(new double[] { 1, 2 }, new double[] { 1, 2 });
        AssertEqualWithEqualHashes(Array.Empty<byte>(), new byte[0]);
        AssertNotEqual(new byte[] { 1, 2, 3 }, new byte[] { 1, 2, 4 });
        AssertNotEqual(new byte[] { 1, 2 }, new byte[] { 1, 2, 3 });
        AssertNotEqual(new double[] { 1, 2 }, new float[] { 1, 2 });
        AssertNotEqual(new byte[] { 1, 2 }, EdnVector.Create(1L, 2L));
    }

    [Fact]
    public void Maps_are_equal_by_content_regardless_of_order()
    {
        AssertEqualWithEqualHashes(EdnReader.Read("{:a 1 :b 2}"), EdnReader.Read("{:b 2, :a 1}"));
        AssertEqualWithEqualHashes(EdnReader.Read("{nil [1 2] :x #{}}"), EdnReader.Read("{:x #{} nil (1 2)}"));
        AssertEqualWithEqualHashes(EdnMap.Of("k", 1L), new Dictionary<string, object> { ["k"] = 1 });
        AssertNotEqual(EdnReader.Read("{:a 1 :b 2}"), EdnReader.Read("{:a 1 :b 3}"));
        AssertNotEqual(EdnReader.Read("{:a 1 :b 2}"), EdnReader.Read("{:a 1 :c 2}"));
        AssertNotEqual(EdnReader.Read("{:a 1}"), EdnReader.Read("{:a 1 :b 2}"));
        AssertNotEqual(EdnReader.Read("{:a nil}"), EdnMap.Empty);
    }

    [Fact]
    public void Large_maps_are_equal_by_content_regardless_of_order()
    {
        var keys = Enumerable.Range(0, 50).Select(i => (object?)Keyword.Intern($"k{i}")).ToArray();
        var forward = EdnMap.Create(keys.Select((k, i) => new KeyValuePair<object?, object?>(k, (long)i)));
        var backward = EdnMap.Create(keys.Select((k, i) => new KeyValuePair<object?, object?>(k, (long)i)).Reverse());
        AssertEqualWithEqualHashes(forward, backward);
        AssertNotEqual(forward, backward.With(keys[7], 0L));
    }

    [Fact]
    public void Sets_are_equal_by_content_regardless_of_order()
    {
        AssertEqualWithEqualHashes(EdnReader.Read("#{1 2 3}"), EdnReader.Read("#{3 1 2}"));
        AssertEqualWithEqualHashes(EdnReader.Read("#{[1] nil}"), EdnReader.Read("#{nil (1)}"));
        AssertEqualWithEqualHashes(EdnSet.Of(1L, 2L), new HashSet<object> { 2L, 1L });
        AssertNotEqual(EdnReader.Read("#{1 2}"), EdnReader.Read("#{1 3}"));
        AssertNotEqual(EdnReader.Read("#{1 2}"), EdnReader.Read("[1 2]"));
    }

    [Fact]
    public void Instants_are_equal_as_utc_moments()
    {
        AssertEqualWithEqualHashes(EdnReader.Read("#inst \"2020-01-01T01:00:00+01:00\""), new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        AssertEqualWithEqualHashes(new DateTimeOffset(2020, 1, 1, 1, 0, 0, TimeSpan.FromHours(1)), new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        AssertNotEqual(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2020, 1, 1, 0, 0, 1, DateTimeKind.Utc));
    }

    [Fact]
    public void Values_of_different_kinds_are_never_equal()
    {
        AssertNotEqual("a", Keyword.Intern("a"));
        AssertNotEqual(Keyword.Intern("a"), Symbol.Intern("a"));
        AssertNotEqual("a", 'a');
        AssertNotEqual(null, false);
        AssertNotEqual(null, EdnVector.Empty);
        AssertNotEqual(EdnVector.Empty, EdnMap.Empty);
        AssertNotEqual(EdnMap.Empty, EdnSet.Empty);
        AssertNotEqual(1L, "1");
        AssertNotEqual(Guid.Empty, "00000000-0000-0000-0000-000000000000");
    }

    [Fact]
    public void Edn_collections_use_value_equality_in_their_own_Equals()
    {
        Assert.Equal(EdnReader.Read("[1 {:a #{2}}]"), EdnReader.Read("(1 {:a #{2}})"));
        Assert.Equal(EdnReader.Read("[1 {:a #{2}}]")!.GetHashCode(), EdnReader.Read("(1 {:a #{2}})")!.GetHashCode());
        Assert.NotEqual(EdnReader.Read("[1]"), EdnReader.Read("[1.0]"));
    }

    [Fact]
    public void Random_values_that_are_equal_have_equal_hash_codes_and_compare_as_zero()
    {
        int seed = TestSeed.Next(output.WriteLine);
        var random = new Random(seed);
        for (int i = 0; i < 1_000; i++)
        {
            var a = RandomValues.Value(random, 3);
            var b = EdnReader.Read(EdnPrinter.Print(a));
            Assert.True(Eq.Equals(a, b));
            Assert.Equal(Eq.GetHashCode(a), Eq.GetHashCode(b));
            Assert.Equal(0, ValueOrder.CompareValues(a, b));
            Assert.Equal(0, ValueOrder.CompareValues(b, a));
        }
    }
}
