using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;
using Hike.Edn;

namespace Hike.Index.Codec;

/// <summary>
/// The binary form of every value Hike stores: one tag byte, then the payload. A value decodes to one
/// of the same CLR type that is <see cref="ValueEquality"/>-equal to it, bit for bit where equality is
/// looser (the sign of <c>-0.0</c>, NaN payloads, a decimal's scale). Layout by tag (varint = LEB128,
/// zigzag = signed varint, fixed = little-endian):
/// <code>
///  0 nil   1 false   2 true
///  3 long  4 int  5 short  6 sbyte          zigzag
///  7 byte  8 ushort  9 uint  10 ulong       varint
/// 11 BigInteger   varint n, n bytes two's complement little-endian
/// 12 double  fixed64 bits     13 float  fixed32 bits
/// 14 decimal  byte (sign &lt;&lt; 7 | scale), varint low 64 bits, varint high 32 bits of the mantissa
/// 15 char     varint code unit
/// 16 string  17 keyword  18 symbol          text (below); names as their full name "ns/name"
/// 19 instant  fixed64 UTC ticks (DateTime, decoded with Kind Utc)
/// 20 DateTimeOffset  fixed64 UTC ticks, zigzag offset minutes
/// 21 uuid     16 bytes, Guid.TryWriteBytes order
/// 22 byte[]  23 float[]  24 double[]        varint n, n elements fixed
/// 25 EdnVector  26 EdnList  27 object[]  28 List&lt;object?&gt;  29 EdnSet   varint n, n values
/// 30 EdnMap  31 Dictionary&lt;string, object?&gt;                       varint n, n key/value pairs
/// 32 value ref  fixed64 low, fixed64 high 64 bits of the address of a value stored out of line
///               (<see cref="Envelope.KindValue"/>); only as a datom's whole value in a stored node,
///               written and read by <see cref="NodeCodec"/>, never nested and never read here
/// text: varint (length &lt;&lt; 1 | form), then length UTF-8 bytes (form 0) or, for strings
///       UTF-8 cannot hold (lone surrogates), length UTF-16 code units (form 1)
/// </code>
/// Tags are part of the stored format: never renumber one, only add. Stateless and thread-safe.
/// </summary>
internal static class ValueCodec
{
    /// <summary>
    /// How deeply collections may nest, in writing and in reading (so corrupt input cannot exhaust
    /// the stack): as deep as the EDN reader accepts, so every value it reads can be stored.
    /// </summary>
    public const int MaxDepth = EdnReader.MaxDepth;

    private const byte TagNull = 0;
    private const byte TagFalse = 1;
    private const byte TagTrue = 2;
    private const byte TagLong = 3;
    private const byte TagInt = 4;
    private const byte TagShort = 5;
    private const byte TagSByte = 6;
    private const byte TagByte = 7;
    private const byte TagUShort = 8;
    private const byte TagUInt = 9;
    private const byte TagULong = 10;
    private const byte TagBigInteger = 11;
    private const byte TagDouble = 12;
    private const byte TagFloat = 13;
    private const byte TagDecimal = 14;
    private const byte TagChar = 15;
    private const byte TagString = 16;
    private const byte TagKeyword = 17;
    private const byte TagSymbol = 18;
    private const byte TagInstant = 19;
    private const byte TagInstantOffset = 20;
    private const byte TagUuid = 21;
    private const byte TagBytes = 22;
    private const byte TagFloats = 23;
    private const byte TagDoubles = 24;
    private const byte TagVector = 25;
    private const byte TagList = 26;
    private const byte TagObjectArray = 27;
    private const byte TagClrList = 28;
    private const byte TagSet = 29;
    private const byte TagMap = 30;
    private const byte TagStringDictionary = 31;

    /// <summary>The tag of a reference to a value stored out of line (see the layout above).</summary>
    internal const byte TagValueRef = 32;

    private const int MaxOffsetMinutes = 14 * 60;

