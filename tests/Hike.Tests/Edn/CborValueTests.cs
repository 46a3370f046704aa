using System.Numerics;
using Hike.Edn;

namespace Hike.Tests.Edn;

/// <summary>
/// CBOR as Datahike writes it: the byte vectors are datahike's test/datahike/test/migrate_codec_test.clj
/// (pinned octets of its codec, boring) and bytes of its released legacy dump format.
/// </summary>
public sealed class CborValueTests
{
    private static object? Read(string hex) => CborValueReader.Read(Convert.FromHexString(hex));

    private static string Hex(object? value) => Convert.ToHexStringLower(CborValueWriter.Write(value));

    [Fact]
    public void Datahikes_pinned_codec_bytes_read_as_the_values_they_pin()
    {
        // migrate_codec_test.clj, float-width-is-preserved-test and standard-tags-are-used-test.
        Assert.Equal(1.5, Assert.IsType<double>(Read("fb3ff8000000000000")));
        Assert.Equal(1.5f, Assert.IsType<float>(Read("fa3fc00000")));
        Assert.Equal(BigInteger.Parse("123456789012345678901234567890"), Read("c24d018ee90ff6c373e0ee4e3f0ad2"));
        var scaled = Assert.IsType<decimal>(Read("c482211896"));
        Assert.Equal("1.50", scaled.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("1.5", Assert.IsType<decimal>(Read("c482200f")).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), Read("c074323032362d30312d30315430303a30303a30305a"));
        Assert.Equal(Guid.Parse("00000000-0000-0000-0000-000000000001"), Read("d8255000000000000000000000000000000001"));
        Assert.Equal(new byte[] { 0, 1, 127, 255 }, Read("4400017fff"));
        Assert.Equal(42L, Read("182a"));
    }

