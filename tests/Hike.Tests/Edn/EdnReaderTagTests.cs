using Hike.Edn;
using Hike.Index.Datoms;
using static Hike.Tests.Edn.EdnAssert;

namespace Hike.Tests.Edn;

public sealed class EdnReaderTagTests
{
    private static DateTime Utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0, int ms = 0) =>
        new(y, mo, d, h, mi, s, ms, DateTimeKind.Utc);

    private static DateTime ReadInstant(string text)
    {
        var value = Assert.IsType<DateTime>(EdnReader.Read($"#inst \"{text}\""));
        Assert.Equal(DateTimeKind.Utc, value.Kind);
        return value;
    }

    [Theory]
    [InlineData("1985-04-12T23:20:50.52Z", 1985, 4, 12, 23, 20, 50, 520)]
    [InlineData("1985-04-12T23:20:50.520Z", 1985, 4, 12, 23, 20, 50, 520)]
    [InlineData("1996-12-19T16:39:57-08:00", 1996, 12, 20, 0, 39, 57, 0)]
    [InlineData("1990-12-31T23:59:59-00:00", 1990, 12, 31, 23, 59, 59, 0)]
    [InlineData("1990-12-31T15:59:59+08:00", 1990, 12, 31, 7, 59, 59, 0)]
    [InlineData("2020-01-01T00:30:00+01:00", 2019, 12, 31, 23, 30, 0, 0)]
    [InlineData("2010-11-12T03:14:15.123+05:00", 2010, 11, 11, 22, 14, 15, 123)]
    [InlineData("2010-11-12T13:14:15.666-06:00", 2010, 11, 12, 19, 14, 15, 666)]
    [InlineData("2020-01-01T00:00:00.000-00:00", 2020, 1, 1, 0, 0, 0, 0)]
    [InlineData("2020-02-29T12:00:00Z", 2020, 2, 29, 12, 0, 0, 0)]
    [InlineData("0001-01-01T00:00:00Z", 1, 1, 1, 0, 0, 0, 0)]
    [InlineData("9999-12-31T23:59:59.999Z", 9999, 12, 31, 23, 59, 59, 999)]
    public void An_rfc3339_instant_reads_as_a_utc_DateTime(string text, int y, int mo, int d, int h, int mi, int s, int ms)
    {
        Assert.Equal(Utc(y, mo, d, h, mi, s, ms), ReadInstant(text));
    }

    [Theory]
    [InlineData("2020", 2020, 1, 1, 0, 0)]
    [InlineData("2020-03", 2020, 3, 1, 0, 0)]
    [InlineData("2020-01-01", 2020, 1, 1, 0, 0)]
    [InlineData("2020-01-01T10", 2020, 1, 1, 10, 0)]
    [InlineData("2020-01-01T10:00", 2020, 1, 1, 10, 0)]
    [InlineData("2020-01-01T10:05Z", 2020, 1, 1, 10, 5)]
    [InlineData("2020-01-01+01:00", 2019, 12, 31, 23, 0)]
    [InlineData("2020Z", 2020, 1, 1, 0, 0)]
    public void The_partial_instants_clojure_accepts_read_as_utc(string text, int y, int mo, int d, int h, int mi)
    {
        Assert.Equal(Utc(y, mo, d, h, mi), ReadInstant(text));
    }

    [Fact]
    public void An_instant_is_truncated_to_milliseconds_as_in_datahike()
    {
        Assert.Equal(Utc(2010, 11, 12, 13, 14, 15, 123), ReadInstant("2010-11-12T13:14:15.123456789"));
        Assert.Equal(ReadInstant("2010-11-12T13:14:15.123"), ReadInstant("2010-11-12T13:14:15.123456789123"));
        Assert.Equal(Utc(2010, 11, 12, 13, 14, 15, 100), ReadInstant("2010-11-12T13:14:15.1"));
    }

    [Fact]
    public void The_same_instant_written_in_two_offsets_reads_equal()
    {
        Assert.Equal(ReadInstant("2010-11-12T03:14:15.123+05:00"), ReadInstant("2010-11-11T22:14:15.123Z"));
    }

    [Fact]
    public void A_tag_and_its_value_may_be_separated_by_whitespace_comments_and_discards()
    {
        var expected = Utc(2020, 1, 1);
        Assert.Equal(expected, EdnReader.Read("#inst\"2020-01-01\""));
        Assert.Equal(expected, EdnReader.Read("#inst ; c\n #_ \"1999\" \"2020-01-01\""));
    }

    [Theory]
    [InlineData("", "four-digit year")]
    [InlineData("20", "four-digit year")]
    [InlineData("2020-1-01", "two-digit month")]
    [InlineData("2020-13-01", "month 13 is out of range")]
    [InlineData("2020-00", "month 0 is out of range")]
    [InlineData("2020-02-30", "day 30 is out of range")]
    [InlineData("2019-02-29", "day 29 is out of range")]
    [InlineData("2020-01-00", "day 0 is out of range")]
    [InlineData("2020-01-01T24:00", "hour 24 is out of range")]
    [InlineData("2020-01-01T10:60", "minute 60 is out of range")]
    [InlineData("2020-01-01T10:00:60", "second 60 is out of range")]
    [InlineData("2020-01-01T10:00:00.", "digits after the decimal point")]
    [InlineData("2020-01-01 10:00:00", "unexpected ' '")]
    [InlineData("2020-01-01t10:00:00", "unexpected 't'")]
    [InlineData("2020-01-01T10:00:00z", "unexpected 'z'")]
    [InlineData("2020-01-01T10:00:00+0100", "offset as ±hh:mm")]
    [InlineData("2020-01-01T10:00:00+24:00", "offset +24:00 is out of range")]
    [InlineData("2020-01-01T10:00:00Zjunk", "unexpected 'j'")]
    [InlineData("0000-01-01", "year 0000 is out of range")]
    [InlineData("0001-01-01T00:00:00+01:00", "out of range once converted to UTC")]
    [InlineData("9999-12-31T23:59:59-01:00", "out of range once converted to UTC")]
    [InlineData("yesterday", "four-digit year")]
    public void A_malformed_instant_is_an_error_saying_what_is_wrong(string text, string problem)
    {
        var e = SyntaxError($"#inst \"{text}\"", problem, 1, 7);
        Assert.StartsWith($"Invalid #inst \"{text}\"", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("#inst 2020", "#inst expects a string, found 2020")]
    [InlineData("#inst [\"2020\"]", "#inst expects a string")]
    [InlineData("#uuid 1", "#uuid expects a string")]
    [InlineData("#hike/bytes [1 2]", "#hike/bytes expects a string")]
    public void A_tag_applied_to_the_wrong_kind_of_value_is_an_error(string text, string fragment)
    {
        SyntaxError(text, fragment, 1, text.IndexOf(' ', StringComparison.Ordinal) + 2);
    }

    [Theory]
    [InlineData("#inst")]
    [InlineData("#inst ; nothing")]
    [InlineData("#uuid")]
    [InlineData("#hike/floats")]
    public void A_tag_without_a_value_is_an_error(string text)
    {
        var e = SyntaxError(text);
        Assert.StartsWith("EOF while reading the value of #", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("at line 1, column 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_uuid_reads_as_a_Guid()
    {
        Assert.Equal(Guid.Parse("f81d4fae-7dec-11d0-a765-00a0c91e6bf6"), EdnReader.Read("#uuid \"f81d4fae-7dec-11d0-a765-00a0c91e6bf6\""));
        Assert.Equal(Guid.Parse("550e8400-e29b-41d4-a716-446655440000"), EdnReader.Read("#uuid \"550E8400-E29B-41D4-A716-446655440000\""));
        Assert.Equal(Guid.Empty, EdnReader.Read("#uuid \"00000000-0000-0000-0000-000000000000\""));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-uuid")]
    [InlineData("f81d4fae7dec11d0a76500a0c91e6bf6")]
    [InlineData("{f81d4fae-7dec-11d0-a765-00a0c91e6bf6}")]
    [InlineData("f81d4fae-7dec-11d0-a765-00a0c91e6bf")]
    [InlineData("g81d4fae-7dec-11d0-a765-00a0c91e6bf6")]
    public void A_malformed_uuid_is_an_error(string text)
    {
        SyntaxError($"#uuid \"{text}\"", $"Invalid #uuid \"{text}\"", 1, 7);
    }

    [Fact]
    public void Hike_bytes_read_as_a_byte_array()
    {
        Assert.Equal(new byte[] { 0, 1, 2, 254, 255 }, EdnReader.Read("#hike/bytes \"AAEC/v8=\""));
        Assert.Equal(Array.Empty<byte>(), EdnReader.Read("#hike/bytes \"\""));
    }

    [Fact]
    public void Hike_bytes_that_are_not_base64_are_an_error()
    {
        SyntaxError("#hike/bytes \"not base64!\"", "expected base64", 1, 13);
    }

    [Fact]
    public void Hike_floats_read_as_a_float_array()
    {
        var floats = Assert.IsType<float[]>(EdnReader.Read("#hike/floats [1.0 2.5 -3 0.1 1.0E10 ##Inf ##NaN]"));
        Assert.Equal(new[] { 1.0f, 2.5f, -3f, 0.1f, 1e10f, float.PositiveInfinity, float.NaN }, floats);
        Assert.Empty(Assert.IsType<float[]>(EdnReader.Read("#hike/floats []")));
    }

    [Fact]
    public void Hike_doubles_read_as_a_double_array()
    {
        var doubles = Assert.IsType<double[]>(EdnReader.Read("#hike/doubles [1.0, 2.5 -3 0.1 #_ 7 1.5E-5 ##-Inf]"));
        Assert.Equal(new[] { 1.0, 2.5, -3.0, 0.1, 1.5e-5, double.NegativeInfinity }, doubles);
        Assert.Empty(Assert.IsType<double[]>(EdnReader.Read("#hike/doubles [ ]")));
    }

    [Fact]
    public void Float_literals_are_parsed_straight_to_float()
    {
        // 1.00000005960464477539062500001 lies just above the midpoint between two floats; going through
        // double first would round it down to the midpoint and then to the even float, 1.0.
        var floats = Assert.IsType<float[]>(EdnReader.Read("#hike/floats [1.00000005960464477539062500001]"));
        Assert.Equal(BitConverter.Int32BitsToSingle(0x3F800001), floats[0]);
    }

    [Theory]
    [InlineData("#hike/floats (1.0)", "expects a vector of numbers", 14)]
    [InlineData("#hike/floats [1.0 :a]", "expects a vector of numbers, found :a", 19)]
    [InlineData("#hike/doubles [\"1\"]", "expects a vector of numbers, found \"1\"", 16)]
    [InlineData("#hike/doubles [- 1]", "expects a vector of numbers, found '-'", 16)]
    [InlineData("#hike/doubles [1x]", "Invalid number '1x'", 16)]
    [InlineData("#hike/doubles [1 2", "EOF while reading vector started at line 1, column 15", 15)]
    [InlineData("#hike/doubles [1 2)", "Unexpected ')'", 19)]
    public void A_malformed_number_array_is_an_error(string text, string fragment, int column)
    {
        SyntaxError(text, fragment, 1, column);
    }

    [Fact]
    public void A_datahike_datom_reads_as_its_five_parts_and_prints_back_as_datahike_prints_it()
    {
        // Datahike's data_readers.clj: #datahike/Datom is datom-from-reader, (apply datom [e a v tx added]);
        // datom.cljc's print-method writes "#datahike/Datom " then the vector.
        const string text = "#datahike/Datom [1 :name \"Ivan\" 536870913 true]";
        var read = EdnReader.Read(text);
        Assert.IsType<EdnVector>(read);
        ValueEqual(EdnVector.Create(1L, Keyword.Intern("name"), "Ivan", 536870913L, true), read);
        var datom = new Hike.Api.Datom(1, Keyword.Intern("name"), "Ivan", 536870913, true);
        Assert.Equal(text, datom.ToString());
        Assert.Equal(text, EdnPrinter.Print(datom));
        Assert.Equal("(#datahike/Datom [2 :tags #{:a} 536870914 false])", EdnPrinter.Print(EdnList.From([new Hike.Api.Datom(2, Keyword.Intern("tags"), EdnSet.Create([Keyword.Intern("a")]), 536870914, false)])));
        Assert.Equal("#datahike/Datom [3 17 \"x\" 536870915 true]", new IndexDatom(3, 17, "x", 536870915, true).ToString());
    }

    [Theory]
    [InlineData("#datahike/Datom [1 :name \"Ivan\" 536870913]", 17)]
    [InlineData("#datahike/Datom (1 :name \"Ivan\" 536870913 true)", 17)]
    [InlineData("#datahike/Datom {:e 1}", 17)]
    public void A_datahike_datom_must_be_a_vector_of_five(string text, int column)
    {
        SyntaxError(text, "#datahike/Datom expects a vector [e a v tx added]", 1, column);
    }

    [Theory]
    [InlineData("#foo/bar x", "#foo/bar")]
    [InlineData("#foo x", "#foo")]
    [InlineData("#myapp.Person {:name \"x\"}", "#myapp.Person")]
    [InlineData("#never.heard.of/some-tag [1 2]", "#never.heard.of/some-tag")]
    [InlineData("#js {:x 1}", "#js")]
    [InlineData("#hike/other 1", "#hike/other")]
    [InlineData("#Inst \"2020\"", "#Inst")]
    public void An_unknown_tag_is_an_error_saying_custom_tags_are_not_supported(string text, string tag)
    {
        var e = SyntaxError(text, $"Unknown tag {tag}", 1, 1);
        Assert.Contains("custom tags are not supported", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_tag_inside_a_collection_is_reported_where_it_is()
    {
        SyntaxError("{:a 1\n :b #foo/bar 2}", "Unknown tag #foo/bar", 2, 5);
    }

    [Theory]
    [InlineData("#\"regex\"", "Regular expressions")]
    [InlineData("#(inc %)", "Anonymous function literals")]
    [InlineData("#'var", "Var quote")]
    [InlineData("#=(+ 1 2)", "Read-time evaluation")]
    [InlineData("#?(:clj 1)", "Reader conditionals")]
    [InlineData("#?@(:clj [1])", "Reader conditionals")]
    [InlineData("#^{:a 1} x", "Metadata")]
    [InlineData("#<Object>", "Unreadable form")]
    [InlineData("#!shebang", "Unsupported dispatch '#!'")]
    [InlineData("#1", "Unsupported dispatch '#1'")]
    [InlineData("#", "EOF after '#'")]
    [InlineData("# inst", "must follow '#'")]
    [InlineData("'a", "Quote (')")]
    [InlineData("'[:find ?e]", "Quote (')")]
    [InlineData("`a", "Syntax quote (`)")]
    [InlineData("~a", "Unquote (~)")]
    [InlineData("~@a", "Unquote (~)")]
    [InlineData("@a", "Deref (@)")]
    [InlineData("^:meta x", "Metadata (^)")]
    [InlineData("^{:a 1} x", "Metadata (^)")]
    public void Clojure_only_syntax_is_an_error_naming_the_construct(string text, string construct)
    {
        var e = SyntaxError(text, construct, 1, 1);
        Assert.EndsWith("(line 1, column 1)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Clojure_only_syntax_inside_a_form_is_reported_where_it_is()
    {
        SyntaxError("[:find ?e\n :where [?e :a 'x]]", "Quote (')", 2, 16);
        SyntaxError("(a b@c)", "Deref (@)", 1, 5);
    }

    [Fact]
    public void A_caller_may_read_its_own_tags_and_a_tag_neither_knows_stays_an_error()
    {
        object? Read(string tag, object? value) => tag == "datahike/DB" ? EdnVector.Create("db", value) : null;

        Assert.Equal(EdnVector.Create(EdnVector.Create("db", EdnMap.Of(Keyword.Intern("max-tx"), 1L)), 2L), EdnReader.Read("[#datahike/DB {:max-tx 1} 2]", Read));
        Assert.Equal(Guid.Parse("00000000-0000-0000-0000-000000000001"), EdnReader.Read("#uuid \"00000000-0000-0000-0000-000000000001\"", Read));
        var e = Assert.Throws<EdnSyntaxException>(() => EdnReader.Read("#nosuch/tag 1", Read));
        Assert.Contains("Unknown tag #nosuch/tag", e.Message, StringComparison.Ordinal);
    }
}
