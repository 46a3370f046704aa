using Hike.Api;
using Hike.Edn;

namespace Hike.Server.Tests;

/// <summary>
/// <c>:writer {:backend :datahike-server …}</c>: a connection whose transactions and branch changes the
/// server commits, while it reads the store itself, and gets the same reports a local writer gives.
/// </summary>
public sealed class RemoteWriterTests : IAsyncLifetime
{
    private const string Schema = "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity} {:db/ident :n :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]";
    private string _dir = "";
    private TestServer _server = null!;
    private DatabaseConfig _local = null!;
    private DatabaseConfig _remote = null!;

    public async Task InitializeAsync()
    {
        _dir = Directory.CreateTempSubdirectory("hike-remote-writer-").FullName;
        _server = await TestServer.StartAsync(new ServerConfig { Token = "s3cret" });
        _local = new DatabaseConfig { Store = StoreConfig.File(Path.Combine(_dir, "db")), InitialTx = EdnReader.Read(Schema) };
        await Database.CreateAsync(_local);
        _remote = _local with { Writer = EdnMap.Of(Keyword.Intern("backend"), Keyword.Intern("datahike-server"), Keyword.Intern("url"), _server.Client.BaseAddress!.ToString(), Keyword.Intern("token"), "s3cret") };
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_transaction_goes_to_the_server_and_comes_back_as_a_local_report()
    {
        using var conn = await Database.ConnectAsync(_remote);
        var report = await conn.TransactAsync("[{:db/id \"ada\" :name \"Ada\" :n 36}]");

        Assert.Contains(report.TxData, d => d.A == Keyword.Intern("name") && (string)d.V == "Ada");
        Assert.Equal(report.TempIds["ada"], (long)conn.Db.Q("[:find ?e . :where [?e :name \"Ada\"]]")!);
        Assert.Equal(36L, conn.Db.Pull("[:n]", EdnVector.Create(Keyword.Intern("name"), "Ada"))![Keyword.Intern("n")]);
        Assert.Equal(report.DbAfter.CommitId, conn.Db.CommitId);
        Assert.NotEqual(report.DbBefore.CommitId, report.DbAfter.CommitId);

        var (_, db) = await _server.SendAsync(HttpMethod.Post, "db", $"[{(await _server.SendAsync(HttpMethod.Post, "connect", $"[{EdnPrinter.Print(_local.ToEdn())}]", "s3cret", "application/edn")).Body}]", "s3cret", "application/edn");
        Assert.Equal("\"Ada\"", (await _server.SendAsync(HttpMethod.Post, "q", $"[[:find ?n . :where [_ :name ?n]] {db}]", "s3cret", "application/edn")).Body);
    }

    [Fact]
    public async Task Concurrent_remote_writers_lose_nothing()
    {
        var conns = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Database.ConnectAsync(_remote)));
        try
        {
            await Task.WhenAll(conns.Select((conn, c) => Task.Run(async () =>
            {
                for (int i = 0; i < 20; i++) await conn.TransactAsync($"[{{:name \"p{c}-{i}\" :n {i}}}]");
            })));
            Assert.Equal(60L, conns[0].Db.Q("[:find (count ?e) . :where [?e :name]]"));
        }
        finally
        {
            foreach (var conn in conns) conn.Release();
        }
    }

    [Fact]
    public async Task The_servers_error_is_the_callers_with_its_code_and_branches_change_on_the_server()
    {
        using var conn = await Database.ConnectAsync(_remote);
        var error = await Assert.ThrowsAsync<HikeException>(() => conn.TransactAsync("[{:nosuch 1}]"));
        Assert.Equal(ErrorCodes.TransactSchema, error.Code);

        await conn.BranchAsync(Keyword.Intern("db"), Keyword.Intern("draft"));
        Assert.Contains(Keyword.Intern("draft"), await conn.GetBranchesAsync());
        await conn.DeleteBranchAsync(Keyword.Intern("draft"));
        Assert.DoesNotContain(Keyword.Intern("draft"), await conn.GetBranchesAsync());

        // A branch merges on the server; a strategy of the caller's own is code, which does not travel.
        await conn.BranchAsync(Keyword.Intern("db"), Keyword.Intern("feature"));
        var feature = _remote with { Branch = Keyword.Intern("feature") };
        using (var onFeature = await Database.ConnectAsync(feature)) await onFeature.TransactAsync("[{:name \"Fea\" :n 1}]");
        var merged = await conn.MergeBranchAsync(Keyword.Intern("feature"));
        Assert.NotNull(merged);
        Assert.Equal(2, merged!.DbAfter.ParentCommitIds.Count);
        Assert.Equal(1L, conn.Db.Q("[:find ?n . :where [?e :name \"Fea\"] [?e :n ?n]]"));
        Assert.Null(await conn.MergeBranchAsync(Keyword.Intern("feature")));
        Assert.Equal(ErrorCodes.ConnectionRemote, (await Assert.ThrowsAsync<HikeException>(() => conn.MergeBranchAsync(Keyword.Intern("feature"), Hike.Versioning.MergeStrategy.Resolve(_ => Hike.Versioning.MergeResolution.Ours)))).Code);
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_is_a_clear_error()
    {
        var nowhere = _local with { Writer = EdnMap.Of(Keyword.Intern("backend"), Keyword.Intern("datahike-server"), Keyword.Intern("url"), "http://127.0.0.1:1") };
        using var conn = await Database.ConnectAsync(nowhere);
        var error = await Assert.ThrowsAsync<HikeException>(() => conn.TransactAsync("[{:name \"x\"}]"));
        Assert.Equal(ServerErrorCodes.Unreachable, error.Code);
        Assert.Contains("127.0.0.1:1", error.Message, StringComparison.Ordinal);
    }
}
