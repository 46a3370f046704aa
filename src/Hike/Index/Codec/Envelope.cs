using System.Buffers.Binary;
using System.Numerics;

namespace Hike.Index.Codec;

/// <summary>
/// The frame around every stored object: it says what the bytes are and in which format version,
/// and a checksum proves they are the bytes that were written. Layout, 12 bytes around the payload:
/// <code>
/// offset 0  'H' 'k'           magic
///        2  version           format version, currently 1
///        3  kind              what the payload is (KindLeaf, KindBranch, KindCommit, ...)
///        4  length            payload length, uint32 little-endian
///        8  payload           length bytes
///   8+length crc              CRC-32C of bytes [0, 8+length), uint32 little-endian
/// </code>
/// Stateless and thread-safe.
/// </summary>
internal static class Envelope
{
    /// <summary>A B+tree leaf (<see cref="NodeCodec"/>).</summary>
    public const byte KindLeaf = 1;

    /// <summary>A B+tree branch (<see cref="NodeCodec"/>).</summary>
    public const byte KindBranch = 2;

    /// <summary>
    /// A value stored out of line (<see cref="ValueCodec"/>, one value): leaves and tails refer to it
    /// by address instead of holding it, so it is written once however often they are rewritten.
    /// </summary>
    public const byte KindValue = 3;

    /// <summary>A commit record. Kinds below 16 are reserved for index nodes and their values.</summary>
    public const byte KindCommit = 16;

    /// <summary>A stored schema.</summary>
    public const byte KindSchema = 17;

    /// <summary>A set of index roots.</summary>
    public const byte KindRoots = 18;

    /// <summary>A branch head: the id of the branch's newest commit.</summary>
    public const byte KindHead = 19;

    /// <summary>The set of branch names.</summary>
    public const byte KindBranches = 20;

    /// <summary>The configuration a database was created with (EDN text).</summary>
    public const byte KindConfig = 21;

    /// <summary>The index of the objects in a pack (<c>Index.Stored.Packs</c>).</summary>
    public const byte KindPackIndex = 22;

    /// <summary>The version of a store's format (<c>format</c>).</summary>
    public const byte KindFormat = 23;

    /// <summary>The segments recovery set aside as damaged (<c>quarantine</c>).</summary>
    public const byte KindQuarantine = 24;

    /// <summary>A full-text segment (<c>FullText.Segment</c>'s own encoding).</summary>
    public const byte KindFullTextSegment = 25;

    /// <summary>The retractions of a full-text segment's documents.</summary>
    public const byte KindFullTextRetractions = 26;

    /// <summary>A full-text index: per attribute, its segments and their retractions.</summary>
    public const byte KindFullTextRoot = 27;

    /// <summary>The format version <see cref="Seal"/> writes and the only one <see cref="Open(ReadOnlySpan{byte}, string, out byte)"/> reads.</summary>
    public const byte FormatVersion = 1;

    /// <summary>Bytes before the payload.</summary>
    public const int HeaderSize = 8;

    /// <summary>Bytes the envelope adds to a payload (header and checksum).</summary>
    public const int Overhead = HeaderSize + 4;

    private const byte Magic0 = (byte)'H';
    private const byte Magic1 = (byte)'k';

