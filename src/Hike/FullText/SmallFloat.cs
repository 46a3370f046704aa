namespace Hike.FullText;

/// <summary>
/// Lucene's 8-bit float (<c>SmallFloat</c> with 3 mantissa bits and exponent zero point 15), which
/// BM25 uses to keep one byte of length per document. Written here rather than called so the norm a
/// segment stores never depends on a library's internals; tests check it against Lucene.Net's.
/// </summary>
internal static class SmallFloat
{
    /// <summary>Lucene's <c>floatToByte315</c>: rounds down to 3 mantissa bits; underflow to 0 or 1, overflow to 255.</summary>
    public static byte FloatToByte315(float f)
    {
        int bits = BitConverter.SingleToInt32Bits(f);
        int smallFloat = bits >> (24 - 3);
        if (smallFloat <= ((63 - 15) << 3)) return bits <= 0 ? (byte)0 : (byte)1;
        if (smallFloat >= ((63 - 15) << 3) + 0x100) return 255;
        return (byte)(smallFloat - ((63 - 15) << 3));
    }

    /// <summary>Lucene's <c>byte315ToFloat</c>.</summary>
    public static float Byte315ToFloat(byte b)
    {
        if (b == 0) return 0f;
        int bits = b << (24 - 3);
        bits += (63 - 15) << 24;
        return BitConverter.Int32BitsToSingle(bits);
    }
}
