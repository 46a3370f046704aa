using Hike.Versioning;

namespace Hike.Tests.Versioning;

public sealed class CommitIdsTests
{
    [Fact]
    public void Children_of_one_parent_made_in_the_same_millisecond_get_distinct_ids_after_it()
    {
        // A parent stamped a second ahead of the clock forces every child onto the fallback path.
        var parent = Ahead(Guid.CreateVersion7(), seconds: 1);
        var children = Enumerable.Range(0, 10_000).Select(_ => CommitIds.Next(parent)).ToList();
        Assert.Equal(children.Count, children.Distinct().Count());
        Assert.All(children, c => Assert.True(CommitIds.Compare(c, parent) > 0));
        Assert.All(children, c => Assert.Equal(7, c.Version));
    }

    [Fact]
    public void A_chain_of_commits_made_faster_than_the_clock_ticks_strictly_increases()
    {
        var ids = new List<Guid>();
        Guid? previous = null;
        for (int i = 0; i < 20_000; i++)
        {
            var id = CommitIds.Next(previous);
            if (previous is { } p) Assert.True(CommitIds.Compare(id, p) > 0);
            ids.Add(id);
            previous = id;
        }
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    private static Guid Ahead(Guid id, int seconds)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        Span<byte> stamp = stackalloc byte[8];
        bytes[..6].CopyTo(stamp[2..]);
        ulong millis = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(stamp) + (ulong)(seconds * 1000);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(stamp, millis);
        stamp[2..].CopyTo(bytes);
        return new Guid(bytes, bigEndian: true);
    }
}
