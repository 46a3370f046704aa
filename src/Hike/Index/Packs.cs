using System.Buffers.Binary;
using System.Globalization;

namespace Hike.Index;

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

    private static bool IsPackHeader(byte[]? header, out long length)
    {
        length = 0;
        if (header is not { Length: HeaderSize } || BinaryPrimitives.ReadUInt32LittleEndian(header) != HeaderMagic) return false;
        length = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
        return length >= HeaderSize + 4;
    }

    /// <summary>
    /// Whether the pack at <paramref name="start"/> of segment <paramref name="key"/> is on disk as
    /// written (its checksum covers every byte) — how a head written alongside its pack's sync is checked
    /// after a crash. False when the pack is torn: cut short, or with a sector still zero, as a power
    /// cut leaves an append. A pack that is all there but fails its checksum is damaged: a
    /// <see cref="CorruptionException"/>.
    /// </summary>
    public static bool IsWhole(Storage.IKeyValueStore store, string key, long start)
    {
        if (!IsPackHeader(store.GetRange(key, start, HeaderSize), out long length) || length > int.MaxValue) return false;
        var pack = store.GetRange(key, start, (int)length);
        if (pack is null || pack.Length != length) return false;
        if (BinaryPrimitives.ReadUInt32LittleEndian(pack.AsSpan(8)) == Checksum(pack)) return true;
        const int sector = 512;
        for (long at = (start + sector - 1) / sector * sector; at + sector <= start + length; at += sector)
        {
            if (pack.AsSpan((int)(at - start), sector).IndexOfAnyExcept((byte)0) < 0) return false;
        }
        throw new CorruptionException($"{key}@{start}", "the pack fails its checksum");
    }

    /// <summary>
    /// Where the pack starts whose last object ends at <paramref name="lastObjectEnd"/> (a commit
    /// record: its pack's index follows it, and names the pack's first object); null when the index is
    /// not there whole.
    /// </summary>
    public static long? PackStartOf(Storage.IKeyValueStore store, string key, long lastObjectEnd)
    {
        var header = store.GetRange(key, lastObjectEnd, Envelope.HeaderSize);
        if (header is not { Length: Envelope.HeaderSize } || header[3] != Envelope.KindPackIndex) return null;
        long indexLength = Envelope.Overhead + BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
        if (indexLength > int.MaxValue) return null;
        var index = store.GetRange(key, lastObjectEnd, (int)indexLength);
        if (index is null || index.Length != indexLength) return null;
        try
        {
            var source = new ByteSource(Envelope.Open(index, key, Envelope.KindPackIndex));
            return source.ReadCount(2) > 0 ? (long)source.ReadVarUInt64() - HeaderSize : null;
        }
        catch (Exception e) when (e is CorruptionException or MalformedDataException)
        {
            return null;
        }
    }

    /// <summary>The checksum of a pack: every byte but the checksum's own.</summary>
    private static uint Checksum(ReadOnlySpan<byte> pack) => Storage.Crc32C.Compute(pack[12..], Storage.Crc32C.Compute(pack[..8]));

    /// <summary>
    /// The objects of the segment under <paramref name="key"/>, pack by pack from its start; stops at
    /// the end or at bytes that are not a pack header, and skips a last pack whose index is damaged (the
    /// torn end a crash leaves). A damaged index followed by further packs is a <see cref="CorruptionException"/>.
    /// </summary>
    public static List<(long Offset, int Length)> Objects(Storage.IKeyValueStore store, string key)
    {
        var objects = new List<(long, int)>();
        var regions = Regions(store, key);
        for (int i = 0; i < regions.Count; i++)
        {
            try
            {
                objects.AddRange(ObjectsOf(store, key, regions[i].Start, regions[i].Length));
            }
            catch (CorruptionException) when (i == regions.Count - 1)
            {
                // The last pack of a segment may be torn by a crash; one with packs after it is damaged.
            }
        }
        return objects;
    }

    /// <summary>Where the packs of a segment start and how long they are, from its start to the first bytes that are not a pack header.</summary>
    public static List<(long Start, long Length)> Regions(Storage.IKeyValueStore store, string key)
    {
        var regions = new List<(long, long)>();
        for (long at = 0; IsPackHeader(store.GetRange(key, at, HeaderSize), out long length); at += length) regions.Add((at, length));
        return regions;
    }

    /// <summary>The objects of the pack at <paramref name="start"/>, from its index; a damaged index is a <see cref="CorruptionException"/>.</summary>
    public static List<(long Offset, int Length)> ObjectsOf(Storage.IKeyValueStore store, string key, long start, long length)
    {
        string where = $"{key}@{start}";
        var tail = store.GetRange(key, start + length - 4, 4);
        if (tail is not { Length: 4 }) throw new CorruptionException(where, "the pack ends early");
        int indexLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(tail);
        if (indexLength > length - HeaderSize - 4) throw new CorruptionException(where, "its pack index is out of range");
        var index = store.GetRange(key, start + length - 4 - indexLength, indexLength);
        if (index is null || index.Length != indexLength) throw new CorruptionException(where, "its pack index is out of range");
        var source = new ByteSource(Envelope.Open(index, where, Envelope.KindPackIndex));
        try
        {
            int count = source.ReadCount(2);
            var objects = new List<(long, int)>(count);
            for (int i = 0; i < count; i++) objects.Add(((long)source.ReadVarUInt64(), (int)source.ReadVarUInt64()));
            if (count == 0) throw new CorruptionException(where, "the pack holds no objects");
            return objects;
        }
        catch (MalformedDataException e)
        {
            throw Envelope.Corrupt(where, e.Message);
        }
    }
}
