using System.Formats.Cbor;
using System.Globalization;
using System.Numerics;

namespace Hike.Edn;

/// <summary>
/// Reads CBOR (RFC 8949) as Datahike writes it with its codec (boring) into the values Hike uses:
/// keywords and symbols from tag 39 (<c>":ns/name"</c> is a keyword, <c>"ns/name"</c> a symbol),
/// instants from tag 0 (RFC 3339 text) or tag 1 (epoch seconds, as old dumps hold them), uuids from
/// tag 37, big integers from tags 2 and 3, decimals from tag 4 (scale kept), sets from tag 258, float
/// and double arrays from the RFC 8746 typed-array tags, arrays as <see cref="EdnVector"/>, maps as
/// <see cref="EdnMap"/>, f32 as <see cref="float"/> and f64 as <see cref="double"/>. Tag 27 frames
/// are read for the types Datahike writes: a datom (<c>datahike.datom/Datom</c>) becomes its vector
/// <c>[e a v tx added]</c>, a dump's reference to a system entity (<c>datahike.migrate.cbor.SysRef</c>)
/// becomes that entity's ident. Anything else (an unknown tag or frame, stringrefs, malformed or
/// truncated bytes) is a <c>cbor/invalid</c> <see cref="HikeException"/> naming the byte offset.
/// Stateless and thread-safe.
/// </summary>
public static class CborValueReader
{
    // Tag numbers: RFC 8949 §3.4 and the IANA registry, as boring's Writer.java uses them.
    private const ulong TagDateTime = 0;
    private const ulong TagEpoch = 1;
    private const ulong TagPositiveBignum = 2;
    private const ulong TagNegativeBignum = 3;
    private const ulong TagDecimal = 4;
    private const ulong TagObject = 27;
    private const ulong TagUuid = 37;
    private const ulong TagIdentifier = 39;
    private const ulong TagSet = 258;
    private const ulong TagSelfDescribed = 55799;
    private const ulong TagFloat32BigEndian = 81;
    private const ulong TagFloat64BigEndian = 82;
    private const ulong TagFloat32LittleEndian = 85;
    private const ulong TagFloat64LittleEndian = 86;

    /// <summary>The deepest nesting read; deeper input is refused rather than overflowing the stack.</summary>
    private const int MaxDepth = 512;

    /// <summary>The single CBOR data item <paramref name="bytes"/> holds (nothing may follow it). O(n).</summary>
    public static object? Read(ReadOnlyMemory<byte> bytes)
    {
        var reader = new CborReader(bytes, CborConformanceMode.Lax, allowMultipleRootLevelValues: true);
        if (reader.BytesRemaining == 0) throw Errors.CborInvalid("no CBOR data item (the input is empty)");
        var value = ReadItem(reader, bytes.Length);
        if (reader.BytesRemaining > 0) throw Errors.CborInvalid($"{reader.BytesRemaining} byte(s) after the data item at byte {bytes.Length - reader.BytesRemaining}");
        return value;
    }

    /// <summary>
    /// The data items of a CBOR sequence (RFC 8742: items one after another, as Datahike's dump chunks
    /// hold its records), read as the enumeration asks for them. A truncated last item is an error.
    /// </summary>
    public static IEnumerable<object?> ReadSequence(ReadOnlyMemory<byte> bytes)
    {
        var reader = new CborReader(bytes, CborConformanceMode.Lax, allowMultipleRootLevelValues: true);
        while (reader.BytesRemaining > 0) yield return ReadItem(reader, bytes.Length);
    }

    private static object? ReadItem(CborReader reader, int length)
    {
        int start = length - reader.BytesRemaining;
        try
        {
            return ReadValue(reader, 0);
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            int at = length - reader.BytesRemaining;
            // CborReader tells a cut-off item by the buffer it ran out of.
            bool truncated = e.Message.Contains("buffer", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("end of", StringComparison.OrdinalIgnoreCase);
            string what = truncated ? "truncated data item" : e.Message.TrimEnd('.');
            throw Errors.CborInvalid($"{what} (item starting at byte {start}, read up to byte {at})");
        }
    }