    /// <summary>Frames <paramref name="payload"/> as an object of <paramref name="kind"/>. O(n), one allocation.</summary>
    public static byte[] Seal(byte kind, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > Array.MaxLength - Overhead) throw new ArgumentException($"A payload of {payload.Length} bytes is too large to store", nameof(payload));
        var sealedBytes = new byte[Overhead + payload.Length];
        var span = sealedBytes.AsSpan();
        payload.CopyTo(span[HeaderSize..]);
        Frame(span, kind, payload.Length);
        return sealedBytes;
    }

    /// <summary>
    /// Starts an object written straight into <paramref name="sink"/> (no copy): leaves room for the
    /// header and returns where the object starts, for <see cref="EndSeal"/> once its payload is written.
    /// </summary>
    public static int BeginSeal(ByteSink sink)
    {
        int start = sink.Length;
        sink.GetSpan(HeaderSize)[..HeaderSize].Clear();
        sink.Advance(HeaderSize);
        return start;
    }

    /// <summary>Frames the payload written since <see cref="BeginSeal"/> as an object of <paramref name="kind"/>; returns the object's length.</summary>
    public static int EndSeal(ByteSink sink, int start, byte kind)
    {
        int payload = sink.Length - start - HeaderSize;
        sink.WriteFixed32(0);
        Frame(sink.Written(start, Overhead + payload), kind, payload);
        return Overhead + payload;
    }

    /// <summary>Fills in the header and checksum around a payload already in place.</summary>
    private static void Frame(Span<byte> span, byte kind, int payloadLength)
    {
        span[0] = Magic0;
        span[1] = Magic1;
        span[2] = FormatVersion;
        span[3] = kind;
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)payloadLength);
        int end = HeaderSize + payloadLength;
        BinaryPrimitives.WriteUInt32LittleEndian(span[end..], Crc32C(span[..end]));
    }

    /// <summary>
    /// Whether <paramref name="data"/> starts as a Hike object of <paramref name="kind"/> does (magic and
    /// kind), checksum unchecked: tells a damaged Hike object from bytes that were never one.
    /// </summary>
    public static bool LooksLike(ReadOnlySpan<byte> data, byte kind) =>
        data.Length >= HeaderSize && data[0] == Magic0 && data[1] == Magic1 && data[3] == kind;

    /// <summary>
    /// The payload of an object that must be of <paramref name="expectedKind"/>, after checking the
    /// whole frame. Any failure is a <see cref="CorruptionException"/> naming <paramref name="key"/>.
    /// </summary>
    public static ReadOnlySpan<byte> Open(ReadOnlySpan<byte> data, string key, byte expectedKind)
    {
        var payload = Open(data, key, out byte kind);
        if (kind != expectedKind) throw Errors.Corrupt(key, $"expected an object of kind {expectedKind} but found kind {kind}");
        return payload;
    }

    /// <summary>
    /// The payload of an object and its <paramref name="kind"/>, after checking magic, version, length
    /// and checksum, in that order: the version comes before the checksum because another version
    /// may frame its bytes differently. Any failure is a <see cref="CorruptionException"/>
    /// naming <paramref name="key"/>. O(n).
    /// </summary>
    public static ReadOnlySpan<byte> Open(ReadOnlySpan<byte> data, string key, out byte kind)
    {
        ArgumentNullException.ThrowIfNull(key);
        kind = 0;
        if (data.Length < Overhead) throw Errors.Corrupt(key, $"truncated: {data.Length} bytes, shorter than the {Overhead}-byte frame");
        if (data[0] != Magic0 || data[1] != Magic1) throw Errors.Corrupt(key, $"bad magic 0x{data[0]:x2}{data[1]:x2}, not a Hike object");
        if (data[2] != FormatVersion) throw Errors.Corrupt(key, $"unsupported format version {data[2]} (this build reads version {FormatVersion})");
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        if (length != (uint)(data.Length - Overhead))
        {
            throw Errors.Corrupt(key, $"length field says {length} payload bytes but the object holds {data.Length - Overhead} (truncated or overwritten)");
        }
        int end = HeaderSize + (int)length;
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(data[end..]);
        uint computed = Crc32C(data[..end]);
        if (stored != computed) throw Errors.Corrupt(key, $"checksum mismatch (stored 0x{stored:x8}, computed 0x{computed:x8})");
        kind = data[3];
        return data[HeaderSize..end];
    }

    /// <summary>CRC-32C (Castagnoli) of <paramref name="data"/>, hardware-accelerated where the CPU has it.</summary>
    internal static uint Crc32C(ReadOnlySpan<byte> data) => Storage.Crc32C.Compute(data);
}
