using Hike.Api;
using Hike.Storage;
using Hike.Storage.S3;
using Xunit.Abstractions;

namespace Hike.Tests.Stores;

/// <summary>
/// The store contract on the <c>:s3</c> backend with <c>:fencing :none</c>, against s3rver, which
/// ignores conditional writes: compare-and-set reads, compares and writes, atomic among this process's
/// stores only, and the writer lease is a plain PUT.
/// </summary>
public sealed class S3UnfencedStoreTests(ITestOutputHelper output) : Hike.Tests.Storage.KeyValueStoreContract(output)
{
    private readonly DatabaseConfig _config = Servers.S3(Servers.UniqueId(), ":fencing :none");

    private protected override IKeyValueStore Open() => StoreBackends.Locate(_config.Store).Open();

    public override void Dispose()
    {
        Servers.EmptyStore(_config);
        base.Dispose();
    }

    [Fact]
    public void The_whole_store_is_in_the_bucket_and_its_lease_is_never_listed()
    {
        Store.Put("config", Bytes("c"));
        using (Store.AcquireWriterLock())
        {
            Assert.Equal(["config"], Store.List(""));
        }
        Assert.IsType<S3Store>(Store);
        Assert.False(Store.AppendsInPlace);
    }

    [Fact]
    public void Emptying_the_store_and_vacating_it_leaves_no_object_under_its_prefix()
    {
        using (Store.AcquireWriterLock()) Store.Put("config", Bytes("c"));
        Store.Delete("config");
        var location = StoreBackends.Locate(_config.Store);

        location.Vacate(Store, []);

        Assert.False(location.MayExist());
    }
}
