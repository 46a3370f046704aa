using Hike.Index.Stored;
using Hike.Index.Tree;


namespace Hike.Tests.Index.Stored;

public sealed class LargeValueRegistryTests
{
    private const ulong Segment = 0x1000;

    [Fact]
    public void An_address_keeps_its_identity_whatever_its_value_refs_hint_says()
    {
        var plain = Packs.Address(Segment, 4096, 300);
        var hinted = plain.WithValueRefs();
        Assert.True(hinted.HoldsValueRefs);
        Assert.False(plain.HoldsValueRefs);
        Assert.Equal(plain, hinted);
        Assert.Equal(plain.GetHashCode(), hinted.GetHashCode());
        Assert.Equal(Packs.Locate(plain), Packs.Locate(hinted));
        Assert.Equal(plain.ToString(), hinted.ToString());
        Assert.Contains(hinted, new HashSet<NodeAddress> { plain });
    }

    [Fact]
    public void A_stored_instance_is_reused_and_an_equal_copy_is_not()
    {
        var value = new string('v', 2_000);
        var address = Packs.Address(Segment, 12, 2_020);
        var registry = Written((value, address));
        Assert.True(registry.TryReuse(value, out var reused));
        Assert.Equal(address, reused);
        Assert.False(registry.TryReuse(new string('v', 2_000), out _));
        Assert.False(registry.TryReuse(42L, out _));
    }

    [Fact]
    public void What_an_abandoned_pack_stored_is_forgotten()
    {
        var kept = new string('k', 2_000);
        var lost = new string('l', 2_000);
        var registry = Written((kept, Packs.Address(Segment, 12, 2_020)));
        registry.AddStored(lost, Packs.Address(Segment, 5_000, 2_020));
        registry.Abandoned();
        Assert.True(registry.TryReuse(kept, out _));
        Assert.False(registry.TryReuse(lost, out _));
        Assert.False(registry.Contains(lost));
    }

    [Fact]
    public void A_collection_drops_what_it_deletes_and_keeps_what_the_writer_referred_to_while_it_marked()
    {
        var live = new string('a', 2_000);
        var dead = new string('b', 2_000);
        var reusedMeanwhile = new string('c', 2_000);
        var liveAddress = Packs.Address(Segment, 12, 2_020);
        var deadAddress = Packs.Address(Segment, 3_000, 2_020);
        var reusedAddress = Packs.Address(Segment, 6_000, 2_020);
        var registry = Written((live, liveAddress), (dead, deadAddress), (reusedMeanwhile, reusedAddress));

        registry.BeginCollection(Segment, 10_000);
        // The writer refers to a value no retained commit reaches yet: the collection must keep it.
        Assert.True(registry.TryReuse(reusedMeanwhile, out _));
        var marked = new HashSet<NodeAddress> { liveAddress };
        registry.EndMarking(marked);

        Assert.Equal([liveAddress, reusedAddress], marked.OrderBy(a => a.Value));
        Assert.True(registry.TryReuse(live, out _));
        Assert.True(registry.TryReuse(reusedMeanwhile, out _));
        Assert.False(registry.TryReuse(dead, out _));

        // A reader resolving the deleted object (an old snapshot) does not register it again; an object
        // written after the collection began, in the same segment or a new one, does register.
        registry.AddRead(dead, deadAddress);
        Assert.False(registry.TryReuse(dead, out _));
        var later = new string('d', 2_000);
        registry.AddRead(later, Packs.Address(Segment, 10_000, 2_020));
        Assert.True(registry.TryReuse(later, out _));
        registry.SegmentStarted(Segment + 1);
        var inNewSegment = new string('e', 2_000);
        registry.AddRead(inNewSegment, Packs.Address(Segment + 1, 12, 2_020));
        Assert.True(registry.TryReuse(inNewSegment, out _));
    }

    [Fact]
    public void A_reference_handed_out_by_a_commit_not_yet_written_counts_for_a_collection_that_begins_before_it_is()
    {
        var value = new string('p', 2_000);
        var address = Packs.Address(Segment, 12, 2_020);
        var registry = Written((value, address));
        // Prepared (the reference handed out), then the collection's snapshot, then written.
        Assert.True(registry.TryReuse(value, out _));
        registry.BeginCollection(Segment, 10_000);
        registry.Persisted();
        var marked = new HashSet<NodeAddress>();
        registry.EndMarking(marked);
        Assert.Equal([address], marked);
        Assert.True(registry.TryReuse(value, out _));
    }

    [Fact]
    public void A_collection_that_fails_while_marking_stops_tracking_references()
    {
        var value = new string('f', 2_000);
        var address = Packs.Address(Segment, 12, 2_020);
        var registry = Written((value, address));
        registry.BeginCollection(Segment, 10_000);
        registry.AbandonMarking();
        // Handed out and written between two collections: the next one finds it by marking, not by tracking.
        Assert.True(registry.TryReuse(value, out _));
        registry.Persisted();
        registry.BeginCollection(Segment, 10_000);
        var marked = new HashSet<NodeAddress>();
        registry.EndMarking(marked);
        Assert.Empty(marked);
        Assert.False(registry.TryReuse(value, out _));
    }

    /// <summary>A registry that knows <paramref name="values"/> from a pack that was sealed and written.</summary>
    private static LargeValueRegistry Written(params (object Value, NodeAddress Address)[] values)
    {
        var registry = new LargeValueRegistry();
        foreach (var (value, address) in values) registry.AddStored(value, address);
        registry.Sealed();
        registry.Persisted();
        return registry;
    }
}