    private static object? ReadValue(CborReader reader, int depth)
    {
        if (depth > MaxDepth) throw Errors.CborInvalid($"data nested deeper than {MaxDepth} levels");
        switch (reader.PeekState())
        {
            case CborReaderState.UnsignedInteger:
            {
                ulong u = reader.ReadUInt64();
                return u <= long.MaxValue ? (long)u : (object)new BigInteger(u);
            }
            case CborReaderState.NegativeInteger:
            {
                ulong n = reader.ReadCborNegativeIntegerRepresentation();
                return n < long.MaxValue ? -1L - (long)n : (object)(BigInteger.MinusOne - n);
            }
            case CborReaderState.ByteString:
            case CborReaderState.StartIndefiniteLengthByteString:
                return reader.ReadByteString();
            case CborReaderState.TextString:
            case CborReaderState.StartIndefiniteLengthTextString:
                return reader.ReadTextString();
            case CborReaderState.StartArray:
            {
                int? count = reader.ReadStartArray();
                var items = new List<object?>(Math.Min(count ?? 4, 1 << 16));
                while (reader.PeekState() != CborReaderState.EndArray) items.Add(ReadValue(reader, depth + 1));
                reader.ReadEndArray();
                return EdnVector.From(items);
            }
            case CborReaderState.StartMap:
            {
                int? count = reader.ReadStartMap();
                var entries = new List<KeyValuePair<object?, object?>>(Math.Min(count ?? 4, 1 << 16));
                while (reader.PeekState() != CborReaderState.EndMap)
                {
                    var key = ReadValue(reader, depth + 1);
                    entries.Add(new(key, ReadValue(reader, depth + 1)));
                }
                reader.ReadEndMap();
                return EdnMap.Create(entries);
            }
            case CborReaderState.Boolean:
                return reader.ReadBoolean();
            case CborReaderState.Null:
                reader.ReadNull();
                return null;
            case CborReaderState.HalfPrecisionFloat:
                // Old dumps (clj-cbor) hold zero, NaN and infinities as f16; they widen to float, as Datahike reads them.
                return (float)reader.ReadHalf();
            case CborReaderState.SinglePrecisionFloat:
                return reader.ReadSingle();
            case CborReaderState.DoublePrecisionFloat:
                return reader.ReadDouble();
            case CborReaderState.Tag:
                return ReadTagged(reader, depth);
            case CborReaderState.Finished:
                throw Errors.CborInvalid("truncated data item");
            default:
                throw Errors.CborInvalid($"unsupported CBOR item ({reader.PeekState()})");
        }
    }

    private static object? ReadTagged(CborReader reader, int depth)
    {
        ulong tag = (ulong)reader.ReadTag();
        switch (tag)
        {
            case TagDateTime:
            {
                string text = reader.ReadTextString();
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
                {
                    throw Errors.CborInvalid($"tag 0 holds {text}, which is no RFC 3339 date-time");
                }
                return instant.UtcDateTime;
            }
            case TagEpoch:
            {
                var seconds = ReadValue(reader, depth + 1);
                return seconds switch
                {
                    long l => DateTime.UnixEpoch.AddSeconds(l),
                    double d when double.IsFinite(d) => DateTime.UnixEpoch.AddMilliseconds(Math.Round(d * 1000)),
                    float f when float.IsFinite(f) => DateTime.UnixEpoch.AddMilliseconds(Math.Round(f * 1000.0)),
                    _ => throw Errors.CborInvalid($"tag 1 holds {Errors.Show(seconds)}, which is no epoch time"),
                };
            }
            case TagPositiveBignum:
                return new BigInteger(reader.ReadByteString(), isUnsigned: true, isBigEndian: true);
            case TagNegativeBignum:
                return BigInteger.MinusOne - new BigInteger(reader.ReadByteString(), isUnsigned: true, isBigEndian: true);
            case TagDecimal:
                return ReadDecimal(reader, depth);
            case TagObject:
                return ReadObject(reader, depth);
            case TagUuid:
            {
                var bytes = reader.ReadByteString();
                if (bytes.Length != 16) throw Errors.CborInvalid($"tag 37 holds {bytes.Length} bytes; a uuid has 16");
                return new Guid(bytes, bigEndian: true);
            }
            case TagIdentifier:
            {
                string name = reader.ReadTextString();
                if (name.Length == 0 || name == ":") throw Errors.CborInvalid("tag 39 holds an empty identifier");
                return name[0] == ':' ? Keyword.Intern(name[1..]) : Symbol.Intern(name);
            }
            case TagSet:
            {
                var items = ReadValue(reader, depth + 1) as EdnVector ?? throw Errors.CborInvalid("tag 258 (set) does not hold an array");
                return EdnSet.Create(items);
            }
            case TagSelfDescribed:
                return ReadValue(reader, depth + 1);
            case TagFloat32LittleEndian:
            case TagFloat32BigEndian:
            {
                var bytes = reader.ReadByteString();
                if (bytes.Length % 4 != 0) throw Errors.CborInvalid($"tag {tag} (float32 array) holds {bytes.Length} bytes, not a multiple of 4");
                var floats = new float[bytes.Length / 4];
                for (int i = 0; i < floats.Length; i++)
                {
                    var span = bytes.AsSpan(i * 4, 4);
                    floats[i] = tag == TagFloat32LittleEndian ? System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(span) : System.Buffers.Binary.BinaryPrimitives.ReadSingleBigEndian(span);
                }
                return floats;
            }
            case TagFloat64LittleEndian:
            case TagFloat64BigEndian:
            {
                var bytes = reader.ReadByteString();
                if (bytes.Length % 8 != 0) throw Errors.CborInvalid($"tag {tag} (float64 array) holds {bytes.Length} bytes, not a multiple of 8");
                var doubles = new double[bytes.Length / 8];
                for (int i = 0; i < doubles.Length; i++)
                {
                    var span = bytes.AsSpan(i * 8, 8);
                    doubles[i] = tag == TagFloat64LittleEndian ? System.Buffers.Binary.BinaryPrimitives.ReadDoubleLittleEndian(span) : System.Buffers.Binary.BinaryPrimitives.ReadDoubleBigEndian(span);
                }
                return doubles;
            }
            case 25:
            case 256:
                throw Errors.CborInvalid($"tag {tag} (stringref) is not supported; write the value without string references (boring's :interop or :archival profile)");
            default:
                throw Errors.CborInvalid($"unsupported tag {tag}");
        }
    }

