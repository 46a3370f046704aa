using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Hike.Index.Codec;

/// <summary>
/// A growable byte buffer the codecs write into, little-endian throughout. The array is rented from
/// <see cref="ArrayPool{T}.Shared"/> and returned by <see cref="Dispose"/>, so encoding a node allocates
/// only its final, exact-size result. Not thread-safe: one encoder owns a sink; do not use it after
/// <see cref="Dispose"/>.
/// </summary>
internal sealed class ByteSink : IDisposable
{
    /// <summary>The most bytes a LEB128 varint of 64 bits takes.</summary>
    public const int MaxVarIntLength = 10;

    private byte[] _buffer;
    private int _length;

    /// <summary>Creates an empty sink with room for at least <paramref name="initialCapacity"/> bytes.</summary>
    public ByteSink(int initialCapacity = 256)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 16));
    }

    /// <summary>Number of bytes written so far.</summary>
    public int Length => _length;

    /// <summary>The bytes written so far. Valid until the next write or <see cref="Dispose"/>.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>A copy of the bytes written so far. O(n).</summary>
    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>Bytes already written, to fill in a header once what follows it is known.</summary>
    public Span<byte> Written(int start, int length) => _buffer.AsSpan(start, length);

    /// <summary>Forgets every byte written after the first <paramref name="length"/>, so an encoder can retry a value in another form.</summary>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, _length);
        _length = length;
    }

    /// <summary>Writes one byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteByte(byte value)
    {
        if (_length == _buffer.Length) Grow(1);
        _buffer[_length++] = value;
    }

    /// <summary>Writes <paramref name="value"/> as an unsigned LEB128 varint: 7 bits a byte, low bits first, 1 to 10 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteVarUInt64(ulong value)
    {
        if (_buffer.Length - _length < MaxVarIntLength) Grow(MaxVarIntLength);
        var buffer = _buffer;
        int i = _length;
        while (value >= 0x80)
        {
            buffer[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        buffer[i++] = (byte)value;
        _length = i;
    }

    /// <summary>
    /// Writes <paramref name="value"/> zigzag-encoded (0, -1, 1, -2, ... become 0, 1, 2, 3, ...) as a
    /// varint, so small negative numbers stay short.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteVarInt64(long value) => WriteVarUInt64((ulong)((value << 1) ^ (value >> 63)));

    /// <summary>Writes 4 bytes, little-endian.</summary>
    public void WriteFixed32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(GetSpan(4), value);
        _length += 4;
    }

    /// <summary>Writes 8 bytes, little-endian.</summary>
    public void WriteFixed64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(GetSpan(8), value);
        _length += 8;
    }

    /// <summary>Writes <paramref name="bytes"/> as they are (no length prefix).</summary>
    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _length += bytes.Length;
    }

    /// <summary>
    /// At least <paramref name="sizeHint"/> writable bytes after the written ones; call
    /// <see cref="Advance"/> with the number actually written.
    /// </summary>
    public Span<byte> GetSpan(int sizeHint)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeHint);
        if (_buffer.Length - _length < sizeHint) Grow(sizeHint);
        return _buffer.AsSpan(_length);
    }

    /// <summary>Marks <paramref name="count"/> bytes of the last <see cref="GetSpan"/> as written.</summary>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _length);
        _length += count;
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int needed)
    {
        long wanted = Math.Max((long)_length + needed, 2L * _buffer.Length);
        if ((long)_length + needed > Array.MaxLength) throw new InvalidOperationException($"An encoded object cannot exceed {Array.MaxLength} bytes");
        var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(wanted, Array.MaxLength));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        var old = _buffer;
        _buffer = bigger;
        if (old.Length > 0) ArrayPool<byte>.Shared.Return(old);
    }
}
