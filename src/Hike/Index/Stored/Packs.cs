using System.Buffers.Binary;
using System.Globalization;
using Hike.Index.Codec;
using Hike.Index.Tree;

namespace Hike.Index.Stored;

/// <summary>
/// Where stored objects live: every commit writes its new objects (nodes, chunks, schema, commit
/// record), each a checksummed envelope, back to back as one pack appended to a segment, a growing
/// value in the store under <c>packs/&lt;id&gt;</c> (a writer starts a new one when it starts and when
/// one grows past <see cref="SegmentBytes"/>). A pack is a header (magic, length, checksum), the
/// objects, an index of them and the index's length. An object's <see cref="NodeAddress"/> names its
/// segment (high 64 bits) and its place in it (offset in bits 28 to 62, length in the lower 28; bit
/// 63 is <see cref="NodeAddress.HoldsValueRefs"/>), so reading one object is one ranged read, and a
/// commit is one append and one data sync.
/// </summary>
internal static class Packs
{
    public const string Prefix = "packs/";

    /// <summary>The size past which a writer starts a new segment.</summary>
    public const long SegmentBytes = 64L << 20;

    /// <summary>Bytes of a pack's header.</summary>
    public const int HeaderSize = 12;

    private const uint HeaderMagic = 0x6b50_6b48; // "HkPk"

    private const int LengthBits = 28;
    private const long MaxOffset = (1L << 35) - 1;

    public static string Key(ulong pack) => Prefix + pack.ToString("x16", CultureInfo.InvariantCulture);