    /// <summary>Tag 4, <c>[exponent mantissa]</c> = mantissa × 10^exponent, as a <see cref="decimal"/> keeping its scale (1.50 stays 1.50).</summary>
    private static decimal ReadDecimal(CborReader reader, int depth)
    {
        if (ReadValue(reader, depth + 1) is not EdnVector { Count: 2 } parts || parts[0] is not long exponent || parts[1] is not { } rawMantissa || !Numbers.IsIntegral(rawMantissa))
        {
            throw Errors.CborInvalid("tag 4 (decimal) does not hold [exponent mantissa]");
        }
        var mantissa = Numbers.ToBigInteger(rawMantissa);
        int scale = 0;
        if (exponent > 0)
        {
            if (exponent > 28) throw Errors.CborInvalid($"decimal {mantissa}E{exponent} is beyond the range of a .NET decimal");
            mantissa *= BigInteger.Pow(10, (int)exponent);
        }
        else if (exponent < -28)
        {
            throw Errors.CborInvalid($"decimal {mantissa}E{exponent} has more than 28 digits after the point, more than a .NET decimal holds");
        }
        else
        {
            scale = (int)-exponent;
        }
        var magnitude = BigInteger.Abs(mantissa);
        if (magnitude.GetBitLength() > 96) throw Errors.CborInvalid($"decimal {mantissa}E{exponent} is beyond the range of a .NET decimal");
        Span<byte> bytes = stackalloc byte[12];
        bytes.Clear();
        magnitude.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        return new decimal(
            System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(bytes),
            System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]),
            System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]),
            mantissa.Sign < 0,
            (byte)scale);
    }

    /// <summary>Tag 27, <c>[type-name argument]</c>: the frames Datahike and boring write for types CBOR has no tag for.</summary>
    private static object? ReadObject(CborReader reader, int depth)
    {
        if (ReadValue(reader, depth + 1) is not EdnVector { Count: 2 } frame || frame[0] is not string name)
        {
            throw Errors.CborInvalid("tag 27 does not hold [type-name argument]");
        }
        var argument = frame[1];
        switch (name)
        {
            case CborValueWriter.DatomFrame:
                if (argument is EdnVector { Count: 5 }) return argument;
                break;
            case SysRefFrame:
                // A dump's reference to a system entity (datahike/migrate/cbor.cljc, SysRef): its ident.
                if (argument is EdnMap fields && fields.Get(Keyword.Intern("ident")) is Keyword ident) return ident;
                break;
            case "clojure/sorted-set":
                if (argument is EdnVector items) return EdnSet.Create(items);
                break;
            case "clojure/sorted-map":
                if (argument is EdnMap) return argument;
                break;
            case "clojure/queue":
                if (argument is EdnVector queue) return EdnList.From(queue);
                break;
            case "clojure/char":
                if (argument is string { Length: 1 } c) return c[0];
                break;
            case "clojure/with-meta":
                if (argument is EdnVector { Count: 2 } withMeta) return withMeta[1];
                break;
            default:
                throw Errors.CborInvalid($"unknown tag-27 type {name}");
        }
        throw Errors.CborInvalid($"tag-27 {name} holds {Errors.Show(argument)}, not the shape that type has");
    }

    /// <summary>The wire name of a dump's system-entity reference (datahike/migrate/cbor.cljc, <c>sysref-name</c>).</summary>
    internal const string SysRefFrame = "datahike.migrate.cbor.SysRef";
}
