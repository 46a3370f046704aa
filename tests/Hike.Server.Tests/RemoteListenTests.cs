using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Hike.Api;
using Hike.Edn;

namespace Hike.Server.Tests;

/// <summary>
/// <c>conn.Listen</c> on a connection whose writer is a server: every transaction committed there, by
/// this connection or any other client, reaches the listener once and in order, through the server's
/// <c>/listen</c> stream, and what the stream could not carry is read from the shared store.
/// </summary>
public sealed class RemoteListenTests : IAsyncLifetime
{
    private const string Schema = "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity} {:db/ident :n :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]";
    private static readonly Keyword N = Keyword.Intern("n");
    private string _dir = "";
    private DatabaseConfig _local = null!;

    public async Task InitializeAsync()
    {
        _dir = Directory.CreateTempSubdirectory("hike-remote-listen-").FullName;
        _local = new DatabaseConfig { Store = StoreConfig.File(Path.Combine(_dir, "db")), InitialTx = EdnReader.Read(Schema) };
        await Database.CreateAsync(_local);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_listener_sees_every_transaction_of_every_client_once_in_order_with_a_db_at_least_as_new()
    {
        await using var server = await TestServer.StartAsync(new ServerConfig { Token = "t" });
        using var conn = await Database.ConnectAsync(Remote(server.Client.BaseAddress!));
        using var other = await Database.ConnectAsync(Remote(server.Client.BaseAddress!));
        var seen = new Listened();
        using var listening = conn.Listen(report => seen.Add(report, conn.Db));

        var mine = new List<TxReport>();
        for (int i = 0; i < 5; i++)
        {
            mine.Add(await conn.TransactAsync($"[{{:db/id \"p\" :name \"mine-{i}\" :n {i}}}]"));
            await other.TransactAsync($"[{{:name \"theirs-{i}\" :n {i}}}]");
        }
        // One more by a client with no .NET in it at all: raw HTTP.
        var (_, handle) = await server.SendAsync(HttpMethod.Post, "connect", $"[{EdnPrinter.Print(_local.ToEdn())}]", "t", "application/edn");
        await server.SendAsync(HttpMethod.Post, "transact", $"[{handle} [{{:name \"raw\" :n 99}}]]", "t", "application/edn");

        var reports = await seen.WaitForAsync(11);
        Assert.Equal(reports.Select(r => r.Tx).Order(), reports.Select(r => r.Tx));
        Assert.Equal(11, reports.Select(r => r.Tx).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 11).Select(i => reports[0].Tx + i), reports.Select(r => r.Tx));
        // The listener's report of this connection's own transaction is the one the transaction returned, tempids included.
        var own = reports.Single(r => r.Tx == mine[2].Tx);
        Assert.Equal(mine[2].TxData, own.TxData);
        Assert.Equal(mine[2].TempIds["p"], own.TempIds["p"]);
        Assert.Equal(99L, reports[^1].TxData.Single(d => d.A == N).V);
        Assert.All(seen.DbsSeen, pair => Assert.True(pair.Db.MaxTx >= pair.Report.Tx));
        Assert.Equal(conn.Db.MaxTx, reports[^1].Tx);
    }

    [Fact]
    public async Task A_report_cut_short_by_the_server_arrives_whole_from_the_store()
    {
        await using var server = await TestServer.StartAsync(new ServerConfig { Token = "t", ListenMaxDatoms = 1 });
        using var conn = await Database.ConnectAsync(Remote(server.Client.BaseAddress!));
        var seen = new Listened();
        using var listening = conn.Listen(report => seen.Add(report, conn.Db));
        await conn.TransactAsync("[{:name \"a\" :n 1}]");
        var replaced = await conn.TransactAsync("[{:name \"a\" :n 2}]");

        var reports = await seen.WaitForAsync(2);
        Assert.Equal(replaced.TxData.OrderBy(d => d.ToString()), reports[1].TxData.OrderBy(d => d.ToString()));
        // The replaced value's retraction is there, with its own transaction.
        Assert.Contains(reports[1].TxData, d => d.A == N && (long)d.V == 1 && !d.Added && d.Tx == replaced.Tx);
    }

    [Fact]
    public async Task What_was_committed_while_the_server_was_down_reaches_the_listener_when_it_is_back()
    {
        int port = FreePort();
        var config = new ServerConfig { Token = "t", Port = port };
        var first = await HikeServer.StartAsync(config);
        var remote = Remote(new Uri($"http://127.0.0.1:{port}"));
        using var conn = await Database.ConnectAsync(remote);
        var seen = new Listened();
        using var listening = conn.Listen(report => seen.Add(report, conn.Db));
        var before = await conn.TransactAsync("[{:name \"before\" :n 1}]");
        await seen.WaitForAsync(1);
        await first.DisposeAsync();

        // The server is gone, its writer lock with it: another process writes meanwhile, grouped and not.
        using (var direct = await Database.ConnectAsync(_local))
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(i => direct.TransactAsync($"[{{:name \"while-{i}\" :n {i}}}]")));
            await direct.TransactAsync("[[:db/retract [:name \"before\"] :n 1]]");
        }
        await using var second = await HikeServer.StartAsync(config);
        var after = await conn.TransactAsync("[{:name \"after\" :n 2}]");

        var reports = await seen.WaitForAsync(7);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => before.Tx + i), reports.Select(r => r.Tx));
        Assert.Equal(after.Tx, reports[^1].Tx);
        Assert.Contains(reports[5].TxData, d => d.A == N && (long)d.V == 1 && !d.Added);
        Assert.Equal(4, reports.Skip(1).Take(4).Count(r => r.TxData.Any(d => d.A == Keyword.Intern("name") && ((string)d.V).StartsWith("while-", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task A_listener_disposed_hears_no_more_and_a_released_connection_cannot_listen()
    {
        await using var server = await TestServer.StartAsync(new ServerConfig { Token = "t" });
        var conn = await Database.ConnectAsync(Remote(server.Client.BaseAddress!));
        var seen = new Listened();
        var listening = conn.Listen(report => seen.Add(report, conn.Db));
        await conn.TransactAsync("[{:name \"a\" :n 1}]");
        await seen.WaitForAsync(1);
        listening.Dispose();
        await conn.TransactAsync("[{:name \"b\" :n 1}]");
        await Task.Delay(300);
        Assert.Single(seen.Reports);

        conn.Release();
        Assert.Equal(ErrorCodes.ConnectionReleased, Assert.Throws<HikeException>(() => conn.Listen(_ => { })).Code);
    }

    private DatabaseConfig Remote(Uri server) =>
        _local with { Writer = EdnMap.Of(Keyword.Intern("backend"), Keyword.Intern("datahike-server"), Keyword.Intern("url"), server.ToString(), Keyword.Intern("token"), "t") };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>What a listener was called with, and the connection's database when it was.</summary>
    private sealed class Listened
    {
        private readonly ConcurrentQueue<(TxReport Report, Database Db)> _seen = new();

        public IReadOnlyList<TxReport> Reports => [.. _seen.Select(s => s.Report)];

        public IReadOnlyList<(TxReport Report, Database Db)> DbsSeen => [.. _seen];

        public void Add(TxReport report, Database db) => _seen.Enqueue((report, db));

        public async Task<IReadOnlyList<TxReport>> WaitForAsync(int count)
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (_seen.Count < count && DateTime.UtcNow < deadline) await Task.Delay(20);
            Assert.True(_seen.Count >= count, $"the listener heard {_seen.Count} transactions, not {count}");
            await Task.Delay(100);
            Assert.Equal(count, _seen.Count);
            return Reports;
        }
    }
}
