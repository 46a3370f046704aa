using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hike.Api;
using static Hike.Tests.Durability.DurableFixture;

namespace Hike.Tests.Stores;

/// <summary>The store's server killed and restarted while a writer commits: nothing acknowledged is lost.</summary>
public sealed class ServerRestartTests
{
    private static readonly string Repository = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));

    [Fact]
    public async Task A_postgresql_server_killed_and_restarted_mid_load_loses_no_acknowledged_transaction()
    {
        string data = $"/tmp/hike-pg-restart-{Guid.NewGuid():N}";
        int port = FreePort();
        Servers("pg-start", data, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            var config = DatabaseConfig.Parse($"{{:store {{:backend :jdbc :dbtype \"postgresql\" :host \"127.0.0.1\" :port {port} :user \"postgres\" :dbname \"postgres\" :table \"restart\"}}}}");
            await Database.CreateAsync(config with { InitialTx = Hike.Edn.EdnReader.Read(CounterSchema) });
            var acknowledged = new ConcurrentBag<long>();
            int failures = 0;
            using var stop = new CancellationTokenSource();
            var writing = Task.Run(async () =>
            {
                var conn = await Database.ConnectAsync(config);
                for (long i = 1; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        await conn.TransactAsync($"[{{:n {i}}} {{:n {-i}}}]");
                        acknowledged.Add(i);
                    }
                    catch (HikeException)
                    {
                        // The server was down past the retries: this transaction failed, and so did the writer. Start again.
                        Interlocked.Increment(ref failures);
                        conn.Dispose();
                        conn = await Reconnect(config, stop.Token);
                    }
                }
                conn.Dispose();
            });
            await WaitFor(() => acknowledged.Count >= 30);
            Servers("pg-kill", data);
            await Task.Delay(TimeSpan.FromSeconds(1));
            Servers("pg-start", data, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            int atRestart = acknowledged.Count;
            await WaitFor(() => acknowledged.Count >= atRestart + 30);
            stop.Cancel();
            await writing;

            using var after = await Database.ConnectAsync(config);
            var seen = Counters(after.Db).ToHashSet();
            Assert.All(acknowledged, i => Assert.True(seen.Contains(i) && seen.Contains(-i), $"acknowledged transaction {i} is lost"));
            Assert.All(seen, n => Assert.Contains(-n, seen));
            ReadEverything(after.Db);
        }
        finally
        {
            Servers("pg-remove", data);
        }
    }

    [Theory]
    [InlineData("{:backend :jdbc :dbtype \"postgresql\" :host \"127.0.0.1\" :port PORT :user \"ann\" :password \"hunter2\" :dbname \"hike\"}", ":jdbc postgresql \"127.0.0.1:PORT/hike\"")]
    [InlineData("{:backend :redis :id \"down\" :uri \"redis://ann:hunter2@127.0.0.1:PORT/0\"}", ":redis \"127.0.0.1:PORT/0\"")]
    public async Task A_server_that_stays_down_is_a_storage_error_naming_the_store_and_not_its_password(string store, string name)
    {
        string port = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<HikeException>(() => Database.ConnectAsync($"{{:store {store.Replace("PORT", port, StringComparison.Ordinal)}}}"));

        Assert.Equal(ErrorCodes.StorageIo, error.Code);
        Assert.Contains(name.Replace("PORT", port, StringComparison.Ordinal), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"took {watch.Elapsed} to give up");
    }

    private static async Task<Connection> Reconnect(DatabaseConfig config, CancellationToken stop)
    {
        while (true)
        {
            try
            {
                return await Database.ConnectAsync(config);
            }
            catch (HikeException) when (!stop.IsCancellationRequested)
            {
                await Task.Delay(200);
            }
        }
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        var patience = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(patience.Elapsed < TimeSpan.FromSeconds(90), "the writer made no progress");
            await Task.Delay(50);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Servers(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(Repository, "tests", "servers.sh"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var script = Process.Start(start)!;
        var error = script.StandardError.ReadToEnd();
        script.WaitForExit();
        Assert.True(script.ExitCode == 0, $"servers.sh {string.Join(' ', args)}: {error}");
    }
}
