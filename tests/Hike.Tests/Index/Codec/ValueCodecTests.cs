using System.Collections;
using System.Globalization;
using System.Numerics;
using Hike.Edn;
using Hike.Index.Codec;
using Hike.Testing;
using Hike.Tests.Edn;
using Xunit.Abstractions;

namespace Hike.Tests.Index.Codec;

public sealed class ValueCodecTests(ITestOutputHelper output)
{
    private const string Key = "test/values.bin";

    public static TheoryData<string, object?> Values() => new()
    {
        { "nil", null },
        { "true", true },
        { "false", false },
        { "zero", 0L },
        { "minus one", -1L },
        { "long max", long.MaxValue },
        { "long min", long.MinValue },
        { "int min", int.MinValue },
        { "int max", int.MaxValue },
        { "short", (short)-12345 },
        { "sbyte", (sbyte)-128 },
        { "byte", (byte)255 },
        { "ushort", ushort.MaxValue },
        { "uint", uint.MaxValue },
        { "ulong", ulong.MaxValue },
        { "big integer zero", BigInteger.Zero },
        { "huge big integer", BigInteger.Pow(2, 4000) + 1 },
        { "huge negative big integer", -BigInteger.Pow(10, 300) },
        { "double", 1.5 },
        { "double NaN", double.NaN },
        { "double negative zero", -0.0 },
        { "double infinity", double.PositiveInfinity },
        { "double negative infinity", double.NegativeInfinity },
        { "double epsilon", double.Epsilon },
        { "double max", double.MaxValue },
        { "float", 0.1f },
        { "float NaN", float.NaN },
        { "float negative zero", -0.0f },
        { "float infinity", float.NegativeInfinity },
        { "decimal with trailing zero", 1.10m },
        { "decimal max", decimal.MaxValue },
        { "decimal min", decimal.MinValue },
        { "decimal negative zero with scale", new decimal(0, 0, 0, isNegative: true, scale: 3) },
        { "decimal smallest step", 0.0000000000000000000000000001m },
        { "char", 'λ' },
        { "char zero", '\0' },
        { "char max", '\uffff' },
        { "empty string", "" },
        { "ascii string", "Ivan" },
        { "non-ASCII string", "日本語 Ĉu 😀 é" },
        { "string with a lone surrogate", "a\ud800b\udfff" },
        { "string with nul", "a\0b" },
        { "keyword", Keyword.Intern("name") },
        { "namespaced keyword", Keyword.Intern("db.type/keyword") },
        { "keyword whose name starts with a colon", Keyword.Intern("::odd") },
        { "keyword with slashes in its name", Keyword.Intern("a/b/c") },
        { "symbol", Symbol.Intern("?e") },
        { "namespaced symbol", Symbol.Intern("clojure.string/join") },
        { "slash symbol", Symbol.Intern("/") },
        { "instant", new DateTime(2024, 2, 29, 12, 34, 56, 789, DateTimeKind.Utc) },
        { "instant min", DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc) },
        { "instant max", DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc) },
        { "instant with offset", new DateTimeOffset(2024, 1, 1, 9, 30, 0, TimeSpan.FromHours(-5.5)) },
        { "instant with largest offset", new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.FromHours(14)) },
        { "uuid", Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff") },
        { "empty uuid", Guid.Empty },
        { "bytes", new byte[] { 0, 1, 127, 128, 255 } },
        { "empty bytes", Array.Empty<byte>() },
        { "floats", new[] { 1.5f, float.NaN, -0.0f, float.MaxValue } },
        { "empty floats", Array.Empty<float>() },
        { "doubles", new[] { 1.5, double.NaN, -0.0, double.NegativeInfinity } },
        { "empty doubles", Array.Empty<double>() },
        { "empty vector", EdnVector.Empty },
        { "tuple", EdnVector.Create(1L, "a", null, Keyword.Intern("k")) },
        { "nested vectors", EdnVector.Create(EdnVector.Create(EdnVector.Create(1L), EdnVector.Empty), EdnList.Create(2.5)) },
        { "empty list", EdnList.Empty },
        { "list", EdnList.Create(Symbol.Intern("inc"), 1L) },
        { "object array", new object?[] { 1L, null, "x" } },
        { "empty object array", Array.Empty<object?>() },
        { "clr list", new List<object?> { 1, "two", null } },
        { "empty map", EdnMap.Empty },
        { "map with nil key", EdnMap.Of(null, 1L, Keyword.Intern("a"), EdnMap.Of("inner", EdnSet.Of(1L, 2L))) },
        { "large map", EdnMap.Create(Enumerable.Range(0, 40).Select(i => new KeyValuePair<object?, object?>((long)i, i.ToString(CultureInfo.InvariantCulture)))) },
        { "empty set", EdnSet.Empty },
        { "set", EdnSet.Of(1L, "a", null, EdnVector.Create(1L, 2L)) },
        { "string dictionary", new Dictionary<string, object?> { ["a"] = 1L, ["b"] = null, ["日"] = EdnVector.Empty } },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Every_kind_of_value_round_trips_to_an_equal_value_of_the_same_type(string name, object? value)
    {
        var back = RoundTrip(value);
        AssertIdentical(value, back);
        Assert.False(string.IsNullOrEmpty(name));
    }

    [Fact]
    public void A_decimal_keeps_its_scale()
    {
        var back = RoundTrip(1.10m);
        Assert.Equal("1.10", ((decimal)back!).ToString(CultureInfo.InvariantCulture));
        Assert.Equal("-12.500", ((decimal)RoundTrip(-12.500m)!).ToString(CultureInfo.InvariantCulture));
        Assert.Equal(decimal.GetBits(new decimal(0, 0, 0, isNegative: true, scale: 3)), decimal.GetBits((decimal)RoundTrip(new decimal(0, 0, 0, isNegative: true, scale: 3))!));
    }

    [Fact]
    public void Decoded_keywords_and_symbols_are_the_interned_instances()
    {
        Assert.Same(Keyword.Intern("person/name"), RoundTrip(Keyword.Intern("person/name")));
        Assert.Same(Keyword.Intern("solo"), RoundTrip(Keyword.Intern("solo")));
        Assert.Same(Symbol.Intern("my.ns/f"), RoundTrip(Symbol.Intern("my.ns/f")));
        var odd = Keyword.Intern("::odd");
        Assert.Equal(":odd", odd.FullName);
        Assert.Same(odd, RoundTrip(odd));
    }

    [Fact]
    public void Negative_zero_and_NaN_keep_their_bits()
    {
        var nan = BitConverter.Int64BitsToDouble(0x7ff8_0000_dead_beef);
        Assert.Equal(0x7ff8_0000_dead_beefL, BitConverter.DoubleToInt64Bits((double)RoundTrip(nan)!));
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits((double)RoundTrip(-0.0)!));
        Assert.Equal(BitConverter.SingleToInt32Bits(-0.0f), BitConverter.SingleToInt32Bits((float)RoundTrip(-0.0f)!));
    }

    [Fact]
    public void Instants_come_back_in_UTC_whatever_their_kind()
    {
        var utc = new DateTime(2023, 5, 6, 7, 8, 9, DateTimeKind.Utc);
        var unspecified = DateTime.SpecifyKind(utc, DateTimeKind.Unspecified);
        var back = (DateTime)RoundTrip(unspecified)!;
        Assert.Equal(DateTimeKind.Utc, back.Kind);
        Assert.Equal(utc.Ticks, back.Ticks);
        var local = utc.ToLocalTime();
        var fromLocal = (DateTime)RoundTrip(local)!;
        Assert.Equal(DateTimeKind.Utc, fromLocal.Kind);
        Assert.Equal(utc, fromLocal);
        var maxBack = (DateTime)RoundTrip(DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc))!;
        Assert.Equal(DateTime.MaxValue.Ticks, maxBack.Ticks);
    }

    [Fact]
    public void Small_values_encode_in_a_few_bytes()
    {
        Assert.Equal(new byte[] { 3, 0 }, ValueCodec.Encode(0L));
        Assert.Equal(new byte[] { 3, 1 }, ValueCodec.Encode(-1L));
        Assert.Equal(new byte[] { 3, 0x80, 0x01 }, ValueCodec.Encode(64L));
        Assert.Equal(11, ValueCodec.Encode(long.MinValue).Length);
        Assert.Equal(new byte[] { 16, 4, (byte)'a', (byte)'b' }, ValueCodec.Encode("ab"));
        Assert.Equal(new byte[] { 0 }, ValueCodec.Encode(null));
    }

    [Fact]
    public void Encoding_an_unsupported_type_names_the_type()
    {
        var e = Assert.Throws<HikeException>(() => ValueCodec.Encode(new Uri("http://example.org")));
        Assert.Contains("System.Uri", e.Message, StringComparison.Ordinal);
        var inVector = Assert.Throws<HikeException>(() => ValueCodec.Encode(EdnVector.Create(1L, new string[] { "a" })));
        Assert.Contains("System.String[]", inVector.Message, StringComparison.Ordinal);
        var set = Assert.Throws<HikeException>(() => ValueCodec.Encode(new HashSet<object>()));
        Assert.Contains("HashSet", set.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_nested_deeper_than_the_limit_are_refused_on_write_and_on_read()
    {
        object? atLimit = 1L;
        for (int i = 0; i < ValueCodec.MaxDepth; i++) atLimit = EdnVector.Create(atLimit);
        AssertIdentical(atLimit, RoundTrip(atLimit));

        var tooDeep = EdnVector.Create(atLimit);
        var write = Assert.Throws<HikeException>(() => ValueCodec.Encode(tooDeep));
        Assert.Contains($"{ValueCodec.MaxDepth}", write.Message, StringComparison.Ordinal);

        // Hand-made: vectors of one element nested past the limit, as corrupt input could hold.
        var bytes = new List<byte>();
        for (int i = 0; i <= ValueCodec.MaxDepth; i++) bytes.AddRange(new byte[] { 25, 1 });
        bytes.AddRange(new byte[] { 3, 2 });
        var read = Assert.Throws<CorruptionException>(() => ValueCodec.Decode(bytes.ToArray(), Key));
        Assert.Contains("nested", read.Message, StringComparison.Ordinal);
        Assert.Equal(Key, read.Key);
    }

    [Fact]
    public void A_corrupt_length_is_refused_before_anything_is_allocated()
    {
        // A vector claiming 2^62 items, a string of 2^40 bytes, a byte array of 2^31 bytes.
        byte[][] inputs =
        [
            [25, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40, 3, 0],
            [16, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40, (byte)'a'],
            [22, 0x80, 0x80, 0x80, 0x80, 0x08, 1, 2, 3],
            [23, 0xff, 0xff, 0xff, 0xff, 0x07, 1, 2, 3, 4],
        ];
        foreach (var input in inputs)
        {
            var e = Assert.Throws<CorruptionException>(() => ValueCodec.Decode(input, Key));
            Assert.Equal(Key, e.Key);
        }
    }

    [Fact]
    public void Malformed_encodings_are_reported_as_corruption_naming_the_key()
    {
        (byte[] Bytes, string Fragment)[] cases =
        [
            ([], "truncated"),
            ([200], "unknown value tag 200"),
            ([3, 0x80], "truncated"),
            ([3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02], "overflows 64 bits"),
            ([4, 0xfe, 0xff, 0xff, 0xff, 0x7f], "out of range for int"),
            ([15, 0x80, 0x80, 0x04], "out of range for char"),
            ([14, 29, 1, 0], "scale 29"),
            ([16, 2, 0xff], "not valid UTF-8"),
            ([17, 0], "empty name"),
            ([19, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], "ticks"),
            ([29, 2, 3, 2, 3, 2], "twice"),
            ([30, 2, 3, 2, 0, 3, 2, 1], "twice"),
            ([31, 1, 3, 2, 0], "not a string"),
            ([3, 2, 0], "trailing"),
        ];
        foreach (var (bytes, fragment) in cases)
        {
            var e = Assert.Throws<CorruptionException>(() => ValueCodec.Decode(bytes, Key));
            Assert.Equal(Key, e.Key);
            Assert.Equal("storage/corrupt", e.Code);
            Assert.Contains(Key, e.Message, StringComparison.Ordinal);
            Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_truncation_of_an_encoded_value_is_reported_as_corruption()
    {
        var value = EdnMap.Of(
            Keyword.Intern("a/b"), EdnVector.Create(1L, 2.5, "日本", new byte[] { 1, 2 }, BigInteger.Pow(3, 50)),
            "set", EdnSet.Of(Guid.NewGuid(), 1.5m, 'c'));
        var bytes = ValueCodec.Encode(value);
        for (int n = 0; n < bytes.Length; n++)
        {
            var e = Assert.Throws<CorruptionException>(() => ValueCodec.Decode(bytes.AsSpan(0, n), Key));
            Assert.Equal(Key, e.Key);
        }
        AssertIdentical(value, ValueCodec.Decode(bytes, Key));
    }

    [Fact]
    public void Varints_round_trip_at_every_width()
    {
        ulong[] unsigned = [0, 1, 127, 128, 16383, 16384, uint.MaxValue, (1UL << 63) - 1, 1UL << 63, ulong.MaxValue];
        long[] signed = [0, -1, 1, -64, 63, -65, 64, int.MinValue, long.MaxValue, long.MinValue];
        using var sink = new ByteSink(1);
        foreach (var u in unsigned) sink.WriteVarUInt64(u);
        foreach (var s in signed) sink.WriteVarInt64(s);
        sink.WriteFixed32(0xdeadbeef);
        sink.WriteFixed64(0x0123456789abcdef);
        var source = new ByteSource(sink.WrittenSpan);
        foreach (var u in unsigned) Assert.Equal(u, source.ReadVarUInt64());
        foreach (var s in signed) Assert.Equal(s, source.ReadVarInt64());
        Assert.Equal(0xdeadbeefu, source.ReadFixed32());
        Assert.Equal(0x0123456789abcdefUL, source.ReadFixed64());
        Assert.True(source.IsEnd);
        Assert.Throws<MalformedDataException>(() => new ByteSource([]).ReadByte());
        Assert.Throws<MalformedDataException>(() => new ByteSource([1, 2]).ReadFixed32());
        Assert.Throws<MalformedDataException>(() => new ByteSource([5]).ReadCount(1));
    }

    [Fact]
    public void Random_values_round_trip()
    {
        var random = new Random(TestSeed.Next(output.WriteLine));
        int collections = 0;
        for (int i = 0; i < 3000; i++)
        {
            var value = RandomValues.Value(random, random.Next(4));
            if (value is IEnumerable and not string) collections++;
            var back = RoundTrip(value);
            AssertIdentical(value, back);
        }
        Assert.True(collections > 100, $"only {collections} collections generated");
    }

    [Fact]
    public void Random_bytes_decode_to_a_value_or_fail_as_corruption_only()
    {
        var random = new Random(TestSeed.Next(output.WriteLine));
        var sample = ValueCodec.Encode(EdnVector.Create(
            EdnMap.Of(Keyword.Intern("k"), "v", 1L, EdnSet.Of(2.5, 'x')), new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero),
            new float[] { 1, 2 }, 12.5m, BigInteger.MinusOne, new Dictionary<string, object?> { ["x"] = null }));
        int decoded = 0, corrupt = 0;
        for (int i = 0; i < 20000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = (byte[])sample.Clone();
                for (int flips = random.Next(1, 4); flips > 0; flips--) input[random.Next(input.Length)] ^= (byte)(1 << random.Next(8));
            }
            else
            {
                input = new byte[random.Next(0, 24)];
                random.NextBytes(input);
                if (input.Length > 0) input[0] %= 32;
            }
            try
            {
                ValueCodec.Decode(input, Key);
                decoded++;
            }
            catch (CorruptionException e)
            {
                Assert.Equal(Key, e.Key);
                corrupt++;
            }
        }
        Assert.Equal(20000, decoded + corrupt);
        Assert.True(corrupt > 0 && decoded > 0, $"{decoded} decoded, {corrupt} corrupt");
    }

    private static object? RoundTrip(object? value)
    {
        using var sink = new ByteSink(4);
        ValueCodec.Write(sink, value);
        sink.WriteByte(0xA5);
        var source = new ByteSource(sink.WrittenSpan);
        var back = ValueCodec.Read(ref source);
        Assert.Equal(0xA5, source.ReadByte());
        Assert.True(source.IsEnd);
        return back;
    }

    /// <summary>
    /// The decoded value equals the original under <see cref="ValueEquality"/>, hashes the same, and
    /// is of the same CLR type all the way down, with the bits equality ignores (the sign of zero, a
    /// decimal's scale, NaN payloads, instant kind and offset, element order) preserved too.
    /// </summary>
    internal static void AssertIdentical(object? expected, object? actual)
    {
        EdnAssert.ValueEqual(expected, actual);
        Assert.Equal(ValueEquality.Instance.GetHashCode(expected), ValueEquality.Instance.GetHashCode(actual));
        if (expected is null)
        {
            Assert.Null(actual);
            return;
        }
        Assert.NotNull(actual);
        Assert.Equal(expected.GetType(), actual.GetType());
        switch (expected)
        {
            case double d:
                Assert.Equal(BitConverter.DoubleToInt64Bits(d), BitConverter.DoubleToInt64Bits((double)actual));
                break;
            case float f:
                Assert.Equal(BitConverter.SingleToInt32Bits(f), BitConverter.SingleToInt32Bits((float)actual));
                break;
            case decimal m:
                Assert.Equal(decimal.GetBits(m), decimal.GetBits((decimal)actual));
                break;
            case DateTime dt:
                Assert.Equal(DateTimeKind.Utc, ((DateTime)actual).Kind);
                Assert.Equal(Instants.ToUtc(dt).Ticks, ((DateTime)actual).Ticks);
                break;
            case DateTimeOffset dto:
                Assert.Equal(dto.UtcTicks, ((DateTimeOffset)actual).UtcTicks);
                Assert.Equal(dto.Offset, ((DateTimeOffset)actual).Offset);
                break;
            case EdnName:
                Assert.Same(expected, actual);
                break;
            case string s:
                Assert.Equal(s, (string)actual);
                break;
            case float[] fs:
                Assert.Equal(fs.Select(BitConverter.SingleToInt32Bits), ((float[])actual).Select(BitConverter.SingleToInt32Bits));
                break;
            case double[] ds:
                Assert.Equal(ds.Select(BitConverter.DoubleToInt64Bits), ((double[])actual).Select(BitConverter.DoubleToInt64Bits));
                break;
            case EdnMap map:
            {
                var other = ((EdnMap)actual).Entries;
                Assert.Equal(map.Count, other.Length);
                for (int i = 0; i < other.Length; i++)
                {
                    AssertIdentical(map.Entries[i].Key, other[i].Key);
                    AssertIdentical(map.Entries[i].Value, other[i].Value);
                }
                break;
            }
            case Dictionary<string, object?> dictionary:
            {
                var other = (Dictionary<string, object?>)actual;
                Assert.Equal(dictionary.Keys, other.Keys);
                foreach (var (k, v) in dictionary) AssertIdentical(v, other[k]);
                break;
            }
            case IEnumerable items and not byte[]:
            {
                var a = items.Cast<object?>().ToList();
                var b = ((IEnumerable)actual).Cast<object?>().ToList();
                Assert.Equal(a.Count, b.Count);
                for (int i = 0; i < a.Count; i++) AssertIdentical(a[i], b[i]);
                break;
            }
        }
    }
}
