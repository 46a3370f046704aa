using System.Diagnostics;
using System.Text;
using Hike.Api;
using Hike.Db;
using Hike.Storage;
using Hike.Testing;
using Xunit.Abstractions;
using static Hike.Tests.Durability.DurableFixture;

namespace Hike.Tests.Durability;

/// <summary>A scan of a store whose reads are round trips fetches the nodes ahead of it in parallel.</summary>
public sealed class PrefetchTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RoundTrip = TimeSpan.FromMilliseconds(5);

    [Fact]
    public void A_cold_scan_of_a_remote_store_waits_for_far_fewer_round_trips_than_it_reads_nodes()
    {
        var (oneAtATime, oneCount) = ColdScan(appendsInPlace: true);
        var (prefetched, prefetchedCount) = ColdScan(appendsInPlace: false);

        output.WriteLine($"one node at a time: {oneAtATime.TotalMilliseconds:F0} ms; fetched ahead: {prefetched.TotalMilliseconds:F0} ms");
        Assert.Equal(oneCount, prefetchedCount);
        Assert.True(oneAtATime > prefetched * 4, $"one at a time {oneAtATime.TotalMilliseconds:F0} ms, fetched ahead {prefetched.TotalMilliseconds:F0} ms");
    }

    /// <summary>How long a full EAVT scan of a fresh connection takes when every read costs a round trip, and how many datoms it saw.</summary>
    private static (TimeSpan Elapsed, int Datoms) ColdScan(bool appendsInPlace)
    {
        var store = new RoundTripStore(new MemoryStore(appendsInPlace));
        using (var conn = Create(store, Config()))
        {
            conn.Transact("[{:db/ident :text :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
            var tx = new StringBuilder("[");
            for (int i = 0; i < 20_000; i++) tx.Append("{:text \"").Append(i).Append(" a text long enough to fill leaves\"}");
            conn.Transact(tx.Append(']').ToString());
        }
        store.Delay = RoundTrip;
        using var reader = Open(store, Config(cacheBytes: 64 << 20));
        var watch = Stopwatch.StartNew();
        int datoms = reader.Db.Datoms(IndexType.Eavt).Count();
        return (watch.Elapsed, datoms);
    }
}
