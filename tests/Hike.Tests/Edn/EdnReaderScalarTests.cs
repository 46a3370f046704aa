using System.Numerics;
using Hike.Edn;
using static Hike.Tests.Edn.EdnAssert;

namespace Hike.Tests.Edn;

public sealed class EdnReaderScalarTests
{
    [Fact]
    public void Nil_true_and_false_are_null_and_booleans()
    {
        Assert.Null(EdnReader.Read("nil"));
        Reads(true, "true");
        Reads(false, "false");
    }

    [Fact]
    public void Names_that_only_start_like_nil_true_or_false_are_symbols()
    {
        Assert.Same(Symbol.Intern("nil?"), EdnReader.Read("nil?"));
        Assert.Same(Symbol.Intern("truer"), EdnReader.Read("truer"));
        Assert.Same(Symbol.Intern("false/x"), EdnReader.Read("false/x"));
    }

    [Fact]
    public void A_string_reads_its_characters()
    {
        Reads("", "\"\"");
        Reads("hello, world", "\"hello, world\"");
        Reads("a ; not a comment", "\"a ; not a comment\"");
        Reads("(not [a] {list})", "\"(not [a] {list})\"");
    }

    [Fact]
    public void Every_string_escape_reads_as_its_character()
    {
        Reads("\" \\ \n \t \r \b \f", "\"\\\" \\\\ \\n \\t \\r \\b \\f\"");
        Reads("A\u00e9\uffff\u0000", "\"\\u0041\\u00E9\\uffff\\u0000\"");
    }

    [Fact]
    public void A_unicode_escape_takes_exactly_four_hex_digits()
    {
        // Clojure: "\u00041" is the characters 4 and '1'.
        Reads("\u00041", "\"\\u00041\"");
        Reads("\ud800", "\"\\ud800\"");
    }

    [Fact]
    public void Strings_may_span_lines_and_hold_any_text()
    {
        Reads("line one\nline two", "\"line one\nline two\"");
        Reads("Ĉu vi parolas? 日本語 😀", "\"Ĉu vi parolas? 日本語 😀\"");
    }

    [Fact]
    public void Repeated_short_strings_in_one_read_share_one_instance()
    {
        var v = Assert.IsType<EdnVector>(EdnReader.Read("[\"Dmitry\" \"Dmitry\" \"a\\tb\" \"a\\tb\" \"" + new string('x', 40) + "\" \"" + new string('x', 40) + "\"]"));
        Assert.Equal("Dmitry", v[0]);
        Assert.Same(v[0], v[1]);
        Assert.Equal("a\tb", v[2]);
        Assert.Equal(v[2], v[3]);
        Assert.Equal(new string('x', 40), v[4]);
        Assert.Equal(v[4], v[5]);
    }

    [Theory]
    [InlineData("\"\\q\"", "\\q")]
    [InlineData("\"\\o\"", "\\o")]
    [InlineData("\"\\0\"", "\\0")]
    [InlineData("\"\\a\"", "\\a")]
    [InlineData("\"\\/\"", "\\/")]
    public void An_unknown_string_escape_is_an_error(string text, string escape)
    {
        var e = SyntaxError(text, "Unsupported escape character", 1, 2);
        Assert.Contains(escape, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"\\u\"")]
    [InlineData("\"\\ug\"")]
    [InlineData("\"\\ug000\"")]
    [InlineData("\"\\u0\"")]
    [InlineData("\"\\u004\"")]
    [InlineData("\"\\u004g\"")]
    public void A_unicode_escape_without_four_hex_digits_is_an_error(string text)
    {
        SyntaxError(text, "Invalid unicode escape", 1, 2);
    }

    [Theory]
    [InlineData("\"abc")]
    [InlineData("\"abc\\\"")]
    [InlineData("\"abc\\")]
    [InlineData("\"ab\\u00")]
    public void An_unterminated_string_is_an_error_naming_where_it_started(string text)
    {
        var e = SyntaxError(text, "Unterminated string starting at line 1, column 1", 1, 1);
        Assert.Equal("Unterminated string starting at line 1, column 1", e.Message);
    }

    [Fact]
    public void Characters_read_as_chars()
    {
        Reads('a', "\\a");
        Reads('Z', "\\Z");
        Reads('(', "\\(");
        Reads(']', "\\]");
        Reads('"', "\\\"");
        Reads('\\', "\\\\");
        Reads(';', "\\;");
        Reads(',', "\\,");
        Reads('é', "\\é");
        Reads('u', "\\u");
        Reads('o', "\\o");
    }

    [Fact]
    public void Named_characters_read_as_their_chars()
    {
        Reads('\n', "\\newline");
        Reads(' ', "\\space");
        Reads('\t', "\\tab");
        Reads('\r', "\\return");
        Reads('\b', "\\backspace");
        Reads('\f', "\\formfeed");
    }