    // Strict: invalid UTF-8 in stored text is corruption, not something to paper over with U+FFFD.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Appends <paramref name="value"/> to <paramref name="sink"/>. Throws a <see cref="HikeException"/>
    /// (<c>transact/schema</c>) naming the type for a value Hike cannot store, or for collections nested
    /// deeper than <see cref="MaxDepth"/>. O(size of the value).
    /// </summary>
    public static void Write(ByteSink sink, object? value)
    {
        ArgumentNullException.ThrowIfNull(sink);
        WriteValue(sink, value, 0);
    }

    /// <summary>
    /// Reads one value written by <see cref="Write"/>. Malformed input raises
    /// <see cref="MalformedDataException"/>, which the caller, knowing the key it read, turns into a
    /// <see cref="CorruptionException"/>. Keywords and symbols come back interned.
    /// </summary>
    public static object? Read(ref ByteSource source) => ReadValue(ref source, 0);

    /// <summary>
    /// Null when <paramref name="value"/> can be stored; otherwise why not (a type with no encoding, or
    /// collections nested deeper than <see cref="MaxDepth"/>). Encodes the value to find out, so what
    /// it accepts is exactly what <see cref="Write"/> accepts. O(size of the value).
    /// </summary>
    public static string? Unstorable(object? value)
    {
        using var scratch = new ByteSink();
        try
        {
            WriteValue(scratch, value, 0);
            return null;
        }
        catch (HikeException e) when (e.Data.Contains(UnstorableMark))
        {
            return e.Message;
        }
    }

    /// <summary>One value as a byte array (no envelope): <see cref="Write"/> into a fresh sink.</summary>
    public static byte[] Encode(object? value)
    {
        using var sink = new ByteSink();
        WriteValue(sink, value, 0);
        return sink.ToArray();
    }

