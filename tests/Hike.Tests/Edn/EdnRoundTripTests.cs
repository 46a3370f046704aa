using System.Numerics;
using Hike.Edn;
using Hike.Testing;
using Xunit.Abstractions;
using static Hike.Tests.Edn.EdnAssert;

namespace Hike.Tests.Edn;

public sealed class EdnRoundTripTests(ITestOutputHelper output)
{
    private static object? RoundTrip(object? value) => EdnReader.Read(EdnPrinter.Print(value));

    private static void AssertRoundTrips(object? value)
    {
        var back = RoundTrip(value);
        ValueEqual(value, back);
        Assert.Equal(ValueEquality.Instance.GetHashCode(value), ValueEquality.Instance.GetHashCode(back));
    }

    public static TheoryData<string, object?> Values() => new()
    {
        { "nil", null },
        { "true", true },
        { "false", false },
        { "zero", 0L },
        { "long max", long.MaxValue },
        { "long min", long.MinValue },
        { "int", 12345 },
        { "big integer", BigInteger.Pow(10, 40) + 1 },
        { "negative big integer", -BigInteger.Pow(2, 100) },
        { "small big integer", new BigInteger(7) },
        { "double", 1.5 },
        { "double tenth", 0.1 },
        { "double large", 1e300 },
        { "double tiny", 5e-324 },
        { "negative zero", -0.0 },
        { "infinity", double.PositiveInfinity },
        { "negative infinity", double.NegativeInfinity },
        { "NaN", double.NaN },
        { "decimal", 123.4500m },
        { "decimal max", decimal.MaxValue },
        { "decimal min", decimal.MinValue },
        { "decimal tiny", 0.0000000000000000000000000001m },
        { "empty string", "" },
        { "string with every escape", "\" \\ \n \t \r \b \f" },
        { "string with control characters", "\0\u0001\u001f\u007f" },
        { "non-ASCII string", "Ĉu vi parolas Esperanton? 日本語 ελληνικά 😀" },
        { "string that looks like EDN", "{:a [1 2]} ; #_ #inst" },
        { "char", 'x' },
        { "newline char", '\n' },
        { "backslash char", '\\' },
        { "quote char", '"' },
        { "comma char", ',' },
        { "control char", '\u0001' },
        { "no-break space char", '\u00a0' },
        { "surrogate char", '\ud83d' },
        { "non-ASCII char", '日' },
        { "keyword", Keyword.Intern("db/id") },
        { "plain keyword", Keyword.Intern("name") },
        { "symbol", Symbol.Intern("?e") },
        { "namespaced symbol", Symbol.Intern("clojure.string/join") },
        { "slash symbol", Symbol.Intern("/") },
        { "instant", new DateTime(2020, 1, 1, 10, 0, 0, 123, DateTimeKind.Utc) },
        { "instant in year 1", new DateTime(1, 1, 1, 0, 0, 0, DateTimeKind.Utc) },
        { "instant offset", new DateTimeOffset(2020, 6, 30, 23, 0, 0, TimeSpan.FromHours(-5)) },
        { "uuid", Guid.Parse("f81d4fae-7dec-11d0-a765-00a0c91e6bf6") },
        { "bytes", new byte[] { 0, 1, 127, 128, 255 } },
        { "empty bytes", Array.Empty<byte>() },
        { "floats", new[] { 1.0f, -2.5f, 0.1f, float.MaxValue, float.Epsilon, float.NaN, float.NegativeInfinity } },
        { "doubles", new[] { 1.0, -2.5, 0.1, double.MaxValue, double.Epsilon, double.NaN, -0.0 } },
        { "empty vector", EdnVector.Empty },
        { "empty list", EdnList.Empty },
        { "empty map", EdnMap.Empty },
        { "empty set", EdnSet.Empty },
        { "nested collections", EdnVector.Create(EdnList.Create(1L, EdnVector.Create(2L)), EdnMap.Of(Keyword.Intern("a"), EdnSet.Of(1L, "x"))) },
        { "map with nil key", EdnMap.Of(null, 1L, Keyword.Intern("b"), null) },
        { "map with collection keys", EdnMap.Of(EdnVector.Create(1L, 2L), "v", EdnMap.Of(1L, 2L), "m", EdnSet.Of(3L), "s") },
        { "set with nil", EdnSet.Of(null, 1L, "a") },
        { "entity map", EdnMap.Of(Keyword.Intern("db/id"), 101L, Keyword.Intern("name"), "Judea", Keyword.Intern("aliases"), EdnSet.Of("J", "Jude"), Keyword.Intern("born"), new DateTime(1990, 5, 1, 0, 0, 0, DateTimeKind.Utc)) },
        { "list of .NET collections", new List<object?> { 1, new Dictionary<string, object?> { ["k"] = new List<object?> { null } } } },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Printing_then_reading_gives_an_equal_value(string description, object? value)
    {
        Assert.NotNull(description);
        AssertRoundTrips(value);
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void Printing_what_was_read_gives_the_same_text(string description, object? value)
    {
        Assert.NotNull(description);
        string text = EdnPrinter.Print(value);
        Assert.Equal(text, EdnPrinter.Print(EdnReader.Read(text)));
    }

    [Fact]
    public void Every_char_round_trips()
    {
        for (int c = 0; c <= char.MaxValue; c++)
        {
            var back = RoundTrip((char)c);
            Assert.True(back is char r && r == c, $"\\u{c:x4} read back as {EdnPrinter.Print(back)}");
        }
    }

    [Fact]
    public void Every_char_in_a_string_round_trips()
    {
        var chars = new char[char.MaxValue + 1];
        for (int c = 0; c <= char.MaxValue; c++) chars[c] = (char)c;
        var s = new string(chars);
        Assert.Equal(s, RoundTrip(s));
    }

    [Fact]
    public void Doubles_round_trip_bit_for_bit()
    {
        int seed = TestSeed.Next(output.WriteLine);
        var random = new Random(seed);
        for (int i = 0; i < 20_000; i++)
        {
            double d = BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue));
            if (double.IsNaN(d)) continue;
            var back = Assert.IsType<double>(RoundTrip(d));
            Assert.True(BitConverter.DoubleToInt64Bits(d) == BitConverter.DoubleToInt64Bits(back), $"{d:R} printed as {EdnPrinter.Print(d)}");
        }
    }

