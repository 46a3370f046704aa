using System.Numerics;
using Hike.Edn;

namespace Hike.Tests.Edn;

public sealed class EdnPrinterTests
{
    [Fact]
    public void A_map_prints_as_clojure_prints_it()
    {
        Assert.Equal("{:db/id 101, :name \"Judea\"}", EdnPrinter.Print(EdnMap.Of(Keyword.Intern("db/id"), 101L, Keyword.Intern("name"), "Judea")));
        Assert.Equal("{}", EdnPrinter.Print(EdnMap.Empty));
        Assert.Equal("{nil nil}", EdnPrinter.Print(EdnMap.Of(null, null)));
    }

    [Fact]
    public void Collections_print_with_their_delimiters()
    {
        Assert.Equal("[1 \"a\" :b c]", EdnPrinter.Print(EdnVector.Create(1L, "a", Keyword.Intern("b"), Symbol.Intern("c"))));
        Assert.Equal("(1 (2) [])", EdnPrinter.Print(EdnList.Create(1L, EdnList.Create(2L), EdnVector.Empty)));
        Assert.Equal("#{1 2}", EdnPrinter.Print(EdnSet.Of(1L, 2L)));
        Assert.Equal("[1 2]", EdnPrinter.Print(new List<object> { 1, 2L }));
        Assert.Equal("{\"k\" [true false nil]}", EdnPrinter.Print(new Dictionary<string, object?> { ["k"] = new object?[] { true, false, null } }));
    }

    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(-1.0, "-1.0")]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(1.5, "1.5")]
    [InlineData(100.0, "100.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(0.001, "0.001")]
    [InlineData(1.0e-4, "1.0E-4")]
    [InlineData(1.5e-5, "1.5E-5")]
    [InlineData(-1.5e-5, "-1.5E-5")]
    [InlineData(1234567.0, "1234567.0")]
    [InlineData(1.0e7, "1.0E7")]
    [InlineData(1.0e10, "1.0E10")]
    [InlineData(123456789.0, "1.23456789E8")]
    [InlineData(1.0e21, "1.0E21")]
    [InlineData(3.141592653589793, "3.141592653589793")]
    [InlineData(double.MaxValue, "1.7976931348623157E308")]
    [InlineData(double.Epsilon, "4.9E-324")]
    [InlineData(2 * double.Epsilon, "9.9E-324")]
    [InlineData(1e-322, "9.9E-323")]
    [InlineData(1.23e-320, "1.23E-320")]
    [InlineData(2.2250738585072014E-308, "2.2250738585072014E-308")]
    [InlineData(double.PositiveInfinity, "##Inf")]
    [InlineData(double.NegativeInfinity, "##-Inf")]
    [InlineData(double.NaN, "##NaN")]
    public void Doubles_print_as_clojure_prints_them(double value, string expected)
    {
        Assert.Equal(expected, EdnPrinter.Print(value));
    }

    [Theory]
    [InlineData(1.0f, "1.0")]
    [InlineData(0.1f, "0.1")]
    [InlineData(1.0e10f, "1.0E10")]
    [InlineData(3.4028235E38f, "3.4028235E38")]
    [InlineData(1.0e-8f, "1.0E-8")]
    [InlineData(float.Epsilon, "1.4E-45")]
    public void Floats_print_with_their_own_shortest_digits(float value, string expected)
    {
        Assert.Equal(expected, EdnPrinter.Print(value));
    }

    [Fact]
    public void Numbers_of_every_type_print_with_clojure_suffixes()
    {
        Assert.Equal("42", EdnPrinter.Print(42L));
        Assert.Equal("-9223372036854775808", EdnPrinter.Print(long.MinValue));
        Assert.Equal("42", EdnPrinter.Print(42));
        Assert.Equal("7", EdnPrinter.Print((byte)7));
        Assert.Equal("18446744073709551615", EdnPrinter.Print(ulong.MaxValue));
        Assert.Equal("1N", EdnPrinter.Print(BigInteger.One));
        Assert.Equal("-123456789012345678901234567890N", EdnPrinter.Print(BigInteger.Parse("-123456789012345678901234567890", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("1.50M", EdnPrinter.Print(1.50m));
        Assert.Equal("0M", EdnPrinter.Print(0m));
    }

    [Fact]
    public void Instants_print_in_utc_with_milliseconds()
    {
        Assert.Equal("#inst \"2020-01-01T00:00:00.000-00:00\"", EdnPrinter.Print(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Equal("#inst \"1985-04-12T23:20:50.520-00:00\"", EdnPrinter.Print(new DateTime(1985, 4, 12, 23, 20, 50, 520, DateTimeKind.Utc)));
        Assert.Equal("#inst \"2020-01-01T09:00:00.000-00:00\"", EdnPrinter.Print(new DateTimeOffset(2020, 1, 1, 10, 0, 0, TimeSpan.FromHours(1))));
        Assert.Equal("#inst \"0001-01-01T00:00:00.000-00:00\"", EdnPrinter.Print(DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc)));
    }

    [Fact]
    public void Uuids_print_in_canonical_lower_case()
    {
        Assert.Equal("#uuid \"550e8400-e29b-41d4-a716-446655440000\"", EdnPrinter.Print(Guid.Parse("550E8400-E29B-41D4-A716-446655440000")));
    }

    [Fact]
    public void Strings_print_with_clojure_escapes()
    {
        Assert.Equal("\"a\\\"b\\\\c\\nd\\te\\rf\\bg\\fh\"", EdnPrinter.Print("a\"b\\c\nd\te\rf\bg\fh"));
        Assert.Equal("\"\\u0000\\u001b\"", EdnPrinter.Print("\0\u001b"));
        Assert.Equal("\"日本語 é 😀\"", EdnPrinter.Print("日本語 é 😀"));
    }

    [Fact]
    public void Characters_print_as_clojure_prints_them()
    {
        Assert.Equal("\\a", EdnPrinter.Print('a'));
        Assert.Equal("\\newline", EdnPrinter.Print('\n'));
        Assert.Equal("\\space", EdnPrinter.Print(' '));
        Assert.Equal("\\tab", EdnPrinter.Print('\t'));
        Assert.Equal("\\return", EdnPrinter.Print('\r'));
        Assert.Equal("\\backspace", EdnPrinter.Print('\b'));
        Assert.Equal("\\formfeed", EdnPrinter.Print('\f'));
        Assert.Equal("\\u0000", EdnPrinter.Print('\0'));
        Assert.Equal("\\(", EdnPrinter.Print('('));
        Assert.Equal("\\é", EdnPrinter.Print('é'));
    }

    [Fact]
    public void Keywords_and_symbols_print_their_full_names()
    {
        Assert.Equal(":db.type/long", EdnPrinter.Print(Keyword.Intern("db.type/long")));
        Assert.Equal("?e", EdnPrinter.Print(Symbol.Intern("?e")));
        Assert.Equal("clojure.string/join", EdnPrinter.Print(Symbol.Intern("clojure.string/join")));
    }

    [Fact]
    public void Arrays_print_with_hike_tags()
    {
        Assert.Equal("#hike/bytes \"AAEC/v8=\"", EdnPrinter.Print(new byte[] { 0, 1, 2, 254, 255 }));
        Assert.Equal("#hike/floats [1.0 2.5]", EdnPrinter.Print(new[] { 1.0f, 2.5f }));
        Assert.Equal("#hike/doubles [1.0 1.0E10 ##NaN]", EdnPrinter.Print(new[] { 1.0, 1e10, double.NaN }));
        Assert.Equal("#hike/doubles []", EdnPrinter.Print(Array.Empty<double>()));
    }

    [Fact]
    public void ToString_of_edn_collections_is_their_edn_text()
    {
        Assert.Equal("{:a [1 2.0]}", EdnMap.Of(Keyword.Intern("a"), EdnVector.Create(1L, 2.0)).ToString());
        Assert.Equal("#{:x}", EdnSet.Of(Keyword.Intern("x")).ToString());
    }

    [Fact]
    public void A_million_digit_integer_prints_and_reads_back_in_seconds()
    {
        // Digit-by-digit conversion took over 20 s to print this number; divide and conquer takes about 2.
        if (TestBackend.IsDurable) return;
        var value = BigInteger.Pow(7, 1_183_000);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string text = EdnPrinter.Print(value);
        Assert.Equal(value, EdnReader.Read(text));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(999_751, text.Length - 1);
        Assert.EndsWith("N", text);
        Assert.Equal("-" + text, EdnPrinter.Print(-value));
    }

    [Fact]
    public void A_large_integer_prints_its_zeros_between_the_halves()
    {
        // Every split leaves a low half with leading zeros to keep.
        var value = BigInteger.Pow(10, 30_000) + 7;
        Assert.Equal("1" + new string('0', 29_999) + "7N", EdnPrinter.Print(value));
    }

    [Fact]
    public void A_million_digit_hexadecimal_integer_reads_in_seconds()
    {
        if (TestBackend.IsDurable) return;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var value = (BigInteger)EdnReader.Read("0x1" + new string('0', 1_000_000))!;
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(BigInteger.One << 4_000_000, value);
        // Split parsing keeps the digits of each half in place, leading zeros of the low half included.
        Assert.Equal(BigInteger.Pow(36, 5_001) * 7 + 35, EdnReader.Read("36r7" + new string('0', 5_000) + "z"));
    }

    [Fact]
    public void A_value_is_cut_to_the_requested_length_without_printing_the_rest()
    {
        var huge = new string('x', 5_000_000) + "\n";
        string text = EdnPrinter.PrintPrefix(EdnVector.Create(huge, 1L), 20, out bool truncated);
        Assert.True(truncated);
        Assert.Equal("[\"xxxxxxxxxxxxxxxxxx", text);
        Assert.Equal("[\"ab\" 1]", EdnPrinter.PrintPrefix(EdnVector.Create("ab", 1L), 8, out truncated));
        Assert.False(truncated);
        Assert.Equal(5_000_004, EdnPrinter.PrintedLength(huge));
        Assert.Equal("#hike/bytes \"AAAAAAAA", EdnPrinter.PrintPrefix(new byte[30_000_000], 21, out truncated));
        Assert.True(truncated);
    }
}
