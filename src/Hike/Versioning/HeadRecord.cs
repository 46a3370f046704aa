using System.Buffers.Binary;
using Hike.Index;

namespace Hike.Versioning;

/// <summary>
/// A branch head as stored: the newest commit (id and record address), where its pack starts (to check
/// the pack is whole), and the commit before it (to fall back to when it is not).
/// </summary>
internal readonly record struct HeadRecord(Guid Id, NodeAddress Address, long PackStart, Guid PreviousId, NodeAddress PreviousAddress)
{
    public const int Size = 16 + 16 + 8 + 16 + 16;

    public byte[] ToBytes()
    {
        var bytes = new byte[Size];
        var span = bytes.AsSpan();
        Id.TryWriteBytes(span);
        BinaryPrimitives.WriteUInt128LittleEndian(span[16..], Address.Value);
        BinaryPrimitives.WriteInt64LittleEndian(span[32..], PackStart);
        PreviousId.TryWriteBytes(span[40..]);
        BinaryPrimitives.WriteUInt128LittleEndian(span[56..], PreviousAddress.Value);
        return bytes;
    }

    public static HeadRecord Read(ReadOnlySpan<byte> bytes) => new(
        new Guid(bytes[..16]),
        new NodeAddress(BinaryPrimitives.ReadUInt128LittleEndian(bytes[16..])),
        BinaryPrimitives.ReadInt64LittleEndian(bytes[32..]),
        new Guid(bytes.Slice(40, 16)),
        new NodeAddress(BinaryPrimitives.ReadUInt128LittleEndian(bytes[56..])));
}
