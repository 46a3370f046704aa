using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Hike.Index.Codec;

namespace Hike.FullText;

/// <summary>Bounds-checked LEB128 reads from a segment's bytes (as <see cref="ByteSink"/> writes them), for the search loops.</summary>
internal static class Varint
{
    /// <summary>Reads an unsigned varint of at most 32 bits at <paramref name="pos"/>, before <paramref name="end"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Read32(byte[] data, ref int pos, int end)
    {
        int p = pos;
        if (p < end)
        {
            byte b = data[p];
            if (b < 0x80)
            {
                pos = p + 1;
                return b;
            }
        }
        return Read32Slow(data, ref pos, end);
    }

    private static uint Read32Slow(byte[] data, ref int pos, int end)
    {
        int p = pos;
        uint result = 0;
        for (int shift = 0; ; shift += 7)
        {
            if (p >= end) Throw($"truncated varint at offset {pos}");
            byte b = data[p++];
            if (shift == 28 && b > 0x0F) Throw($"varint at offset {pos} overflows 32 bits");
            result |= (uint)(b & 0x7F) << shift;
            if (b < 0x80) break;
        }
        pos = p;
        return result;
    }

    [DoesNotReturn]
    public static void Throw(string message) => throw new MalformedDataException("full-text segment: " + message);
}
