using Hike.Storage;
using Hike.Testing;
using Xunit.Abstractions;

namespace Hike.Tests.Storage;

/// <summary>The store contract on a <see cref="SplitStore"/> of two memory stores, and where each key goes.</summary>
public sealed class SplitStoreTests(ITestOutputHelper output) : KeyValueStoreContract(output)
{
    private readonly MemoryStore _objects = new(appendsInPlace: false);
    private readonly MemoryStore _records = new();

    /// <summary>Memory has nothing to reopen: every "reopening" is a split over the same two stores.</summary>
    private protected override IKeyValueStore Open() => new SplitStore(_objects, _records, "packs/", "The split store");

    [Fact]
    public void Keys_under_the_object_prefix_go_to_the_objects_store_and_the_rest_to_the_records_store()
    {
        Store.Put("packs/00000000000000a1", Bytes("pack"));
        Store.Append("packs/00000000000000a2", Bytes("p2"));
        Store.Put("config", Bytes("c"));
        Store.CompareAndSet("heads/db", default, expectAbsent: true, Bytes("h"));
        Store.Put("packsx", Bytes("not a pack"));

        Assert.Equal(["packs/00000000000000a1", "packs/00000000000000a2"], _objects.List("").Order());
        Assert.Equal(["config", "heads/db", "packsx"], _records.List("").Order());
        Assert.Equal(["config", "heads/db", "packs/00000000000000a1", "packs/00000000000000a2", "packsx"], Store.List("").Order());
        Assert.Equal(["packs/00000000000000a1", "packs/00000000000000a2", "packsx"], Store.List("pa").Order());
        Assert.Equal(["packs/00000000000000a2"], Store.List("packs/00000000000000a2"));
        Assert.Equal(["heads/db"], Store.List("heads/"));
    }

    [Fact]
    public void A_stray_key_in_the_wrong_store_is_not_listed()
    {
        _records.Put("packs/0000000000000001", Bytes("stray"));
        _objects.Put("heads/db", Bytes("stray"));

        Assert.Empty(Store.List(""));
        Assert.Null(Store.Get("packs/0000000000000001"));
    }

    [Fact]
    public void The_writer_lock_is_the_records_store_s_and_appending_in_place_the_objects_store_s()
    {
        using (Store.AcquireWriterLock())
        {
            Assert.Equal("db/writer-locked", Assert.Throws<HikeException>(() => _records.AcquireWriterLock()).Code);
            Assert.Equal("The split store is locked: another writer holds it", Assert.Throws<HikeException>(() => Store.AcquireWriterLock()).Message);
            using (_objects.AcquireWriterLock())
            {
            }
        }
        Assert.False(Store.AppendsInPlace);
    }

    [Fact]
    public void The_object_prefix_must_be_whole_segments()
    {
        Assert.Throws<ArgumentException>(() => new SplitStore(_objects, _records, "packs", "s"));
        Assert.Throws<ArgumentException>(() => new SplitStore(_objects, _records, "Packs/", "s"));
    }
}
