using Hike.Api;
using Hike.Testing;
using Xunit.Abstractions;
using static Hike.Tests.Durability.DurableFixture;

namespace Hike.Tests.Durability;

/// <summary>Writers and readers in other processes: killed writers, competing writers, concurrent readers.</summary>
public sealed class ProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_writer_killed_with_sigkill_50_times_loses_no_acknowledged_transaction()
    {
        using var dir = new TempDirectory();
        await CreateCounterDb(dir.Path);
        var random = new Random(TestSeed.Next(output.WriteLine));
        var acknowledged = new HashSet<long>();
        long from = 1;
        for (int round = 0; round < 50; round++)
        {
            using (var writer = new ChildProcess("write", dir.Path, from.ToString(System.Globalization.CultureInfo.InvariantCulture), "4"))
            {
                var first = writer.NextLine(Patience);
                Assert.True(first is not null && first.StartsWith("ack ", StringComparison.Ordinal), $"round {round}: writer said {first ?? "nothing"}; {writer.StandardError}");
                Thread.Sleep(random.Next(0, 150));
                writer.Kill();
                foreach (var line in writer.RemainingLines().Prepend(first!)) acknowledged.Add(long.Parse(line["ack ".Length..], System.Globalization.CultureInfo.InvariantCulture));
            }
            using var reader = await Database.ConnectAsync(StoreConfigFor(dir.Path));
            var seen = Counters(reader.Db).ToHashSet();
            foreach (var i in acknowledged)
            {
                Assert.True(seen.Contains(i) && seen.Contains(-i), $"round {round}: acknowledged transaction {i} is lost");
            }
            Assert.All(seen, n => Assert.Contains(-n, seen));
            ReadEverything(reader.Db);
            from = seen.Max() + 1;
        }
        Assert.True(acknowledged.Count >= 50, $"only {acknowledged.Count} acknowledgements");
    }

    [Fact]
    public async Task A_second_writer_process_gets_a_clear_error_and_no_transaction_is_lost()
    {
        using var dir = new TempDirectory();
        await CreateCounterDb(dir.Path);
        var acknowledged = new List<long>();
        using (var writer = new ChildProcess("write", dir.Path, "1", "2"))
        {
            Assert.StartsWith("ack", writer.NextLine(Patience));
            using var second = new ChildProcess("try-write", dir.Path);
            Assert.Equal("error db/writer-locked", second.NextLine(Patience));
            Assert.Equal(0, second.WaitForExit(Patience));
            // This process is refused too, with a message naming the store.
            using var conn = await Database.ConnectAsync(StoreConfigFor(dir.Path));
            var error = Assert.Throws<HikeException>(() => conn.Transact("[{:n 999999} {:n -999999}]"));
            Assert.Equal("db/writer-locked", error.Code);
            Assert.Contains(dir.Path, error.Message);
            writer.Kill();
            acknowledged.AddRange(writer.RemainingLines().Where(l => l.StartsWith("ack ", StringComparison.Ordinal)).Select(l => long.Parse(l[4..], System.Globalization.CultureInfo.InvariantCulture)));
        }
        using var after = await Database.ConnectAsync(StoreConfigFor(dir.Path));
        var seen = Counters(after.Db);
        Assert.DoesNotContain(999_999L, seen);
        Assert.All(acknowledged, i => Assert.Contains(i, seen));
        // With the first writer gone, this process may write.
        after.Transact("[{:n 999999} {:n -999999}]");
        Assert.Contains(999_999L, Counters(after.Db));
    }

    [Fact]
    public async Task A_reader_process_sees_only_whole_commits_while_a_writer_transacts()
    {
        using var dir = new TempDirectory();
        await CreateCounterDb(dir.Path);
        using var conn = await Database.ConnectAsync(StoreConfigFor(dir.Path));
        using var stop = new CancellationTokenSource();
        var writing = Task.Run(async () =>
        {
            for (long i = 1; !stop.IsCancellationRequested; i++) await conn.TransactAsync($"[{{:n {i}}} {{:n {-i}}}]");
        });
        using var reader = new ChildProcess("read", dir.Path, "300");
        var counts = new List<int>();
        for (var line = reader.NextLine(Patience); line is not null; line = reader.NextLine(Patience))
        {
            Assert.StartsWith("seen ", line);
            counts.Add(int.Parse(line[5..], System.Globalization.CultureInfo.InvariantCulture));
        }
        Assert.Equal(0, reader.WaitForExit(Patience));
        stop.Cancel();
        await writing;
        Assert.Equal(300, counts.Count);
        Assert.True(counts.Zip(counts.Skip(1)).All(p => p.First <= p.Second), "snapshots went back in time");
        Assert.True(counts[^1] > counts[0], "the reader never saw a new commit");
    }

    private static DatabaseConfig StoreConfigFor(string path) => new() { Store = StoreConfig.File(path) };

    private static async Task CreateCounterDb(string path)
    {
        Directory.Delete(path);
        await Database.CreateAsync(StoreConfigFor(path) with { InitialTx = Hike.Edn.EdnReader.Read(CounterSchema) });
    }
}
