using System.Text;
using Hike.Storage;
using Hike.Testing;
using Hike.Tests.Durability;

namespace Hike.Tests.Storage;

/// <summary>A fast store in front of a durable one: immutable objects from the front, everything else from the back.</summary>
public sealed class TieredStoreTests
{
    private readonly MemoryStore _front = new();
    private readonly CountingStore _back = new(new MemoryStore(appendsInPlace: false));

    [Fact]
    public void A_pack_is_read_from_the_back_once_and_then_from_the_front()
    {
        _back.Put("packs/1", Bytes("0123456789"));
        using var tiered = Tiered(writeThrough: true);

        var first = tiered.GetRange("packs/1", 2, 3);
        int reads = _back.Gets;
        var second = tiered.GetRange("packs/1", 5, 5);

        Assert.Equal("234", Text(first));
        Assert.Equal("56789", Text(second));
        Assert.Equal(reads, _back.Gets);
        Assert.Equal("0123456789", Text(_front.Get("packs/1")));
    }

    [Fact]
    public void Heads_and_every_other_mutable_key_come_from_the_back_and_never_enter_the_front()
    {
        using var tiered = Tiered(writeThrough: true);
        Assert.True(tiered.CompareAndSet("heads/db", default, expectAbsent: true, Bytes("c1")));
        // Another writer moves the head in the back.
        Assert.True(_back.CompareAndSet("heads/db", Bytes("c1"), expectAbsent: false, Bytes("c2")));

        Assert.Equal("c2", Text(tiered.Get("heads/db")));
        Assert.Null(_front.Get("heads/db"));
        tiered.Put("branches", Bytes("b"));
        Assert.Null(_front.Get("branches"));
        Assert.Equal(["branches", "heads/db"], tiered.List("").Order());
    }

    [Fact]
    public void Write_through_puts_new_packs_in_the_front_and_write_around_leaves_them_to_the_first_read()
    {
        using (var through = Tiered(writeThrough: true))
        {
            Assert.Equal(0, through.Append("packs/1", Bytes("abc")));
            Assert.Equal("abc", Text(_front.Get("packs/1")));
        }
        using var around = Tiered(writeThrough: false);
        around.Append("packs/2", Bytes("xyz"));
        Assert.Null(_front.Get("packs/2"));
        Assert.Equal("yz", Text(around.GetRange("packs/2", 1, 2)));
        Assert.Equal("xyz", Text(_front.Get("packs/2")));
    }

    [Fact]
    public void A_front_copy_that_is_a_prefix_of_a_grown_segment_serves_only_what_it_holds()
    {
        var back = new MemoryStore();
        using var tiered = new TieredStore(_front, back, key => key.StartsWith("packs/", StringComparison.Ordinal), writeThrough: false);
        back.Append("packs/1", Bytes("01234"));
        Assert.Equal("01", Text(tiered.GetRange("packs/1", 0, 2)));
        back.Append("packs/1", Bytes("56789"));

        Assert.Equal("678", Text(tiered.GetRange("packs/1", 6, 3)));
        Assert.Equal("0123456789", Text(_front.Get("packs/1")));
        Assert.Equal(10L, tiered.Size("packs/1"));
    }

    [Fact]
    public void Warming_up_copies_the_packs_the_front_lacks_or_has_part_of_and_nothing_else()
    {
        _back.Put("packs/1", Bytes("one"));
        _back.Put("packs/2", Bytes("two"));
        _back.Put("config", Bytes("c"));
        _front.Put("packs/1", Bytes("one"));
        using var tiered = Tiered(writeThrough: true);

        int copied = tiered.WarmUp(["packs/1", "packs/2", "config"], CancellationToken.None);

        Assert.Equal(1, copied);
        Assert.Equal("two", Text(_front.Get("packs/2")));
        Assert.Null(_front.Get("config"));
    }

    private TieredStore Tiered(bool writeThrough) =>
        new(new UnownedStore(_front), new UnownedStore(_back), key => key.StartsWith("packs/", StringComparison.Ordinal), writeThrough);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(byte[]? bytes) => bytes is null ? "<null>" : Encoding.UTF8.GetString(bytes);
}