    /// <summary>
    /// The one value <paramref name="data"/> holds (as <see cref="Encode"/> wrote it, every byte
    /// used); a malformed encoding is a <see cref="CorruptionException"/> naming <paramref name="key"/>.
    /// </summary>
    public static object? Decode(ReadOnlySpan<byte> data, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            var source = new ByteSource(data);
            var value = ReadValue(ref source, 0);
            if (!source.IsEnd) throw source.Malformed($"{source.Remaining} trailing byte(s) after the value");
            return value;
        }
        catch (MalformedDataException e)
        {
            throw Errors.Corrupt(key, e.Message);
        }
    }

    private static void WriteValue(ByteSink sink, object? value, int depth)
    {
        // The common kinds first: entity ids and numbers, strings, keywords.
        switch (value)
        {
            case null:
                sink.WriteByte(TagNull);
                return;
            case long l:
                sink.WriteByte(TagLong);
                sink.WriteVarInt64(l);
                return;
            case string s:
                sink.WriteByte(TagString);
                WriteText(sink, s);
                return;
            case Keyword k:
                sink.WriteByte(TagKeyword);
                WriteText(sink, k.FullName);
                return;
            case bool b:
                sink.WriteByte(b ? TagTrue : TagFalse);
                return;
            case double d:
                sink.WriteByte(TagDouble);
                sink.WriteFixed64(BitConverter.DoubleToUInt64Bits(d));
                return;
            case DateTime dt:
                sink.WriteByte(TagInstant);
                sink.WriteFixed64((ulong)Instants.ToUtc(dt).Ticks);
                return;
            case Guid g:
                sink.WriteByte(TagUuid);
                g.TryWriteBytes(sink.GetSpan(16));
                sink.Advance(16);
                return;
            case EdnVector v:
                sink.WriteByte(TagVector);
                WriteItems(sink, v.AsSpan(), depth);
                return;
            case int i:
                sink.WriteByte(TagInt);
                sink.WriteVarInt64(i);
                return;
            case float f:
                sink.WriteByte(TagFloat);
                sink.WriteFixed32(BitConverter.SingleToUInt32Bits(f));
                return;
            case decimal m:
                WriteDecimal(sink, m);
                return;
            case BigInteger bi:
                WriteBigInteger(sink, bi);
                return;
            case char c:
                sink.WriteByte(TagChar);
                sink.WriteVarUInt64(c);
                return;
            case Symbol sym:
                sink.WriteByte(TagSymbol);
                WriteText(sink, sym.FullName);
                return;
            case DateTimeOffset dto:
                sink.WriteByte(TagInstantOffset);
                sink.WriteFixed64((ulong)dto.UtcTicks);
                sink.WriteVarInt64(dto.Offset.Ticks / TimeSpan.TicksPerMinute);
                return;
            case byte[] bytes:
                sink.WriteByte(TagBytes);
                sink.WriteVarUInt64((ulong)bytes.Length);
                sink.WriteBytes(bytes);
                return;
            case float[] floats:
                WriteFloats(sink, floats);
                return;
            case double[] doubles:
                WriteDoubles(sink, doubles);
                return;
            case EdnList list:
                sink.WriteByte(TagList);
                WriteItems(sink, list.AsSpan(), depth);
                return;
            case EdnSet set:
                sink.WriteByte(TagSet);
                WriteItems(sink, set.Items, depth);
                return;
            case EdnMap map:
                sink.WriteByte(TagMap);
                WriteEntries(sink, map.Entries, depth);
                return;
            case short sh:
                sink.WriteByte(TagShort);
                sink.WriteVarInt64(sh);
                return;
            case sbyte sb:
                sink.WriteByte(TagSByte);
                sink.WriteVarInt64(sb);
                return;
            case byte by:
                sink.WriteByte(TagByte);
                sink.WriteVarUInt64(by);
                return;
            case ushort us:
                sink.WriteByte(TagUShort);
                sink.WriteVarUInt64(us);
                return;
            case uint ui:
                sink.WriteByte(TagUInt);
                sink.WriteVarUInt64(ui);
                return;
            case ulong ul:
                sink.WriteByte(TagULong);
                sink.WriteVarUInt64(ul);
                return;
        }
        WriteClrCollection(sink, value, depth);
    }

    // .NET collections round-trip only as their exact types: a subclass or another element type
    // would come back as something else, so those are refused rather than silently changed.
    private static void WriteClrCollection(ByteSink sink, object value, int depth)
    {
        var type = value.GetType();
        if (type == typeof(object[]))
        {
            sink.WriteByte(TagObjectArray);
            WriteItems(sink, (object?[])value, depth);
            return;
        }
        if (type == typeof(List<object?>))
        {
            sink.WriteByte(TagClrList);
            WriteItems(sink, CollectionsMarshal.AsSpan((List<object?>)value), depth);
            return;
        }
        if (type == typeof(Dictionary<string, object?>))
        {
            var dictionary = (Dictionary<string, object?>)value;
            sink.WriteByte(TagStringDictionary);
            int inner = Enter(depth);
            sink.WriteVarUInt64((ulong)dictionary.Count);
            foreach (var (k, v) in dictionary)
            {
                WriteValue(sink, k, inner);
                WriteValue(sink, v, inner);
            }
            return;
        }
        throw Unstorable($"Cannot store a value of type {type.FullName}: it has no binary encoding");
    }

    private static int Enter(int depth)
    {
        if (depth >= MaxDepth) throw Unstorable($"Cannot store a value nested more than {MaxDepth} collections deep");
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack()) throw Unstorable($"Cannot store a value nested {depth} collections deep on this thread's stack");
        return depth + 1;
    }

    /// <summary>Marks the exceptions of values that cannot be stored, which <see cref="Unstorable(object?)"/> turns into answers.</summary>
    private static readonly object UnstorableMark = new();

    private static HikeException Unstorable(string message)
    {
        var e = Errors.TxSchema(message);
        e.Data[UnstorableMark] = true;
        return e;
    }

    private static void WriteItems(ByteSink sink, ReadOnlySpan<object?> items, int depth)
    {
        int inner = Enter(depth);
        sink.WriteVarUInt64((ulong)items.Length);
        foreach (var item in items) WriteValue(sink, item, inner);
    }

    private static void WriteEntries(ByteSink sink, ReadOnlySpan<KeyValuePair<object?, object?>> entries, int depth)
    {
        int inner = Enter(depth);
        sink.WriteVarUInt64((ulong)entries.Length);
        foreach (var e in entries)
        {
            WriteValue(sink, e.Key, inner);
            WriteValue(sink, e.Value, inner);
        }
    }

    private static void WriteText(ByteSink sink, string s)
    {
        int start = sink.Length;
        int byteCount = Encoding.UTF8.GetByteCount(s);
        sink.WriteVarUInt64((ulong)byteCount << 1);
        var status = Utf8.FromUtf16(s, sink.GetSpan(byteCount), out _, out int written, replaceInvalidSequences: false);
        if (status == System.Buffers.OperationStatus.Done)
        {
            sink.Advance(written);
            return;
        }
        // A lone surrogate has no UTF-8 form; .NET strings may hold one, so keep the code units.
        sink.Truncate(start);
        sink.WriteVarUInt64(((ulong)s.Length << 1) | 1);
        var span = sink.GetSpan(s.Length * 2);
        for (int i = 0; i < s.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(span[(2 * i)..], s[i]);
        sink.Advance(s.Length * 2);
    }

    private static void WriteDecimal(ByteSink sink, decimal m)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(m, bits);
        int flags = bits[3];
        byte scale = (byte)((flags >> 16) & 0xFF);
        sink.WriteByte(TagDecimal);
        sink.WriteByte((byte)((flags < 0 ? 0x80 : 0) | scale));
        sink.WriteVarUInt64(((ulong)(uint)bits[1] << 32) | (uint)bits[0]);
        sink.WriteVarUInt64((uint)bits[2]);
    }

    private static void WriteBigInteger(ByteSink sink, BigInteger bi)
    {
        int n = bi.GetByteCount();
        sink.WriteByte(TagBigInteger);
        sink.WriteVarUInt64((ulong)n);
        bi.TryWriteBytes(sink.GetSpan(n), out int written);
        sink.Advance(written);
    }

    private static void WriteFloats(ByteSink sink, float[] floats)
    {
        sink.WriteByte(TagFloats);
        sink.WriteVarUInt64((ulong)floats.Length);
        var span = sink.GetSpan(floats.Length * 4);
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(floats.AsSpan()).CopyTo(span);
        }
        else
        {
            for (int i = 0; i < floats.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(span[(4 * i)..], floats[i]);
        }
        sink.Advance(floats.Length * 4);
    }

    private static void WriteDoubles(ByteSink sink, double[] doubles)
    {
        sink.WriteByte(TagDoubles);
        sink.WriteVarUInt64((ulong)doubles.Length);
        var span = sink.GetSpan(doubles.Length * 8);
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(doubles.AsSpan()).CopyTo(span);
        }
        else
        {
            for (int i = 0; i < doubles.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(span[(8 * i)..], doubles[i]);
        }
        sink.Advance(doubles.Length * 8);
    }

    private static object? ReadValue(ref ByteSource source, int depth)
    {
        int at = source.Position;
        byte tag = source.ReadByte();
        switch (tag)
        {
            case TagNull:
                return null;
            case TagFalse:
                return false;
            case TagTrue:
                return true;
            case TagLong:
                return source.ReadVarInt64();
            case TagInt:
                return (int)ReadSigned(ref source, int.MinValue, int.MaxValue, "int");
            case TagShort:
                return (short)ReadSigned(ref source, short.MinValue, short.MaxValue, "short");
            case TagSByte:
                return (sbyte)ReadSigned(ref source, sbyte.MinValue, sbyte.MaxValue, "sbyte");
            case TagByte:
                return (byte)ReadUnsigned(ref source, byte.MaxValue, "byte");
            case TagUShort:
                return (ushort)ReadUnsigned(ref source, ushort.MaxValue, "ushort");
            case TagUInt:
                return (uint)ReadUnsigned(ref source, uint.MaxValue, "uint");
            case TagULong:
                return source.ReadVarUInt64();
            case TagBigInteger:
            {
                int n = source.ReadCount(1);
                return new BigInteger(source.ReadBytes(n));
            }
            case TagDouble:
                return BitConverter.UInt64BitsToDouble(source.ReadFixed64());
            case TagFloat:
                return BitConverter.UInt32BitsToSingle(source.ReadFixed32());
            case TagDecimal:
                return ReadDecimal(ref source);
            case TagChar:
                return (char)ReadUnsigned(ref source, char.MaxValue, "char");
            case TagString:
                return ReadText(ref source);
            case TagKeyword:
            {
                var name = ReadName(ref source, "keyword");
                // Intern drops one leading colon, so a name that itself starts with one gets it back.
                return Keyword.Intern(name[0] == ':' ? ":" + name : name);
            }
            case TagSymbol:
                return Symbol.Intern(ReadName(ref source, "symbol"));
            case TagInstant:
                return new DateTime(ReadTicks(ref source), DateTimeKind.Utc);
            case TagInstantOffset:
                return ReadDateTimeOffset(ref source);
            case TagUuid:
                return new Guid(source.ReadBytes(16));
            case TagBytes:
                return source.ReadBytes(source.ReadCount(1)).ToArray();
            case TagFloats:
                return ReadFloats(ref source);
            case TagDoubles:
                return ReadDoubles(ref source);
            case TagVector:
                return EdnVector.Wrap(ReadItems(ref source, depth));
            case TagList:
                return EdnList.Wrap(ReadItems(ref source, depth));
            case TagObjectArray:
                return ReadItems(ref source, depth);
            case TagClrList:
                return new List<object?>(ReadItems(ref source, depth));
            case TagSet:
            {
                var set = EdnSet.TryCreateDistinct(ReadItems(ref source, depth), out var duplicate);
                return set ?? throw source.Malformed($"set at offset {at} holds {Errors.Show(duplicate)} twice");
            }
            case TagMap:
                return ReadMap(ref source, depth, at);
            case TagStringDictionary:
                return ReadStringDictionary(ref source, depth, at);
            default:
                throw source.Malformed($"unknown value tag {tag} at offset {at}");
        }
    }

    private static long ReadSigned(ref ByteSource source, long min, long max, string type)
    {
        long v = source.ReadVarInt64();
        if (v < min || v > max) throw source.Malformed($"{v} is out of range for {type}");
        return v;
    }

    private static ulong ReadUnsigned(ref ByteSource source, ulong max, string type)
    {
        ulong v = source.ReadVarUInt64();
        if (v > max) throw source.Malformed($"{v} is out of range for {type}");
        return v;
    }

    private static long ReadTicks(ref ByteSource source)
    {
        ulong ticks = source.ReadFixed64();
        if (ticks > (ulong)DateTime.MaxValue.Ticks) throw source.Malformed($"{ticks} ticks is past the last instant .NET can represent");
        return (long)ticks;
    }

    private static DateTimeOffset ReadDateTimeOffset(ref ByteSource source)
    {
        long utcTicks = ReadTicks(ref source);
        long minutes = source.ReadVarInt64();
        if (minutes < -MaxOffsetMinutes || minutes > MaxOffsetMinutes) throw source.Malformed($"UTC offset of {minutes} minutes is out of range");
        long localTicks = utcTicks + minutes * TimeSpan.TicksPerMinute;
        if (localTicks < 0 || localTicks > DateTime.MaxValue.Ticks) throw source.Malformed("local time of an instant with offset is out of range");
        return new DateTimeOffset(localTicks, TimeSpan.FromMinutes(minutes));
    }

    private static decimal ReadDecimal(ref ByteSource source)
    {
        byte signAndScale = source.ReadByte();
        byte scale = (byte)(signAndScale & 0x7F);
        if (scale > 28) throw source.Malformed($"decimal scale {scale} is larger than 28");
        ulong low = source.ReadVarUInt64();
        ulong high = source.ReadVarUInt64();
        if (high > uint.MaxValue) throw source.Malformed("decimal mantissa exceeds 96 bits");
        return new decimal((int)(uint)low, (int)(uint)(low >> 32), (int)(uint)high, (signAndScale & 0x80) != 0, scale);
    }

    private static string ReadText(ref ByteSource source)
    {
        ulong header = source.ReadVarUInt64();
        ulong length = header >> 1;
        if ((header & 1) == 0)
        {
            if (length > (ulong)source.Remaining) throw source.Malformed($"string of {length} bytes but only {source.Remaining} left");
            var bytes = source.ReadBytes((int)length);
            try
            {
                return StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw source.Malformed("string is not valid UTF-8");
            }
        }
        if (length > (ulong)source.Remaining / 2) throw source.Malformed($"string of {length} UTF-16 code units but only {source.Remaining} bytes left");
        var units = source.ReadBytes((int)length * 2);
        var chars = new char[(int)length];
        for (int i = 0; i < chars.Length; i++) chars[i] = (char)BinaryPrimitives.ReadUInt16LittleEndian(units[(2 * i)..]);
        return new string(chars);
    }

    private static string ReadName(ref ByteSource source, string what)
    {
        var name = ReadText(ref source);
        if (name.Length == 0) throw source.Malformed($"{what} with an empty name");
        return name;
    }

    private static float[] ReadFloats(ref ByteSource source)
    {
        int n = source.ReadCount(4);
        var bytes = source.ReadBytes(n * 4);
        var floats = new float[n];
        if (BitConverter.IsLittleEndian)
        {
            bytes.CopyTo(MemoryMarshal.AsBytes(floats.AsSpan()));
        }
        else
        {
            for (int i = 0; i < n; i++) floats[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]);
        }
        return floats;
    }

    private static double[] ReadDoubles(ref ByteSource source)
    {
        int n = source.ReadCount(8);
        var bytes = source.ReadBytes(n * 8);
        var doubles = new double[n];
        if (BitConverter.IsLittleEndian)
        {
            bytes.CopyTo(MemoryMarshal.AsBytes(doubles.AsSpan()));
        }
        else
        {
            for (int i = 0; i < n; i++) doubles[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(8 * i)..]);
        }
        return doubles;
    }

    private static int EnterRead(ref ByteSource source, int depth)
    {
        if (depth >= MaxDepth) throw source.Malformed($"collections nested more than {MaxDepth} deep");
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack()) throw Errors.NestedTooDeep("read", $"{depth} collections deep on this thread's stack");
        return depth + 1;
    }

    private static object?[] ReadItems(ref ByteSource source, int depth)
    {
        int inner = EnterRead(ref source, depth);
        // Every value takes at least its tag byte, which bounds the allocation by the input size.
        int n = source.ReadCount(1);
        if (n == 0) return [];
        var items = new object?[n];
        for (int i = 0; i < items.Length; i++) items[i] = ReadValue(ref source, inner);
        return items;
    }

    private static EdnMap ReadMap(ref ByteSource source, int depth, int at)
    {
        int inner = EnterRead(ref source, depth);
        int n = source.ReadCount(2);
        var entries = new KeyValuePair<object?, object?>[n];
        for (int i = 0; i < entries.Length; i++)
        {
            var k = ReadValue(ref source, inner);
            entries[i] = new(k, ReadValue(ref source, inner));
        }
        var map = EdnMap.TryCreate(entries, out var duplicate);
        return map ?? throw source.Malformed($"map at offset {at} holds key {Errors.Show(duplicate)} twice");
    }

    private static Dictionary<string, object?> ReadStringDictionary(ref ByteSource source, int depth, int at)
    {
        int inner = EnterRead(ref source, depth);
        int n = source.ReadCount(2);
        var dictionary = new Dictionary<string, object?>(n);
        for (int i = 0; i < n; i++)
        {
            if (ReadValue(ref source, inner) is not string k) throw source.Malformed($"dictionary at offset {at} has a key that is not a string");
            if (!dictionary.TryAdd(k, ReadValue(ref source, inner))) throw source.Malformed($"dictionary at offset {at} holds key \"{k}\" twice");
        }
        return dictionary;
    }
}
