using Hike.Api;
using Hike.Testing;
using Xunit.Abstractions;
using static Hike.Tests.Durability.DurableFixture;

namespace Hike.Tests.Durability;

/// <summary>
/// Writers and readers in other processes: killed writers, competing writers, concurrent readers. Each
/// store's test class derives from this and says where a fresh database lives.
/// </summary>
public abstract class ProcessContract(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>How many times the kill test kills its writer.</summary>
    protected abstract int KillRounds { get; }

    /// <summary>
    /// Where a fresh database lives, as the child process takes it (a folder, or an EDN config), the
    /// configuration this process connects with, and the name messages give the store.
    /// </summary>
    private protected abstract (string Place, DatabaseConfig Config, string Name) NewPlace();

    [Fact]
    public async Task A_writer_killed_with_sigkill_again_and_again_loses_no_acknowledged_transaction()
    {
        var (place, config, _) = NewPlace();
        await CreateCounterDb(config);
        var random = new Random(TestSeed.Next(output.WriteLine));
        var acknowledged = new HashSet<long>();
        long from = 1;
        for (int round = 0; round < KillRounds; round++)
        {
            using (var writer = new ChildProcess("write", place, from.ToString(System.Globalization.CultureInfo.InvariantCulture), "4"))
            {
                var first = writer.NextLine(Patience);
                Assert.True(first is not null && first.StartsWith("ack ", StringComparison.Ordinal), $"round {round}: writer said {first ?? "nothing"}; {writer.StandardError}");
                Thread.Sleep(random.Next(0, 150));
                writer.Kill();
                foreach (var line in writer.RemainingLines().Prepend(first!)) acknowledged.Add(long.Parse(line["ack ".Length..], System.Globalization.CultureInfo.InvariantCulture));
            }
            var seen = ReadBack(config, reader =>
            {
                ReadEverything(reader.Db);
                return Counters(reader.Db).ToHashSet();
            });
            foreach (var i in acknowledged)
            {
                Assert.True(seen.Contains(i) && seen.Contains(-i), $"round {round}: acknowledged transaction {i} is lost");
            }
            Assert.All(seen, n => Assert.Contains(-n, seen));
            from = seen.Max() + 1;
        }
        Assert.True(acknowledged.Count >= KillRounds, $"only {acknowledged.Count} acknowledgements");
    }

    [Fact]
    public async Task A_second_writer_process_gets_a_clear_error_and_no_transaction_is_lost()
    {
        var (place, config, name) = NewPlace();
        await CreateCounterDb(config);
        var acknowledged = new List<long>();
        using (var writer = new ChildProcess("write", place, "1", "2"))
        {
            Assert.StartsWith("ack", writer.NextLine(Patience));
            using var second = new ChildProcess("try-write", place);
            Assert.Equal("error db/writer-locked", second.NextLine(Patience));
            Assert.Equal(0, second.WaitForExit(Patience));
            // This process is refused too, with a message naming the store.
            using (var conn = await Database.ConnectAsync(config))
            {
                var error = Assert.Throws<HikeException>(() => conn.Transact("[{:n 999999} {:n -999999}]"));
                Assert.Equal("db/writer-locked", error.Code);
                Assert.Contains(name, error.Message);
            }
            writer.Kill();
            acknowledged.AddRange(writer.RemainingLines().Where(l => l.StartsWith("ack ", StringComparison.Ordinal)).Select(l => long.Parse(l[4..], System.Globalization.CultureInfo.InvariantCulture)));
        }
        using var after = await Database.ConnectAsync(config);
        var seen = Counters(after.Db);
        Assert.DoesNotContain(999_999L, seen);
        Assert.All(acknowledged, i => Assert.Contains(i, seen));
        // With the first writer gone (and its lease, where the store has one, run out), this process may write.
        await TransactOnceFree(after, "[{:n 999999} {:n -999999}]");
        Assert.Contains(999_999L, Counters(after.Db));
    }

    [Fact]
    public async Task A_reader_process_sees_only_whole_commits_while_a_writer_transacts()
    {
        var (place, config, _) = NewPlace();
        await CreateCounterDb(config);
        using var conn = await Database.ConnectAsync(config);
        using var stop = new CancellationTokenSource();
        var writing = Task.Run(async () =>
        {
            for (long i = 1; !stop.IsCancellationRequested; i++) await conn.TransactAsync($"[{{:n {i}}} {{:n {-i}}}]");
        });
        using var reader = new ChildProcess("read", place, "300");
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

    private static Task CreateCounterDb(DatabaseConfig config) =>
        Database.CreateAsync(config with { InitialTx = Hike.Edn.EdnReader.Read(CounterSchema) });

    /// <summary>What <paramref name="read"/> finds through a fresh connection, closed after.</summary>
    private static T ReadBack<T>(DatabaseConfig config, Func<Connection, T> read)
    {
        using var reader = Database.ConnectAsync(config).GetAwaiter().GetResult();
        return read(reader);
    }

    /// <summary>Transacts once the store's writer lock is free: a killed writer's lease runs out by itself.</summary>
    private static async Task TransactOnceFree(Connection conn, string tx)
    {
        var patience = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await conn.TransactAsync(tx);
                return;
            }
            catch (HikeException e) when (e.Code == ErrorCodes.DbWriterLocked && patience.Elapsed < Patience)
            {
                await Task.Delay(100);
            }
        }
    }
}
