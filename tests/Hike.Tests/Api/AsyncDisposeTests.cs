using Hike.Api;
using Hike.Testing;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Api;

/// <summary><c>await using</c> a connection releases it as <see cref="Connection.Release"/> does.</summary>
public sealed class AsyncDisposeTests
{
    private const string Schema = "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]";

    [Fact]
    public async Task Await_using_closes_a_file_database_when_the_block_ends()
    {
        using var dir = new TempDirectory();
        var config = new DatabaseConfig { Store = StoreConfig.File(Path.Combine(dir.Path, "db")), InitialTx = Read(Schema) };
        Guid? head;
        await using (var conn = await Database.CreateAndConnectAsync(config))
        {
            head = (await conn.TransactAsync("[{:name \"Ada\"}]")).DbAfter.CommitId;
        }
        // Closed: recovery, which needs the database closed in this process, runs.
        Assert.Empty((await Database.RecoverAsync(config)).Damaged);
        await using var again = await Database.ConnectAsync(config);
        Assert.Equal(head, again.Db.CommitId);
    }

    [Fact]
    public async Task A_connection_disposed_asynchronously_refuses_work()
    {
        var conn = Connect(Schema);
        await conn.DisposeAsync();
        await conn.DisposeAsync();
        Assert.Equal("connection/released", Assert.Throws<HikeException>(() => conn.Db).Code);
    }

    [Fact]
    public async Task Releasing_one_of_two_connections_asynchronously_leaves_the_other_working()
    {
        using var dir = new TempDirectory();
        var config = new DatabaseConfig { Store = StoreConfig.File(Path.Combine(dir.Path, "db")), InitialTx = Read(Schema) };
        await using var first = await Database.CreateAndConnectAsync(config);
        var second = await Database.ConnectAsync(config);
        await second.ReleaseAsync();
        var report = await first.TransactAsync("[{:name \"Bo\"}]");
        Assert.Equal(report.DbAfter.CommitId, first.Db.CommitId);
        AssertEdn("[\"Bo\"]", first.Db.Q("[:find [?n ...] :where [_ :name ?n]]"));
    }
}
