using System.Buffers.Binary;
using System.Globalization;

namespace Hike.Index;

/// <summary>
/// Where stored objects live: every commit writes its new objects (nodes, chunks, schema, commit
/// record), each a checksummed envelope, back to back into one pack, a single value in the store
/// under <c>packs/&lt;id&gt;</c>. An object's <see cref="NodeAddress"/> names its pack (high 64 bits)
/// and its place in it (offset in the upper 36 low bits, length in the lower 28), so reading one
/// object is one ranged read and a commit is one write and one sync.
/// </summary>
internal static class Packs
{
    public const string Prefix = "packs/";

    private const int LengthBits = 28;
    private const long MaxOffset = (1L << 36) - 1;

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
        return ((ulong)(address.Value >> 64), (long)(low >> LengthBits), (int)(low & ((1UL << LengthBits) - 1)));
    }

    /// <summary>How an object is named in errors: its pack and byte range.</summary>
    public static string Describe(NodeAddress address)
    {
        var (pack, offset, length) = Locate(address);
        return $"{Key(pack)}@{offset}+{length}";
    }

    /// <summary>
    /// Closes a pack of <paramref name="objects"/> (their ranges in <paramref name="sink"/>): appends an
    /// index of the ranges and, as the last 4 bytes, the index's length, so that the objects of a pack
    /// can be listed even after some of them were trimmed away.
    /// </summary>
    public static void WriteIndex(ByteSink sink, List<(long Offset, int Length)> objects)
    {
        using var index = new ByteSink(16 + 8 * objects.Count);
        index.WriteVarUInt64((ulong)objects.Count);
        foreach (var (offset, length) in objects)
        {
            index.WriteVarUInt64((ulong)offset);
            index.WriteVarUInt64((ulong)length);
        }
        var sealedIndex = Envelope.Seal(Envelope.KindPackIndex, index.WrittenSpan);
        sink.WriteBytes(sealedIndex);
        sink.WriteFixed32((uint)sealedIndex.Length);
    }

    /// <summary>The objects of a pack, from its index; a damaged index is a <see cref="CorruptionException"/>.</summary>
    public static List<(long Offset, int Length)> Objects(string key, byte[] pack)
    {
        if (pack.Length < 4) throw new CorruptionException(key, "a pack ends with its index length");
        long indexLength = BinaryPrimitives.ReadUInt32LittleEndian(pack.AsSpan(pack.Length - 4));
        if (indexLength > pack.Length - 4) throw new CorruptionException(key, "its index length is out of range");
        var payload = Envelope.Open(pack.AsSpan((int)(pack.Length - 4 - indexLength), (int)indexLength), key, Envelope.KindPackIndex);
        var source = new ByteSource(payload);
        try
        {
            int count = source.ReadCount(2);
            var objects = new List<(long, int)>(count);
            for (int i = 0; i < count; i++) objects.Add(((long)source.ReadVarUInt64(), (int)source.ReadVarUInt64()));
            return objects;
        }
        catch (MalformedDataException e)
        {
            throw Envelope.Corrupt(key, e.Message);
        }
    }
}
