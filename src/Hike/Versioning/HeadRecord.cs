using System.Buffers.Binary;
using Hike.Index;

namespace Hike.Versioning;

/// <summary>
/// A branch head as stored: the newest commit (id and record address) and the commit before it, to
/// fall back to when the newest one's pack did not reach the disk whole.
/// </summary>
internal readonly record struct HeadRecord(Guid Id, NodeAddress Address, Guid PreviousId, NodeAddress PreviousAddress)
{
    public const int Size = 2 * (16 + 16);

    public byte[] ToBytes()
    {
        var bytes = new byte[Size];
        var span = bytes.AsSpan();
        Id.TryWriteBytes(span);
        BinaryPrimitives.WriteUInt128LittleEndian(span[16..], Address.Value);
        PreviousId.TryWriteBytes(span[32..]);
        BinaryPrimitives.WriteUInt128LittleEndian(span[48..], PreviousAddress.Value);
        return bytes;
    }

    public static HeadRecord Read(ReadOnlySpan<byte> bytes) => new(
        new Guid(bytes[..16]),
        new NodeAddress(BinaryPrimitives.ReadUInt128LittleEndian(bytes[16..])),
        new Guid(bytes.Slice(32, 16)),
        new NodeAddress(BinaryPrimitives.ReadUInt128LittleEndian(bytes[48..])));
}
