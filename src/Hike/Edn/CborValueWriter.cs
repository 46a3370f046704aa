using System.Buffers.Binary;
using System.Collections;
using System.Formats.Cbor;
using System.Globalization;
using System.Numerics;

namespace Hike.Edn;

/// <summary>
/// Writes Hike's values as CBOR with the tags Datahike's codec (boring) writes and reads, so Datahike
/// (and <see cref="CborValueReader"/>) reads them back as the same values: keywords and symbols as
/// tag 39 (<c>":ns/name"</c>, <c>"ns/name"</c>), instants as tag 0 (RFC 3339 text, milliseconds when
/// not whole seconds), uuids as tag 37, big integers always as tags 2/3 (so they stay big integers),
/// decimals as tag 4 with their scale, sets as tag 258, float and double arrays as RFC 8746
/// little-endian typed arrays (tags 85 and 86), doubles as f64 and floats as f32 whatever their value
/// (boring's <c>:preserve-width</c>), datoms as Datahike's tag-27 frame. No string references and no
/// shaped arrays (boring's <c>:interop</c> profile, which dthk's <c>-f cbor</c> uses). Stateless and
/// thread-safe.
/// </summary>
public static class CborValueWriter
{
    /// <summary>A datom's tag-27 type name (datahike/cbor.cljc, <c>datom-name</c>).</summary>
    internal const string DatomFrame = "datahike.datom/Datom";

    /// <summary>The deepest nesting written.</summary>
    private const int MaxDepth = 512;

    /// <summary>
    /// <paramref name="value"/> as one CBOR data item. A value CBOR cannot carry (a function, an
    /// object of an unknown type) is a <c>cbor/invalid</c> <see cref="HikeException"/>. O(size of the value).
    /// </summary>
    public static byte[] Write(object? value)
    {
        var writer = new CborWriter(CborConformanceMode.Lax, convertIndefiniteLengthEncodings: false, allowMultipleRootLevelValues: false);
        WriteValue(writer, value, 0);
        return writer.Encode();
    }