    public static bool TryParseKey(string key, out ulong pack)
    {
        pack = 0;
        return key.StartsWith(Prefix, StringComparison.Ordinal) && key.Length == Prefix.Length + 16
            && ulong.TryParse(key.AsSpan(Prefix.Length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out pack) && pack != 0;
    }

    public static NodeAddress Address(ulong pack, long offset, int length)
    {
        if (offset > MaxOffset || length >= 1 << LengthBits) throw new InvalidOperationException($"An object of {length} bytes at {offset} does not fit a pack address");
        return new NodeAddress(((UInt128)pack << 64) | ((ulong)offset << LengthBits) | (uint)length);
    }

    public static (ulong Pack, long Offset, int Length) Locate(NodeAddress address)
    {
        ulong low = (ulong)address.Value;
        return ((ulong)(address.Value >> 64), (long)((low >> LengthBits) & MaxOffset), (int)(low & ((1UL << LengthBits) - 1)));
    }

    /// <summary>How an object is named in errors: its pack and byte range.</summary>
    public static string Describe(NodeAddress address)
    {
        var (pack, offset, length) = Locate(address);
        return $"{Key(pack)}@{offset}+{length}";
    }

    /// <summary>
    /// Frames the objects written to <paramref name="body"/> (whose first <see cref="HeaderSize"/>
    /// bytes were left for the header) as a pack, in place: appends the index of
    /// <paramref name="objects"/> (offsets in the segment) and its length, and fills in the header.
    /// </summary>
    public static void Seal(ByteSink body, List<(long Offset, int Length)> objects)
    {
        using var index = new ByteSink(16 + 8 * objects.Count);
        index.WriteVarUInt64((ulong)objects.Count);
        foreach (var (offset, length) in objects)
        {
            index.WriteVarUInt64((ulong)offset);
            index.WriteVarUInt64((ulong)length);
        }
        var sealedIndex = Envelope.Seal(Envelope.KindPackIndex, index.WrittenSpan);
        body.WriteBytes(sealedIndex);
        body.WriteFixed32((uint)sealedIndex.Length);
        var pack = body.Written(0, body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(pack, HeaderMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(pack[4..], (uint)pack.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(pack[8..], Checksum(pack));
    }

    /// <summary>
    /// Whether the value under <paramref name="key"/> starts as a segment does: with a pack header, or
    /// empty or zeros (created, and torn by a crash, before its first pack reached the disk).
    /// </summary>
    public static bool LooksLikeSegment(Storage.IKeyValueStore store, string key) =>
        store.GetRange(key, 0, HeaderSize) is { } header
        && (header.AsSpan().IndexOfAnyExcept((byte)0) < 0 || (header.Length == HeaderSize && BinaryPrimitives.ReadUInt32LittleEndian(header) == HeaderMagic));

    private static bool IsPackHeader(byte[]? header, out long length)
    {
        length = 0;
        if (header is not { Length: HeaderSize } || BinaryPrimitives.ReadUInt32LittleEndian(header) != HeaderMagic) return false;
        length = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
        return length >= HeaderSize + 4;
    }

    /// <summary>
    /// The state of the pack that should fill [<paramref name="start"/>, <paramref name="start"/> +
    /// <paramref name="length"/>) of segment <paramref name="key"/>: whole (every byte as written, by its
    /// checksum); torn — missing, cut short, or with a sector still zero, as a power cut leaves an
    /// append; or damaged: all there but not what was written.
    /// </summary>
    public static PackState StateOf(Storage.IKeyValueStore store, string key, long start, long length)
    {
        if (length < HeaderSize + 4 || length > int.MaxValue) return PackState.Damaged;
        var pack = store.GetRange(key, start, (int)length);
        if (pack is null || pack.Length < length) return PackState.Torn;
        if (BinaryPrimitives.ReadUInt32LittleEndian(pack) == HeaderMagic && BinaryPrimitives.ReadUInt32LittleEndian(pack.AsSpan(4)) == length
            && BinaryPrimitives.ReadUInt32LittleEndian(pack.AsSpan(8)) == Checksum(pack))
        {
            return PackState.Whole;
        }
        return HasZeroSector(pack, start) ? PackState.Torn : PackState.Damaged;
    }

    /// <summary>Whether a sector-aligned 512-byte block inside <paramref name="pack"/> (at <paramref name="start"/> of its segment) is all zeros: never written.</summary>
    private static bool HasZeroSector(byte[] pack, long start)
    {
        const int sector = 512;
        for (long at = (start + sector - 1) / sector * sector; at + sector <= start + pack.Length; at += sector)
        {
            if (pack.AsSpan((int)(at - start), sector).IndexOfAnyExcept((byte)0) < 0) return true;
        }
        return false;
    }

    /// <summary>
    /// Where the pack starts and ends whose last object — a commit record — is at
    /// <paramref name="commit"/>: its index follows it and names the pack's first object, and its
    /// header gives its length. Null when the index or the header is not there whole.
    /// </summary>
    public static (long Start, long Length)? PackOf(Storage.IKeyValueStore store, NodeAddress commit)
    {
        var (segment, offset, length) = Locate(commit);
        string key = Key(segment);
        long lastObjectEnd = offset + length;
        var header = store.GetRange(key, lastObjectEnd, Envelope.HeaderSize);
        if (header is not { Length: Envelope.HeaderSize } || header[3] != Envelope.KindPackIndex) return null;
        long indexLength = Envelope.Overhead + BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
        if (indexLength > int.MaxValue) return null;
        var index = store.GetRange(key, lastObjectEnd, (int)indexLength);
        if (index is null || index.Length != indexLength) return null;
        long start;
        try
        {
            var source = new ByteSource(Envelope.Open(index, key, Envelope.KindPackIndex));
            if (source.ReadCount(2) == 0) return null;
            start = (long)source.ReadVarUInt64() - HeaderSize;
        }
        catch (Exception e) when (e is CorruptionException or MalformedDataException)
        {
            return null;
        }
        if (start < 0 || !IsPackHeader(store.GetRange(key, start, HeaderSize), out long packLength)) return null;
        return start + packLength == lastObjectEnd + indexLength + 4 ? (start, packLength) : null;
    }

    /// <summary>The checksum of a pack: every byte but the checksum's own.</summary>
    private static uint Checksum(ReadOnlySpan<byte> pack) => Storage.Crc32C.Compute(pack[12..], Storage.Crc32C.Compute(pack[..8]));

    /// <summary>
    /// The packs of segment <paramref name="key"/> from its start up to <paramref name="limit"/> (its
    /// end when null), each with its objects. What follows the last whole pack must look like the torn
    /// end a crash leaves — a pack cut short or with a zero sector, or zeros — and is left out (where it
    /// starts is the scan's <see cref="SegmentScan.End"/>, past which no live object may lie); anything
    /// else (bytes that are no pack header, a damaged pack index before the end) is a
    /// <see cref="CorruptionException"/> naming the segment and offset.
    /// </summary>
    public static SegmentScan Scan(Storage.IKeyValueStore store, string key, long? limit = null)
    {
        var packs = new List<ScannedPack>();
        long at = 0;
        while (limit is null || at < limit)
        {
            var header = store.GetRange(key, at, HeaderSize) ?? throw Errors.Corrupt(key, "the segment is missing");
            if (header.Length == 0) break;
            if (!IsPackHeader(header, out long length))
            {
                if (header.Length == HeaderSize && header.AsSpan().IndexOfAnyExcept((byte)0) >= 0) throw Damaged(key, at, "bytes that are not a pack header");
                if (!IsZeroToEnd(store, key, at)) throw Damaged(key, at, "a torn pack followed by more data");
                break;
            }
            var tail = store.GetRange(key, at + length - 1, 1);
            if (tail is not { Length: 1 })
            {
                if (limit is not null) throw Damaged(key, at, "a pack that ends after the segment's written length");
                break; // cut short by a crash: the segment's end
            }
            bool last = limit is null ? store.GetRange(key, at + length, 1) is not { Length: > 0 } : at + length >= limit;
            try
            {
                packs.Add(new ScannedPack(at, length, ObjectsOf(store, key, at, length)));
            }
            catch (CorruptionException) when (last && StateOf(store, key, at, length) == PackState.Torn)
            {
                break; // its sectors did not all reach the disk before a crash
            }
            at += length;
        }
        return new SegmentScan(packs, at);
    }

    private static bool IsZeroToEnd(Storage.IKeyValueStore store, string key, long from)
    {
        const int chunk = 1 << 20;
        for (long at = from; ; at += chunk)
        {
            var bytes = store.GetRange(key, at, chunk);
            if (bytes is null || bytes.Length == 0) return true;
            if (bytes.AsSpan().IndexOfAnyExcept((byte)0) >= 0) return false;
        }
    }

    private static CorruptionException Damaged(string key, long at, string what) => new($"{key}@{at}", $"the segment holds {what} where a pack should start");

    /// <summary>The objects of the pack at <paramref name="start"/>, from its index; a damaged index is a <see cref="CorruptionException"/>.</summary>
    public static List<(long Offset, int Length)> ObjectsOf(Storage.IKeyValueStore store, string key, long start, long length)
    {
        string where = $"{key}@{start}";
        var tail = store.GetRange(key, start + length - 4, 4);
        if (tail is not { Length: 4 }) throw Errors.Corrupt(where, "the pack ends early");
        long indexLength = BinaryPrimitives.ReadUInt32LittleEndian(tail);
        if (indexLength > length - HeaderSize - 4) throw Errors.Corrupt(where, "its pack index is out of range");
        var index = store.GetRange(key, start + length - 4 - indexLength, (int)indexLength);
        if (index is null || index.Length != indexLength) throw Errors.Corrupt(where, "its pack index is out of range");
        var source = new ByteSource(Envelope.Open(index, where, Envelope.KindPackIndex));
        try
        {
            int count = source.ReadCount(2);
            var objects = new List<(long, int)>(count);
            for (int i = 0; i < count; i++) objects.Add(((long)source.ReadVarUInt64(), (int)source.ReadVarUInt64()));
            if (count == 0) throw Errors.Corrupt(where, "the pack holds no objects");
            return objects;
        }
        catch (MalformedDataException e)
        {
            throw Errors.Corrupt(where, e.Message);
        }
    }
}