    [Fact]
    public void Hike_writes_the_bytes_Datahike_pins()
    {
        Assert.Equal("fb3ff8000000000000", Hex(1.5));
        Assert.Equal("fb4000000000000000", Hex(2.0));
        Assert.Equal("fa3fc00000", Hex(1.5f));
        Assert.Equal("c24d018ee90ff6c373e0ee4e3f0ad2", Hex(BigInteger.Parse("123456789012345678901234567890")));
        Assert.Equal("c482211896", Hex(1.50m));
        Assert.Equal("c482200f", Hex(1.5m));
        Assert.Equal("c074323032362d30312d30315430303a30303a30305a", Hex(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Equal("d8255000000000000000000000000000000001", Hex(Guid.Parse("00000000-0000-0000-0000-000000000001")));
        Assert.Equal("4400017fff", Hex(new byte[] { 0, 1, 127, 255 }));
        Assert.Equal("182a", Hex(42L));
    }

    [Fact]
    public void Keywords_and_symbols_are_tag_39_told_apart_by_the_leading_colon()
    {
        // d827 6f ":db/cardinality", as the legacy dump (test/datahike/test/fixtures/legacy-dump-0.7.cbor) holds it.
        Assert.Equal(Keyword.Intern("db/cardinality"), Read("d8276f3a64622f63617264696e616c697479"));
        Assert.Equal(Symbol.Intern("foo/bar"), Read("d82767666f6f2f626172"));
        Assert.Equal("d8276f3a64622f63617264696e616c697479", Hex(Keyword.Intern("db/cardinality")));
        Assert.Equal("d82767666f6f2f626172", Hex(Symbol.Intern("foo/bar")));
    }

    [Fact]
    public void An_old_dumps_epoch_instant_reads_to_the_millisecond()
    {
        // c1 fb 41da9f1262ae978d: the first :db/txInstant of legacy-dump-0.7.cbor, epoch seconds as a double.
        Assert.Equal(new DateTime(2026, 8, 12, 10, 23, 6, 728, DateTimeKind.Utc), Read("c1fb41da9f1262ae978d"));
        Assert.Equal(new DateTime(1970, 1, 1, 0, 16, 40, DateTimeKind.Utc), Read("c11903e8"));
    }

    [Fact]
    public void Sets_typed_arrays_datoms_and_system_references_read_as_Hike_values()
    {
        Assert.Equal(EdnSet.Of(1L, 2L), Read("d9010282" + "0102"));
        Assert.Equal(new[] { 1.5f, -2f }, Read("d855" + "48" + "0000c03f000000c0"));
        Assert.Equal(new[] { 1.5 }, Read("d856" + "48" + "000000000000f83f"));
        // 27(["datahike.datom/Datom", [1, :name, "a", 536870913, true]]) as datahike/cbor.cljc frames a datom.
        var datom = "d81b82" + "74" + Convert.ToHexStringLower("datahike.datom/Datom"u8) + "85" + "01" + "d827653a6e616d65" + "6161" + "1a20000001" + "f5";
        Assert.Equal(EdnVector.Create(1L, Keyword.Intern("name"), "a", 536870913L, true), Read(datom));
        // 27(["datahike.migrate.cbor.SysRef", {:ident :db.type/string}]): a dump's reference to a system entity is its ident.
        var sysref = "d81b82" + "78" + "1c" + Convert.ToHexStringLower("datahike.migrate.cbor.SysRef"u8) + "a1" + "d827663a6964656e74" + "d827" + "6f" + Convert.ToHexStringLower(":db.type/string"u8);
        Assert.Equal(Keyword.Intern("db.type/string"), Read(sysref));
    }

    [Fact]
    public void Every_value_type_round_trips_through_the_writer_and_reader()
    {
        var value = EdnMap.Of(
            Keyword.Intern("s"), "text", Keyword.Intern("l"), -5L, Keyword.Intern("d"), 0.0, Keyword.Intern("f"), 0f,
            Keyword.Intern("bi"), new BigInteger(7), Keyword.Intern("nbi"), BigInteger.Parse("-98765432109876543210"),
            Keyword.Intern("bd"), -12.340m, Keyword.Intern("b"), false, Keyword.Intern("k"), Keyword.Intern("a/b"),
            Keyword.Intern("sym"), Symbol.Intern("x"), Keyword.Intern("u"), Guid.Parse("11111111-2222-3333-4444-555555555555"),
            Keyword.Intern("i"), new DateTime(2020, 5, 6, 7, 8, 9, 120, DateTimeKind.Utc), Keyword.Intern("bytes"), new byte[] { 9 },
            Keyword.Intern("tuple"), EdnVector.Create(1L, null, "x"), Keyword.Intern("set"), EdnSet.Of(Keyword.Intern("a")), Keyword.Intern("nil"), null);
        var back = CborValueReader.Read(CborValueWriter.Write(value));
        var map = Assert.IsType<EdnMap>(back);
        foreach (var (key, expected) in value.Entries) Assert.True(ValueEquality.Instance.Equals(expected, map[key!]), $"{key}: {EdnPrinter.Print(expected)} came back as {EdnPrinter.Print(map[key!])}");
        Assert.Equal(value, back);
        Assert.IsType<BigInteger>(map[Keyword.Intern("bi")]);
        Assert.IsType<float>(map[Keyword.Intern("f")]);
        Assert.Equal(3, ((decimal)map[Keyword.Intern("bd")]!).Scale);
    }

    [Theory]
    [InlineData("c482211896", 2, "truncated data item")]
    [InlineData("d8ff01", 3, "unsupported tag 255")]
    [InlineData("", 0, "no CBOR data item")]
    [InlineData("0101", 2, "1 byte(s) after the data item at byte 1")]
    public void Malformed_or_truncated_bytes_are_cbor_invalid_errors(string hex, int length, string message)
    {
        var bytes = Convert.FromHexString(hex)[..length];
        var e = Assert.Throws<HikeException>(() => CborValueReader.Read(bytes));
        Assert.Equal(ErrorCodes.CborInvalid, e.Code);
        Assert.True(e.Message.Contains(message, StringComparison.Ordinal), e.Message);
    }

    [Fact]
    public void A_value_with_no_CBOR_form_is_a_cbor_invalid_error()
    {
        var e = Assert.Throws<HikeException>(() => CborValueWriter.Write(new object()));
        Assert.Equal(ErrorCodes.CborInvalid, e.Code);
    }
}
