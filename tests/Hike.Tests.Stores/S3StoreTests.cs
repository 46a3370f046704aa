using Amazon.S3.Model;
using Hike.Api;
using Hike.Index.Stored;
using Hike.Storage;
using Hike.Storage.S3;
using Xunit.Abstractions;

namespace Hike.Tests.Stores;

/// <summary>
/// The store contract on the <c>:s3</c> backend against a real S3 server (s3rver), which cannot
/// compare-and-set: the packs in the bucket, everything else and the writer lease in a PostgreSQL head
/// store. Each test has a prefix (<c>:id</c>) and a head table of its own.
/// </summary>
public sealed class S3StoreTests(ITestOutputHelper output) : Hike.Tests.Storage.KeyValueStoreContract(output)
{
    private readonly DatabaseConfig _config = Servers.S3WithPostgresHeads(Servers.UniqueId());

    private protected override IKeyValueStore Open() => StoreBackends.Locate(_config.Store).Open();

    public override void Dispose()
    {
        Servers.EmptyStore(_config);
        base.Dispose();
    }

    [Fact]
    public void Packs_live_in_the_bucket_and_the_rest_in_the_head_store()
    {
        Store.Put("packs/00000000000000a1", Bytes("pack"));
        Store.CompareAndSet("heads/db", default, expectAbsent: true, Bytes("c1"));
        var split = Assert.IsType<SplitStore>(Store);

        Assert.Equal(["packs/00000000000000a1"], split.Objects.List(""));
        Assert.Equal(["heads/db"], split.Records.List(""));
        Assert.IsType<SqlTableStore>(split.Records);
        Assert.False(Store.AppendsInPlace);
    }

    [Fact]
    public void A_value_over_the_multipart_threshold_is_uploaded_in_parts_and_reads_back_whole()
    {
        var location = (S3StoreLocation)StoreBackends.Locate(_config.Store);
        using var store = location.Open(settings => settings with { MultipartThreshold = 4096 });
        var objects = (S3Store)((SplitStore)store).Objects;
        int parts = 0;
        ((Amazon.Runtime.AmazonServiceClient)objects.Client).BeforeRequestEvent += (_, e) =>
        {
            if (e is Amazon.Runtime.WebServiceRequestEventArgs { Request: UploadPartRequest }) Interlocked.Increment(ref parts);
        };
        var pack = new byte[10_000];
        new Random(16).NextBytes(pack);

        store.Put("packs/00000000000000b1", pack);

        Assert.Equal(3, parts);
        Assert.Equal(pack, store.Get("packs/00000000000000b1"));
        Assert.Equal(pack.AsSpan(4000, 200).ToArray(), store.GetRange("packs/00000000000000b1", 4000, 200));
        Assert.Equal(pack.AsSpan(9990).ToArray(), store.GetRange("packs/00000000000000b1", 9990, 100));
    }

    [Fact]
    public void Listing_pages_through_more_keys_than_one_page_holds()
    {
        var location = (S3StoreLocation)StoreBackends.Locate(_config.Store);
        using var store = location.Open(settings => settings with { ListPageSize = 3 });
        var keys = Enumerable.Range(1, 10).Select(i => Packs.Key((ulong)i)).ToList();
        foreach (var key in keys) store.Put(key, Bytes(key));

        Assert.Equal(keys, store.List("packs/").Order(StringComparer.Ordinal));
    }
}
