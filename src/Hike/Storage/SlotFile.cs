using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Hike.Storage;

/// <summary>
/// The format of a file that <see cref="FileStore.CompareAndSet"/> updates in place: two slots,
/// each a header (magic, sequence number, length, CRC-32C) and a value. An update writes the slot
/// holding the older value and syncs it (one small write and one fdatasync, instead of a temporary
/// file, an fsync, a rename and a folder fsync); a reader takes the valid slot with the higher
/// sequence number. A slot is written in one write of less than a sector, at a sector boundary, which
/// disks make atomic (PostgreSQL's control file relies on the same): a crash leaves the old slot or
/// the new one, so a slot that is neither empty nor valid is damage, and is reported, never skipped
/// for the older value.
/// </summary>
internal static class SlotFile
{
    /// <summary>Bytes per slot unless a value needs more; a page, so a slot write is one page.</summary>
    public const int DefaultSlotSize = 4096;

    /// <summary>A sector: the most a single aligned write puts on disk all or nothing.</summary>
    private const int AtomicWriteBytes = 512;

    public const int HeaderSize = 24;
    private static readonly byte[] Magic = "HkSlots\u0001"u8.ToArray();

    /// <summary>True when <paramref name="file"/> is in slot format.</summary>
    public static bool IsSlotFile(ReadOnlySpan<byte> file) => file.Length >= 2 * HeaderSize && file.StartsWith(Magic);

    /// <summary>
    /// The newest value of a slot file, its sequence number and slot; null when a slot is damaged (neither
    /// empty nor valid) or none holds a value.
    /// </summary>
    public static (byte[] Value, ulong Sequence, int NewerSlot)? Read(ReadOnlySpan<byte> file)
    {
        int slotSize = file.Length / 2;
        var a = ReadSlot(file[..slotSize], out bool aEmpty);
        var b = ReadSlot(file[slotSize..], out bool bEmpty);
        if ((a is null && !aEmpty) || (b is null && !bEmpty) || (a is null && b is null)) return null;
        if (b is null || (a is not null && a.Value.Sequence > b.Value.Sequence)) return (a!.Value.Value, a.Value.Sequence, 0);
        return (b.Value.Value, b.Value.Sequence, 1);
    }

    /// <summary>The values of the valid slots of a slot file, newest first, skipping damaged ones: for recovery, which must see what survives.</summary>
    public static List<byte[]> ReadValid(ReadOnlySpan<byte> file)
    {
        int slotSize = file.Length / 2;
        var found = new List<(byte[] Value, ulong Sequence)>(2);
        if (ReadSlot(file[..slotSize], out _) is { } a) found.Add(a);
        if (ReadSlot(file[slotSize..], out _) is { } b) found.Add(b);
        return [.. found.OrderByDescending(f => f.Sequence).Select(f => f.Value)];
    }

    /// <summary>Which slots of a slot file hold a valid value, are empty, or are damaged: for reports.</summary>
    public static string Describe(ReadOnlySpan<byte> file)
    {
        int slotSize = file.Length / 2;
        return $"slot 0 {State(file[..slotSize])}, slot 1 {State(file[slotSize..])}";

        static string State(ReadOnlySpan<byte> slot) => ReadSlot(slot, out bool empty) is { } value ? $"holds sequence {value.Sequence}" : empty ? "is empty" : "is damaged";
    }

    /// <summary>A new slot file holding <paramref name="value"/> in its first slot.</summary>
    public static byte[] Create(ReadOnlySpan<byte> value)
    {
        int slotSize = SlotSizeFor(value.Length);
        var file = new byte[2 * slotSize];
        WriteSlot(file.AsSpan(0, slotSize), 1, value);
        return file;
    }

    /// <summary>
    /// Whether <paramref name="value"/> can be written in place into a slot of a file of
    /// <paramref name="fileLength"/> bytes: it fits, and in one sector, so the write cannot tear.
    /// </summary>
    public static bool Fits(long fileLength, int value) => HeaderSize + value <= Math.Min(AtomicWriteBytes, fileLength / 2);

    /// <summary>Writes <paramref name="value"/> as sequence <paramref name="sequence"/> into slot <paramref name="slot"/> of an open slot file, then syncs its data.</summary>
    public static void Update(SafeFileHandle file, string path, long fileLength, int slot, ulong sequence, ReadOnlySpan<byte> value)
    {
        int slotSize = (int)(fileLength / 2);
        var bytes = new byte[HeaderSize + value.Length];
        WriteSlot(bytes, sequence, value);
        RandomAccess.Write(file, bytes, (long)slot * slotSize);
        FileSync.SyncData(file, path);
    }

    private static int SlotSizeFor(int value) => Math.Max(DefaultSlotSize, (HeaderSize + value + DefaultSlotSize - 1) / DefaultSlotSize * DefaultSlotSize);

    private static void WriteSlot(Span<byte> slot, ulong sequence, ReadOnlySpan<byte> value)
    {
        Magic.CopyTo(slot);
        BinaryPrimitives.WriteUInt64LittleEndian(slot[8..], sequence);
        BinaryPrimitives.WriteInt32LittleEndian(slot[16..], value.Length);
        value.CopyTo(slot[HeaderSize..]);
        BinaryPrimitives.WriteUInt32LittleEndian(slot[20..], Checksum(slot[8..20], value));
    }

    private static (byte[] Value, ulong Sequence)? ReadSlot(ReadOnlySpan<byte> slot, out bool empty)
    {
        empty = slot.IndexOfAnyExcept((byte)0) < 0;
        if (slot.Length < HeaderSize || !slot.StartsWith(Magic)) return null;
        ulong sequence = BinaryPrimitives.ReadUInt64LittleEndian(slot[8..]);
        int length = BinaryPrimitives.ReadInt32LittleEndian(slot[16..]);
        if (length < 0 || length > slot.Length - HeaderSize) return null;
        var value = slot.Slice(HeaderSize, length);
        if (BinaryPrimitives.ReadUInt32LittleEndian(slot[20..]) != Checksum(slot[8..20], value)) return null;
        return (value.ToArray(), sequence);
    }

    private static uint Checksum(ReadOnlySpan<byte> header, ReadOnlySpan<byte> value) => Crc32C.Compute(value, Crc32C.Compute(header));
}
