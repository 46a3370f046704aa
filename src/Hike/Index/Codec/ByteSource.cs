using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Hike.Index.Tree;

namespace Hike.Index.Codec;

/// <summary>
/// Reads what <see cref="ByteSink"/> wrote, from a span. Every read is bounds-checked: input that is
/// too short or malformed raises <see cref="MalformedDataException"/>, never an
/// <see cref="IndexOutOfRangeException"/> or an overflow, and lengths read from the input are checked
/// against the bytes that remain before anything is allocated for them, so a corrupt length cannot
/// make a reader allocate more than a small multiple of the input's size.
/// </summary>
internal ref struct ByteSource
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    /// <summary>Starts reading at the first byte of <paramref name="data"/>.</summary>
    public ByteSource(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    /// <summary>Offset of the next byte to read.</summary>
    public readonly int Position => _position;

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _data.Length - _position;

    /// <summary>True when every byte has been read.</summary>
    public readonly bool IsEnd => _position == _data.Length;

    /// <summary>Reads one byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte ReadByte()
    {
        int p = _position;
        if ((uint)p >= (uint)_data.Length) ThrowTruncated(1);
        _position = p + 1;
        return _data[p];
    }

    /// <summary>The next byte, without reading it.</summary>
    public readonly byte PeekByte()
    {
        if ((uint)_position >= (uint)_data.Length) ThrowTruncated(1);
        return _data[_position];
    }

    /// <summary>Reads an unsigned LEB128 varint (see <see cref="ByteSink.WriteVarUInt64"/>); more than 64 bits is malformed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadVarUInt64()
    {
        var data = _data;
        int p = _position;
        if ((uint)p < (uint)data.Length && data[p] < 0x80)
        {
            _position = p + 1;
            return data[p];
        }
        return ReadVarUInt64Slow();
    }

    /// <summary>Reads a zigzag varint (see <see cref="ByteSink.WriteVarInt64"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long ReadVarInt64()
    {
        ulong u = ReadVarUInt64();
        return (long)(u >> 1) ^ -(long)(u & 1);
    }

    /// <summary>Reads a varint that must fit in 32 bits unsigned.</summary>
    public uint ReadVarUInt32()
    {
        ulong u = ReadVarUInt64();
        if (u > uint.MaxValue) throw Malformed($"value {u} at offset {_position} does not fit in 32 bits");
        return (uint)u;
    }

    /// <summary>
    /// Reads a varint count of items that each take at least <paramref name="minBytesPerItem"/> bytes
    /// (at least 1) and checks that that many bytes remain, so the caller may allocate for the count.
    /// </summary>
    public int ReadCount(int minBytesPerItem)
    {
        int at = _position;
        ulong count = ReadVarUInt64();
        if (count > (ulong)Remaining / (ulong)Math.Max(minBytesPerItem, 1))
        {
            throw Malformed($"count {count} at offset {at} is more than the {Remaining} bytes left can hold");
        }
        return (int)count;
    }

    /// <summary>Reads 4 bytes, little-endian.</summary>
    public uint ReadFixed32() => BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4));

    /// <summary>Reads 8 bytes, little-endian.</summary>
    public ulong ReadFixed64() => BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8));

    /// <summary>The next <paramref name="count"/> bytes, without copying.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        int p = _position;
        if ((uint)count > (uint)(_data.Length - p)) ThrowTruncated(count);
        _position = p + count;
        return _data.Slice(p, count);
    }

    /// <summary>A <see cref="MalformedDataException"/> for a problem at the current position.</summary>
    public readonly MalformedDataException Malformed(string message) => new(message);

    private ulong ReadVarUInt64Slow()
    {
        var data = _data;
        int p = _position;
        ulong result = 0;
        for (int shift = 0; ; shift += 7)
        {
            if ((uint)p >= (uint)data.Length) ThrowTruncated(1);
            byte b = data[p++];
            // The tenth byte holds only bit 63: anything more overflows 64 bits.
            if (shift == 63 && b > 1) throw Malformed($"varint at offset {_position} overflows 64 bits");
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) break;
        }
        _position = p;
        return result;
    }

    [DoesNotReturn]
    private readonly void ThrowTruncated(int needed) =>
        throw new MalformedDataException($"truncated: needed {needed} byte(s) at offset {_position}, {Remaining} left");
}