    private static void WriteValue(CborWriter writer, object? value, int depth)
    {
        if (depth > MaxDepth) throw Errors.CborInvalid($"value nested deeper than {MaxDepth} levels");
        switch (value)
        {
            case null:
                writer.WriteNull();
                return;
            case ICborFrame frame:
                writer.WriteTag((CborTag)27);
                writer.WriteStartArray(2);
                writer.WriteTextString(frame.CborTypeName);
                WriteValue(writer, frame.CborArgument, depth + 1);
                writer.WriteEndArray();
                return;
            case bool b:
                writer.WriteBoolean(b);
                return;
            case long l:
                writer.WriteInt64(l);
                return;
            case int i:
                writer.WriteInt64(i);
                return;
            case short s:
                writer.WriteInt64(s);
                return;
            case byte u8:
                writer.WriteInt64(u8);
                return;
            case string text:
                writer.WriteTextString(text);
                return;
            case Keyword k:
                writer.WriteTag((CborTag)39);
                writer.WriteTextString(":" + k.FullName);
                return;
            case Symbol sym:
                writer.WriteTag((CborTag)39);
                writer.WriteTextString(sym.FullName);
                return;
            case double d:
            {
                // Always f64, and a float always f32: CborWriter would narrow them to the shortest width, which reads back as another type (datahike #633).
                Span<byte> encoded = stackalloc byte[9];
                encoded[0] = 0xFB;
                BinaryPrimitives.WriteDoubleBigEndian(encoded[1..], d);
                writer.WriteEncodedValue(encoded);
                return;
            }
            case float f:
            {
                Span<byte> encoded = stackalloc byte[5];
                encoded[0] = 0xFA;
                BinaryPrimitives.WriteSingleBigEndian(encoded[1..], f);
                writer.WriteEncodedValue(encoded);
                return;
            }
            case BigInteger big:
                WriteBignum(writer, big);
                return;
            case decimal m:
                WriteDecimal(writer, m);
                return;
            case DateTime or DateTimeOffset:
                writer.WriteTag(CborTag.DateTimeString);
                writer.WriteTextString(FormatInstant(Instants.ToUtc(value)));
                return;
            case Guid g:
            {
                writer.WriteTag((CborTag)37);
                Span<byte> bytes = stackalloc byte[16];
                g.TryWriteBytes(bytes, bigEndian: true, out _);
                writer.WriteByteString(bytes);
                return;
            }
            case char c:
                writer.WriteTag((CborTag)27);
                writer.WriteStartArray(2);
                writer.WriteTextString("clojure/char");
                writer.WriteTextString(c.ToString());
                writer.WriteEndArray();
                return;
            case byte[] bytes:
                writer.WriteByteString(bytes);
                return;
            case float[] floats:
            {
                var payload = new byte[floats.Length * 4];
                for (int i = 0; i < floats.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(payload.AsSpan(i * 4), floats[i]);
                writer.WriteTag((CborTag)85);
                writer.WriteByteString(payload);
                return;
            }
            case double[] doubles:
            {
                var payload = new byte[doubles.Length * 8];
                for (int i = 0; i < doubles.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(payload.AsSpan(i * 8), doubles[i]);
                writer.WriteTag((CborTag)86);
                writer.WriteByteString(payload);
                return;
            }
            case EdnMap map:
                writer.WriteStartMap(map.Count);
                foreach (var (key, v) in map.Entries)
                {
                    WriteValue(writer, key, depth + 1);
                    WriteValue(writer, v, depth + 1);
                }
                writer.WriteEndMap();
                return;
            case EdnSet set:
                writer.WriteTag((CborTag)258);
                WriteArray(writer, set, depth);
                return;
            case IDictionary dictionary:
                writer.WriteStartMap(dictionary.Count);
                foreach (DictionaryEntry entry in dictionary)
                {
                    WriteValue(writer, entry.Key, depth + 1);
                    WriteValue(writer, entry.Value, depth + 1);
                }
                writer.WriteEndMap();
                return;
            case IEnumerable sequence:
                WriteArray(writer, sequence, depth);
                return;
            default:
                throw Errors.CborInvalid($"a {value.GetType().Name} has no CBOR form: {Errors.Show(value)}");
        }
    }

    private static void WriteArray(CborWriter writer, IEnumerable items, int depth)
    {
        var list = items.Cast<object?>().ToList();
        writer.WriteStartArray(list.Count);
        foreach (var item in list) WriteValue(writer, item, depth + 1);
        writer.WriteEndArray();
    }

    /// <summary>Tags 2 and 3, even for a value that fits 64 bits: boring's <c>:preserve-width</c> keeps a bigint a bigint.</summary>
    private static void WriteBignum(CborWriter writer, BigInteger value)
    {
        bool negative = value.Sign < 0;
        var magnitude = negative ? BigInteger.MinusOne - value : value;
        writer.WriteTag(negative ? CborTag.NegativeBigNum : CborTag.UnsignedBigNum);
        writer.WriteByteString(magnitude.IsZero ? [] : magnitude.ToByteArray(isUnsigned: true, isBigEndian: true));
    }

    /// <summary>Tag 4, <c>[-scale unscaled]</c>: 1.50 is <c>[-2 150]</c>, 1.5 is <c>[-1 15]</c> (datahike test migrate_codec_test.clj).</summary>
    private static void WriteDecimal(CborWriter writer, decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        int scale = (bits[3] >> 16) & 0xFF;
        Span<byte> bytes = stackalloc byte[12];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, bits[0]);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[4..], bits[1]);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[8..], bits[2]);
        var unscaled = new BigInteger(bytes, isUnsigned: true, isBigEndian: false);
        if ((bits[3] & int.MinValue) != 0) unscaled = -unscaled;
        writer.WriteTag(CborTag.DecimalFraction);
        writer.WriteStartArray(2);
        writer.WriteInt64(-scale);
        if (unscaled >= long.MinValue && unscaled <= long.MaxValue) writer.WriteInt64((long)unscaled);
        else WriteBignum(writer, unscaled);
        writer.WriteEndArray();
    }

    /// <summary>As java.time's ISO_INSTANT prints it, which boring writes: <c>2026-01-01T00:00:00Z</c>, <c>2026-01-01T00:00:00.120Z</c>.</summary>
    internal static string FormatInstant(DateTime utc)
    {
        if (utc.Year is < 0 or > 9999) throw Errors.CborInvalid($"instant {utc:O} is outside the years RFC 3339 can write");
        return utc.Millisecond == 0 && utc.Ticks % TimeSpan.TicksPerSecond == 0
            ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }
}
