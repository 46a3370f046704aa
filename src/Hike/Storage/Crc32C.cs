using System.Buffers.Binary;
using System.Numerics;

namespace Hike.Storage;

/// <summary>CRC-32C (Castagnoli), hardware-accelerated where the CPU has it: the checksum of every stored object.</summary>
internal static class Crc32C
{
    /// <summary>The checksum of <paramref name="data"/>; pass a previous result as <paramref name="previous"/> to checksum several spans as one.</summary>
    public static uint Compute(ReadOnlySpan<byte> data, uint previous = 0)
    {
        uint crc = ~previous;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        if (data.Length >= 4)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt32LittleEndian(data));
            data = data[4..];
        }
        foreach (byte b in data) crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }
}