    [Fact]
    public void Floats_in_arrays_round_trip_bit_for_bit()
    {
        int seed = TestSeed.Next(output.WriteLine);
        var random = new Random(seed);
        var floats = new float[20_000];
        for (int i = 0; i < floats.Length; i++)
        {
            float f;
            do
            {
                f = BitConverter.Int32BitsToSingle(random.Next(int.MinValue, int.MaxValue));
            }
            while (float.IsNaN(f));
            floats[i] = f;
        }
        var back = Assert.IsType<float[]>(RoundTrip(floats));
        for (int i = 0; i < floats.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(floats[i]) == BitConverter.SingleToInt32Bits(back[i]), $"{floats[i]:R} read back as {back[i]:R}");
        }
    }

    [Fact]
    public void A_standalone_float_reads_back_as_the_double_of_its_printed_digits_as_in_clojure()
    {
        Assert.Equal(0.1, RoundTrip(0.1f));
        Assert.Equal(2.5, RoundTrip(2.5f));
    }

    [Fact]
    public void Sub_millisecond_instants_read_back_truncated_to_milliseconds()
    {
        var precise = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(1_234_567);
        Assert.Equal(new DateTime(2020, 1, 1, 0, 0, 0, 123, DateTimeKind.Utc), RoundTrip(precise));
    }

    [Fact]
    public void Random_nested_values_round_trip()
    {
        int seed = TestSeed.Next(output.WriteLine);
        var random = new Random(seed);
        for (int i = 0; i < 2_000; i++)
        {
            var value = RandomValues.Value(random, random.Next(0, 5));
            string text = EdnPrinter.Print(value);
            object? back;
            try
            {
                back = EdnReader.Read(text);
            }
            catch (EdnSyntaxException e)
            {
                Assert.Fail($"value #{i} printed as {text} did not read: {e.Message}");
                return;
            }
            Assert.True(ValueEquality.Instance.Equals(value, back), $"value #{i} {text} read back as {EdnPrinter.Print(back)}");
            Assert.Equal(ValueEquality.Instance.GetHashCode(value), ValueEquality.Instance.GetHashCode(back));
            Assert.Equal(text, EdnPrinter.Print(back));
            Assert.Equal(0, ValueOrder.CompareValues(value, back));
        }
    }

    [Fact]
    public void Random_values_read_from_text_with_noise_between_tokens()
    {
        int seed = TestSeed.Next(output.WriteLine);
        var random = new Random(seed);
        for (int i = 0; i < 300; i++)
        {
            var value = RandomValues.Value(random, 3);
            string text = EdnPrinter.Print(value);
            string noisy = $" ;; c\n#_ {EdnPrinter.Print(RandomValues.Value(random, 2))} ,\t{text}\r\n#_#_ 1 2 ; end";
            ValueEqual(value, EdnReader.Read(noisy));
        }
    }
}
