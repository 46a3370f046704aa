using System.Diagnostics;
using Hike.Storage;

namespace Hike.Tests.Storage;

public sealed class ParallelReadsTests
{
    [Fact]
    public void Reads_of_a_server_overlap_and_come_back_in_order()
    {
        var reads = Enumerable.Range(0, 40).Select(i => (Func<int>)(() =>
        {
            Thread.Sleep(100);
            return i;
        })).ToList();
        var watch = Stopwatch.StartNew();
        var results = ParallelReads.Run(new MemoryStore(appendsInPlace: false), reads);
        // 40 reads, 32 at a time: two round trips, not forty.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.Equal(Enumerable.Range(0, 40), results);
    }

    [Fact]
    public void Reads_of_a_local_store_run_one_after_another_on_the_calling_thread()
    {
        int caller = Environment.CurrentManagedThreadId;
        var threads = ParallelReads.Run(new MemoryStore(appendsInPlace: true), [() => Environment.CurrentManagedThreadId, () => Environment.CurrentManagedThreadId]);
        Assert.All(threads, t => Assert.Equal(caller, t));
    }

    [Fact]
    public void The_first_failure_is_thrown_once_every_read_has_ended()
    {
        int ended = 0;
        var reads = Enumerable.Range(0, 10).Select(i => (Func<int>)(() =>
        {
            Thread.Sleep(20 * (10 - i));
            Interlocked.Increment(ref ended);
            return i is 3 or 7 ? throw new InvalidOperationException($"read {i}") : i;
        })).ToList();
        var error = Assert.Throws<InvalidOperationException>(() => ParallelReads.Run(new MemoryStore(appendsInPlace: false), reads));
        Assert.Equal("read 3", error.Message);
        Assert.Equal(10, Volatile.Read(ref ended));
    }
}