    [Fact]
    public void Unicode_and_octal_characters_read_as_chars()
    {
        Reads('A', "\\u0041");
        Reads('\0', "\\u0000");
        Reads('\ud7ff', "\\ud7ff");
        Reads('\ue000', "\\ue000");
        Reads('\uffff', "\\uFFFF");
        Reads('\0', "\\o0");
        Reads('\0', "\\o000");
        Reads('\x27', "\\o47");
        Reads('\xff', "\\o377");
    }

    [Fact]
    public void A_character_ends_at_a_delimiter()
    {
        var v = Assert.IsType<EdnVector>(EdnReader.Read("[\\a\\b \\c(\\d)]"));
        Assert.Equal(new object?[] { 'a', 'b', 'c', EdnList.Create('d') }, v.ToArray());
    }

    [Theory]
    [InlineData("\\abc", "Unsupported character")]
    [InlineData("\\00", "Unsupported character")]
    [InlineData("\\0009", "Unsupported character")]
    [InlineData("\\newlines", "Unsupported character")]
    [InlineData("\\u0", "Invalid unicode character")]
    [InlineData("\\ug", "Invalid unicode character")]
    [InlineData("\\u000", "Invalid unicode character")]
    [InlineData("\\u00041", "Invalid unicode character")]
    [InlineData("\\u004g", "Invalid unicode character")]
    [InlineData("\\o378", "Invalid octal character")]
    [InlineData("\\o400", "Invalid octal character")]
    [InlineData("\\o800", "Invalid octal character")]
    [InlineData("\\oand", "Invalid octal character")]
    [InlineData("\\o0470", "Invalid octal character")]
    [InlineData("\\😀", "Basic Multilingual Plane")]
    public void A_malformed_character_is_an_error(string text, string fragment)
    {
        SyntaxError(text, fragment, 1, 1);
    }

    [Theory]
    [InlineData("\\")]
    [InlineData("\\ ")]
    [InlineData("\\\n")]
    [InlineData("\\\t")]
    public void A_backslash_followed_by_nothing_or_whitespace_is_an_error(string text)
    {
        SyntaxError(text, "\\", 1, 1);
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("-0", 0L)]
    [InlineData("+0", 0L)]
    [InlineData("1", 1L)]
    [InlineData("+1", 1L)]
    [InlineData("-1", -1L)]
    [InlineData("42", 42L)]
    [InlineData("2147483647", 2147483647L)]
    [InlineData("2147483648", 2147483648L)]
    [InlineData("-2147483649", -2147483649L)]
    [InlineData("999999999999999999", 999999999999999999L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    public void Integers_read_as_longs(string text, long expected)
    {
        Reads(expected, text);
    }

    [Theory]
    [InlineData("0x1F", 31L)]
    [InlineData("0X1f", 31L)]
    [InlineData("-0xff", -255L)]
    [InlineData("0x7fffffffffffffff", long.MaxValue)]
    [InlineData("017", 15L)]
    [InlineData("-017", -15L)]
    [InlineData("00", 0L)]
    [InlineData("007", 7L)]
    [InlineData("2r1010", 10L)]
    [InlineData("2R1010", 10L)]
    [InlineData("-2r1010", -10L)]
    [InlineData("8r17", 15L)]
    [InlineData("16rFF", 255L)]
    [InlineData("36rZz", 1295L)]
    public void Hex_octal_and_radix_integers_read_as_longs(string text, long expected)
    {
        Reads(expected, text);
    }

    [Theory]
    [InlineData("1N", "1")]
    [InlineData("0N", "0")]
    [InlineData("-5N", "-5")]
    [InlineData("+5N", "5")]
    [InlineData("9223372036854775808", "9223372036854775808")]
    [InlineData("-9223372036854775809", "-9223372036854775809")]
    [InlineData("10000000000000000000000000000000000000000000000000", "10000000000000000000000000000000000000000000000000")]
    [InlineData("-10000000000000000000000000000000000000000000000000", "-10000000000000000000000000000000000000000000000000")]
    [InlineData("0x1FN", "31")]
    [InlineData("0xFFFFFFFFFFFFFFFF", "18446744073709551615")]
    [InlineData("-0x10000000000000000", "-18446744073709551616")]
    [InlineData("017N", "15")]
    [InlineData("2r11111111111111111111111111111111111111111111111111111111111111111", "36893488147419103231")]
    [InlineData("36rZZZZZZZZZZZZZZZZ", "7958661109946400884391935")]
    public void Big_or_N_suffixed_integers_read_as_BigInteger(string text, string expected)
    {
        Reads(BigInteger.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), text);
    }

    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData("-1.5", -1.5)]
    [InlineData("+1.5", 1.5)]
    [InlineData("0.0", 0.0)]
    [InlineData("1.", 1.0)]
    [InlineData("1e10", 1e10)]
    [InlineData("1E10", 1e10)]
    [InlineData("1.5E-3", 1.5e-3)]
    [InlineData("+1.0e+1", 10.0)]
    [InlineData("+1.e+1", 10.0)]
    [InlineData("+1e+1", 10.0)]
    [InlineData("-1.e-1", -0.1)]
    [InlineData("-1e1", -10.0)]
    [InlineData("01.5", 1.5)]
    [InlineData("0.1", 0.1)]
    [InlineData("1.7976931348623157E308", double.MaxValue)]
    [InlineData("4.9E-324", double.Epsilon)]
    [InlineData("1e400", double.PositiveInfinity)]
    public void Floating_point_numbers_read_as_doubles(string text, double expected)
    {
        Reads(expected, text);
    }

