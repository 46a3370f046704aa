using System.Buffers.Binary;
using Hike.Db;

namespace Hike.Versioning;

/// <summary>
/// Commit ids: version 7 UUIDs (time-ordered, 74 random bits), each sorting after its parents'. Two
/// commits made on one parent in the same millisecond (two branches) still get distinct ids.
/// </summary>
internal static class CommitIds
{
    /// <summary>A fresh id that sorts after <paramref name="previous"/> (the newest of its parents).</summary>
    public static Guid Next(Guid? previous)
    {
        var id = Guid.CreateVersion7();
        if (previous is not { } parent || Compare(id, parent) > 0) return id;
        // Same millisecond with a lower random part, or a parent stamped ahead of this clock: keep the
        // fresh random bits under the parent's time plus one millisecond, so the id stays unique and sorts after it.
        Span<byte> bytes = stackalloc byte[16];
        Span<byte> stamp = stackalloc byte[16];
        parent.TryWriteBytes(stamp, bigEndian: true, out _);
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        // The first 48 bits are the milliseconds.
        ulong millis = (BinaryPrimitives.ReadUInt64BigEndian(stamp) >> 16) + 1;
        BinaryPrimitives.WriteUInt64BigEndian(stamp, millis << 16);
        stamp[..6].CopyTo(bytes);
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

    /// <summary>A new commit on <paramref name="parents"/>, made now; its id sorts after all of theirs.</summary>
    public static CommitInfo NewCommit(IReadOnlyList<CommitInfo> parents)
    {
        Guid? newest = null;
        foreach (var parent in parents)
        {
            if (newest is null || Compare(parent.Id, newest.Value) > 0) newest = parent.Id;
        }
        return new CommitInfo(Next(newest), [.. parents.Select(p => p.Id)], DateTime.UtcNow)
        {
            ParentAddresses = parents.All(p => p.Address.IsStored) ? [.. parents.Select(p => p.Address)] : [],
        };
    }
}
