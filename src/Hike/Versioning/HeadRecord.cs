using System.Buffers.Binary;
using Hike.Index.Tree;

namespace Hike.Versioning;

/// <summary>
/// A branch head as stored: the newest commit (id and record address) and the commit before it; and,
/// when the head was written by the commit itself, where the commit's pack starts and ends in its
/// segment (the segment's length when the commit was acknowledged), so opening checks that very pack
/// without reading its index. Both 0 when the head was pointed at a commit already durable (a branch
/// created, forced or recovered). A head may carry its commit record (the same envelope as the object
/// at <see cref="Address"/>), so that a reader over a network learns the commit's schema and index
/// chunks with the head, one round trip sooner (format 3; written to stores whose reads are round trips).
/// </summary>
internal readonly record struct HeadRecord(Guid Id, NodeAddress Address, Guid PreviousId, NodeAddress PreviousAddress, long PackStart = 0, long PackEnd = 0, byte[]? Record = null)
{
    /// <summary>Bytes of a head written by format 1, without the pack's bounds.</summary>
    public const int LegacySize = 2 * (16 + 16);

    public const int Size = LegacySize + 16;

    /// <summary>Whether the head records its commit's pack (it was written by that commit).</summary>
    public bool RecordsPack => PackEnd > PackStart;

    public byte[] ToBytes()
    {
        var bytes = new byte[Size + (Record?.Length ?? 0)];
        var span = bytes.AsSpan();
        Id.TryWriteBytes(span);
        BinaryPrimitives.WriteUInt128LittleEndian(span[16..], Address.Value);
        PreviousId.TryWriteBytes(span[32..]);
        BinaryPrimitives.WriteUInt128LittleEndian(span[48..], PreviousAddress.Value);
        BinaryPrimitives.WriteInt64LittleEndian(span[64..], PackStart);
        BinaryPrimitives.WriteInt64LittleEndian(span[72..], PackEnd);
        Record?.CopyTo(span[Size..]);
        return bytes;
    }

    /// <summary>
    /// Reads a head of any format; null when <paramref name="bytes"/> has none's length, or what follows
    /// the head's fields is not a commit record's envelope (its checksum is checked where it is opened).
    /// </summary>
    public static HeadRecord? Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != LegacySize && bytes.Length < Size) return null;
        var head = new HeadRecord(
            new Guid(bytes[..16]),
            new NodeAddress(BinaryPrimitives.ReadUInt128LittleEndian(bytes[16..])),
            new Guid(bytes.Slice(32, 16)),
            new NodeAddress(BinaryPrimitives.ReadUInt128LittleEndian(bytes[48..])));
        if (bytes.Length == LegacySize) return head;
        long start = BinaryPrimitives.ReadInt64LittleEndian(bytes[64..]);
        long end = BinaryPrimitives.ReadInt64LittleEndian(bytes[72..]);
        if (start < 0 || end < 0) return null;
        head = head with { PackStart = start, PackEnd = end };
        if (bytes.Length == Size) return head;
        var record = bytes[Size..];
        return Index.Codec.Envelope.LooksLike(record, Index.Codec.Envelope.KindCommit) ? head with { Record = record.ToArray() } : null;
    }

    /// <summary>A head naming <paramref name="commit"/>, with <paramref name="packStart"/> and <paramref name="packEnd"/> when it is written with its pack.</summary>
    public static HeadRecord Of(Db.CommitInfo commit, long packStart = 0, long packEnd = 0, byte[]? record = null) => new(
        commit.Id,
        commit.Address,
        commit.Parents.Count > 0 ? commit.Parents[0] : Guid.Empty,
        commit.ParentAddresses.Count > 0 ? commit.ParentAddresses[0] : default,
        packStart,
        packEnd,
        record);
}