    [Fact]
    public void Negative_zero_keeps_its_sign()
    {
        var d = Assert.IsType<double>(EdnReader.Read("-0.0"));
        Assert.True(double.IsNegative(d));
        Assert.Equal(0.0, d);
        Assert.True(double.IsNegative(Assert.IsType<double>(EdnReader.Read("-0."))));
    }

    [Fact]
    public void Symbolic_values_read_as_infinities_and_NaN()
    {
        Reads(double.PositiveInfinity, "##Inf");
        Reads(double.NegativeInfinity, "##-Inf");
        Assert.True(double.IsNaN(Assert.IsType<double>(EdnReader.Read("##NaN"))));
    }

    [Theory]
    [InlineData("##Foo")]
    [InlineData("##5")]
    [InlineData("##inf")]
    [InlineData("##")]
    public void An_unknown_symbolic_value_is_an_error(string text)
    {
        SyntaxError(text, "Unknown symbolic value", 1, 1);
    }

    [Theory]
    [InlineData("1M", "1")]
    [InlineData("+1M", "1")]
    [InlineData("-0M", "0")]
    [InlineData("1.50M", "1.50")]
    [InlineData("-1.5M", "-1.5")]
    [InlineData("1.M", "1")]
    [InlineData("1e1M", "10")]
    [InlineData("+1.0e-1M", "0.10")]
    [InlineData("9223372036854775808M", "9223372036854775808")]
    [InlineData("79228162514264337593543950335M", "79228162514264337593543950335")]
    [InlineData("0.0000000000000000000000000001M", "0.0000000000000000000000000001")]
    public void M_suffixed_numbers_read_as_decimals(string text, string expected)
    {
        Reads(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), text);
    }

    [Fact]
    public void A_decimal_keeps_the_scale_it_was_written_with()
    {
        Assert.Equal("1.50M", EdnPrinter.Print(EdnReader.Read("1.50M")));
    }

    [Theory]
    [InlineData("79228162514264337593543950336M", "out of the range")]
    [InlineData("1e30M", "out of the range")]
    [InlineData("-1e29M", "out of the range")]
    [InlineData("1e-40M", "too small")]
    public void A_decimal_outside_the_range_of_decimal_is_an_error_naming_the_literal(string text, string fragment)
    {
        var e = SyntaxError(text, fragment, 1, 1);
        Assert.Contains(text, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1/2")]
    [InlineData("-1/2")]
    [InlineData("+1/2")]
    [InlineData("22/7")]
    public void Ratios_are_rejected_with_a_clear_error(string text)
    {
        var e = SyntaxError(text, "Ratios", 1, 1);
        Assert.Contains("not supported", e.Message, StringComparison.Ordinal);
        Assert.Contains(text, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("08")]
    [InlineData("09")]
    [InlineData("0xG")]
    [InlineData("0x")]
    [InlineData("1a")]
    [InlineData("1.5.5")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("1.5N")]
    [InlineData("1NN")]
    [InlineData("1MM")]
    [InlineData("1N5")]
    [InlineData("2r102")]
    [InlineData("1r0")]
    [InlineData("2r")]
    [InlineData("-1a")]
    [InlineData("1/")]
    [InlineData("1/a")]
    [InlineData("1:a")]
    [InlineData("1#")]
    [InlineData("1'")]
    public void A_malformed_number_is_an_error_naming_it(string text)
    {
        var e = SyntaxError(text, "Invalid number", 1, 1);
        Assert.Contains($"'{text}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_radix_above_36_is_an_error()
    {
        SyntaxError("37r1", "Radix 37 is out of range", 1, 1);
    }

    [Fact]
    public void Small_longs_are_shared_boxes_but_read_as_the_right_values()
    {
        var v = Assert.IsType<EdnVector>(EdnReader.Read("[-129 -128 0 1023 1024]"));
        Assert.Equal(new object?[] { -129L, -128L, 0L, 1023L, 1024L }, v.ToArray());
    }
}
