using System.Buffers.Binary;

namespace Hike.Versioning;

/// <summary>Commit ids: version 7 UUIDs (time-ordered), strictly increasing along a branch even within one millisecond.</summary>
internal static class CommitIds
{
    /// <summary>A fresh id that sorts after <paramref name="previous"/> (its parent).</summary>
    public static Guid Next(Guid? previous)
    {
        var id = Guid.CreateVersion7();
        if (previous is not { } parent || Compare(id, parent) > 0) return id;
        // Same millisecond, and the random part came out lower: count up from the parent instead.
        Span<byte> bytes = stackalloc byte[16];
        parent.TryWriteBytes(bytes, bigEndian: true, out _);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]) + 1);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>Orders ids as their text does (and so by time for version 7).</summary>
    public static int Compare(Guid x, Guid y)
    {
        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        x.TryWriteBytes(a, bigEndian: true, out _);
        y.TryWriteBytes(b, bigEndian: true, out _);
        return a.SequenceCompareTo(b);
    }
}
