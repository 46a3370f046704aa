using System.Text;
using Hike.Api;
using Hike.Db;
using Hike.Edn;
using Hike.Testing;
using static Hike.Tests.Durability.DurableFixture;

namespace Hike.Tests.Durability;

/// <summary>
/// A group commit in a file store is one write for many transactions; one transaction holding what
/// the store cannot write must fail alone, not take the group with it.
/// </summary>
public sealed class GroupCommitTests
{
    private static readonly Keyword Data = K("data");

    private static DatabaseConfig FileConfig(TempDirectory dir, FunctionRegistry? functions = null) => new()
    {
        Store = StoreConfig.File(Path.Combine(dir.Path, "db")),
        SchemaFlexibility = SchemaFlexibility.Read,
        InitialTx = EdnReader.Read(CounterSchema),
        Functions = functions ?? new FunctionRegistry(),
        CacheBytes = 64 << 10,
    };

    private static async Task<(int Committed, List<Exception> Failed)> Outcomes(IEnumerable<Task<TxReport>> tasks)
    {
        int committed = 0;
        var failed = new List<Exception>();
        foreach (var task in tasks)
        {
            try
            {
                await task.WaitAsync(TimeSpan.FromSeconds(30));
                committed++;
            }
            catch (HikeException e)
            {
                failed.Add(e);
            }
        }
        return (committed, failed);
    }

    [Fact]
    public async Task One_unstorable_value_among_many_transactions_fails_alone()
    {
        using var dir = new TempDirectory();
        var config = FileConfig(dir);
        using (var conn = await Database.CreateAndConnectAsync(config))
        {
            var gate = WriterGate.Hold(conn);
            var good = Enumerable.Range(0, 300).Select(i => conn.TransactAsync($"[{{:n {i}}}]")).ToList();
            var bad = conn.TransactAsync(new List<object?> { EdnMap.Of(Data, EdnVector.Create(new List<object?> { new StringBuilder("x"), new Version(1, 2) })) });
            good.AddRange(Enumerable.Range(300, 300).Select(i => conn.TransactAsync($"[{{:n {i}}}]")));
            gate.Set();
            var (committed, failed) = await Outcomes(good);
            Assert.Equal(600, committed);
            Assert.Empty(failed);
            var error = await Assert.ThrowsAsync<HikeException>(() => bad);
            Assert.Equal("transact/schema", error.Code);
            Assert.Contains(":data", error.Message);
        }
        using var reopened = await Database.ConnectAsync(config);
        Assert.Equal(Enumerable.Range(0, 600).Select(i => (long)i), Counters(reopened.Db));
    }

    [Fact]
    public async Task When_a_group_cannot_be_written_its_transactions_are_committed_one_by_one()
    {
        // A list the caller changes after its transaction was checked (from a transaction function of the
        // same group, here): the commit of the group cannot encode it; committed alone, only its own fails.
        var list = new List<object?> { "fine" };
        var functions = new FunctionRegistry().RegisterTxFunction(K("spoil"), (_, _) =>
        {
            if (list.Count == 1) list.Add(new StringBuilder("spoiled"));
            return new List<object?>();
        });
        using var dir = new TempDirectory();
        var config = FileConfig(dir, functions);
        using (var conn = await Database.CreateAndConnectAsync(config))
        {
            var gate = WriterGate.Hold(conn);
            var good = Enumerable.Range(0, 20).Select(i => conn.TransactAsync($"[{{:n {i}}}]")).ToList();
            var culprit = conn.TransactAsync(new List<object?> { EdnMap.Of(Data, EdnVector.Create(list)) });
            good.Add(conn.TransactAsync("[[:spoil]]"));
            good.AddRange(Enumerable.Range(20, 20).Select(i => conn.TransactAsync($"[{{:n {i}}}]")));
            gate.Set();
            var (committed, failed) = await Outcomes(good);
            Assert.Empty(failed);
            Assert.Equal(41, committed);
            var error = await Assert.ThrowsAsync<HikeException>(() => culprit);
            Assert.Equal("transact/schema", error.Code);
            Assert.Contains("StringBuilder", error.Message);
            Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i), Counters(conn.Db));
            ReadEverything(conn.Db);
            conn.Transact("[{:n 40}]");
        }
        using var reopened = await Database.ConnectAsync(config);
        Assert.Equal(Enumerable.Range(0, 41).Select(i => (long)i), Counters(reopened.Db));
        ReadEverything(reopened.Db);
    }
}
