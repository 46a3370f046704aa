using System.Collections.Concurrent;
using Hike.Api;
using Hike.Edn;

namespace Hike.Server.Tests;

/// <summary>
/// <c>:remote-peer {:backend :datahike-server …}</c>: a process that reaches a database only through a
/// server creates, opens, reads, writes, follows and deletes it with the same API as a local one.
/// </summary>
public sealed class RemotePeerTests : IAsyncLifetime
{
    private const string Schema = "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity} {:db/ident :friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}]";
    private static readonly Keyword Name = Keyword.Intern("name");
    private string _dir = "";
    private TestServer _server = null!;
    private DatabaseConfig _peer = null!;

    public async Task InitializeAsync()
    {
        _dir = Directory.CreateTempSubdirectory("hike-remote-peer-").FullName;
        _server = await TestServer.StartAsync(new ServerConfig { Token = "t" });
        _peer = DatabaseConfig.Parse($"{{:store {{:backend :file :path \"{Path.Combine(_dir, "db")}\"}} :remote-peer {{:backend :datahike-server :url \"{_server.Client.BaseAddress}\" :token \"t\"}}}}") with { InitialTx = EdnReader.Read(Schema) };
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_remote_peer_creates_writes_reads_and_deletes_a_database_through_the_server()
    {
        Assert.False(await Database.ExistsAsync(_peer));
        await Database.CreateAsync(_peer);
        Assert.True(await Database.ExistsAsync(_peer));
        Assert.Equal(ErrorCodes.DbExists, await HikeErrorOf(() => Database.CreateAsync(_peer)));

        using (var conn = await Database.ConnectAsync(_peer))
        {
            var report = await conn.TransactAsync("[{:db/id \"ada\" :name \"Ada\"} {:name \"Bob\" :friend \"ada\"}]");
            long ada = report.TempIds["ada"];
            Assert.Equal(report.DbAfter.CommitId, conn.Db.CommitId);
            Assert.Equal("Ada", conn.Db.Q("[:find ?n . :where [?b :name \"Bob\"] [?b :friend ?f] [?f :name ?n]]"));
            Assert.Equal(EdnVector.Create(EdnMap.Of(Name, "Ada")), conn.Db.Pull("[{:friend [:name]}]", EdnVector.Create(Name, "Bob"))![Keyword.Intern("friend")]);
            Assert.Equal("Ada", conn.Db.Entity(ada)![Name]);

            var before = conn.Db;
            await conn.TransactAsync("[[:db/retract [:name \"Bob\"] :friend [:name \"Ada\"]]]");
            Assert.Equal(1L, conn.Db.History().Q("[:find (count ?f) . :where [_ :friend ?f _ false]]"));
            Assert.Equal("Ada", conn.Db.AsOf(before.MaxTx).Q("[:find ?n . :where [_ :friend ?f] [?f :name ?n]]"));
            // What only a local database does works here too: the values are the database's own.
            Assert.Equal(2, conn.Db.Filter((_, d) => d.A == Name).Datoms(Hike.Db.IndexType.Aevt, Name).Count());

            await conn.BranchAsync(Keyword.Intern("db"), Keyword.Intern("draft"));
            Assert.Contains(Keyword.Intern("draft"), await conn.GetBranchesAsync());
        }

        // The server's own view is the same database.
        var (_, handle) = await _server.SendAsync(HttpMethod.Post, "connect", $"[{{:store {{:backend :file :path \"{Path.Combine(_dir, "db")}\"}}}}]", "t", "application/edn");
        var (_, db) = await _server.SendAsync(HttpMethod.Post, "db", $"[{handle}]", "t", "application/edn");
        Assert.Equal("#{\"Ada\" \"Bob\"}", (await _server.SendAsync(HttpMethod.Post, "q", $"[[:find [?n ...] :where [_ :name ?n]] {db}]", "t", "application/edn")).Body.Replace("[", "#{", StringComparison.Ordinal).Replace("]", "}", StringComparison.Ordinal).Replace("\"Bob\" \"Ada\"", "\"Ada\" \"Bob\"", StringComparison.Ordinal));

        Assert.True(await Database.DeleteAsync(_peer));
        Assert.False(await Database.ExistsAsync(_peer));
        Assert.False(Directory.Exists(Path.Combine(_dir, "db")) && Directory.EnumerateFileSystemEntries(Path.Combine(_dir, "db")).Any());
    }

    [Fact]
    public async Task A_remote_peer_follows_another_clients_commits_and_hears_them()
    {
        await Database.CreateAsync(_peer);
        using var reader = await Database.ConnectAsync(_peer);
        using var writer = await Database.ConnectAsync(_peer);
        var heard = new ConcurrentQueue<TxReport>();
        using var listening = reader.Listen(heard.Enqueue);
        var first = reader.Db;
        for (int i = 0; i < 3; i++) await writer.TransactAsync($"[{{:name \"p{i}\"}}]");

        Assert.Equal(3L, reader.Db.Q("[:find (count ?e) . :where [?e :name]]"));
        Assert.Equal(0L, first.Q("[:find (count ?e) . :where [?e :name]]") ?? 0L);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (heard.Count < 3 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(["p0", "p1", "p2"], heard.Select(r => (string)r.TxData.Single(d => d.A == Name).V));
    }

    [Fact]
    public async Task In_tagged_JSON_too_a_remote_peer_creates_writes_reads_merges_and_deletes()
    {
        var json = _peer with { RemotePeer = _peer.RemotePeer!.With(Keyword.Intern("format"), Keyword.Intern("json")) };
        await Database.CreateAsync(json);
        using (var conn = await Database.ConnectAsync(json))
        {
            var when = new DateTime(2026, 12, 7, 10, 0, 0, DateTimeKind.Utc);
            var id = Guid.NewGuid();
            var report = await conn.TransactAsync(EdnReader.Read($"[{{:db/ident :kind :db/valueType :db.type/keyword :db/cardinality :db.cardinality/one}} {{:db/ident :at :db/valueType :db.type/instant :db/cardinality :db.cardinality/one}} {{:db/ident :ref-id :db/valueType :db.type/uuid :db/cardinality :db.cardinality/one}} {{:db/ident :source :db/valueType :db.type/string :db/cardinality :db.cardinality/one}}]"));
            Assert.Equal(report.DbAfter.CommitId, conn.Db.CommitId);
            report = await conn.TransactAsync(EdnVector.Create(EdnMap.Of(Keyword.Intern("db/id"), "x", Name, "Ada", Keyword.Intern("kind"), Keyword.Intern("person"), Keyword.Intern("at"), when, Keyword.Intern("ref-id"), id)), EdnMap.Of(Keyword.Intern("source"), "json"));
            long ada = report.TempIds["x"];
            Assert.Equal(EdnMap.Of(Name, "Ada", Keyword.Intern("kind"), Keyword.Intern("person"), Keyword.Intern("at"), when, Keyword.Intern("ref-id"), id), conn.Db.Pull("[:name :kind :at :ref-id]", ada));
            Assert.Contains(report.TxData, d => d.A == Keyword.Intern("kind") && Equals(d.V, Keyword.Intern("person")));

            await conn.BranchAsync(Keyword.Intern("db"), Keyword.Intern("side"));
            using (var side = await Database.ConnectAsync(json with { Branch = Keyword.Intern("side") })) await side.TransactAsync("[{:name \"Bob\"}]");
            Assert.NotNull(await conn.MergeBranchAsync(Keyword.Intern("side")));
            Assert.Equal(2L, conn.Db.Q("[:find (count ?e) . :where [?e :name]]"));
        }
        var error = await Assert.ThrowsAsync<HikeException>(() => Database.CreateAsync(json));
        Assert.Equal(ErrorCodes.DbExists, error.Code);
        Assert.True(await Database.DeleteAsync(json));

        var wrong = _peer with { RemotePeer = _peer.RemotePeer!.With(Keyword.Intern("format"), Keyword.Intern("transit")) };
        Assert.Equal(ServerErrorCodes.BadConfig, await HikeErrorOf(() => Database.CreateAsync(wrong)));
    }

    [Fact]
    public async Task What_a_remote_peer_cannot_do_is_said_and_a_missing_database_is_missing()
    {
        Assert.Equal(ErrorCodes.DbMissing, await HikeErrorOf(() => Database.ConnectAsync(_peer)));
        await Database.CreateAsync(_peer);
        Assert.Equal(ErrorCodes.ConnectionRemote, await HikeErrorOf(() => Database.RecoverAsync(_peer)));

        var wrongToken = _peer with { RemotePeer = _peer.RemotePeer!.With(Keyword.Intern("token"), "nope") };
        Assert.Equal(ServerErrorCodes.Unauthorized, await HikeErrorOf(() => Database.ConnectAsync(wrongToken)));

        var inMemory = DatabaseConfig.Parse($"{{:store {{:backend :mem :id \"peer-mem\"}} :remote-peer {{:backend :datahike-server :url \"{_server.Client.BaseAddress}\" :token \"t\"}}}}");
        await Database.CreateAsync(inMemory);
        Assert.Equal(ServerErrorCodes.BadRequest, await HikeErrorOf(() => Database.ConnectAsync(inMemory)));
    }

    private static async Task<string> HikeErrorOf(Func<Task> call) => (await Assert.ThrowsAsync<HikeException>(call)).Code;
}
