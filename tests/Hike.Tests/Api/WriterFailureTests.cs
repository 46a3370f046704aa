using Hike.Api;
using Hike.Edn;
using Hike.Testing;
using Hike.Versioning;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Api;

/// <summary>
/// What brings a database's writer down, and that nobody then waits forever: the work in hand, the
/// work queued and every later submission fail promptly with <c>db/writer-failed</c>.
/// </summary>
public sealed class WriterFailureTests
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);

    private const string Schema = "[{:db/ident :n :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]";

    private static async Task<HikeException> FailsPromptly(Task task)
    {
        var error = await Assert.ThrowsAsync<HikeException>(() => task.WaitAsync(Prompt));
        Assert.Equal("db/writer-failed", error.Code);
        return error;
    }

    [Fact]
    public async Task Running_out_of_memory_in_a_transaction_fails_it_the_queued_work_and_later_submissions()
    {
        var functions = new FunctionRegistry().RegisterTxFunction(K("exhaust"), (_, _) => throw new OutOfMemoryException("injected"));
        using var conn = Connect(Schema, functions);
        conn.Transact("[{:n 1}]");
        var gate = WriterGate.Hold(conn);
        var exhausting = conn.TransactAsync("[[:exhaust]]");
        var queued = conn.TransactAsync("[{:n 2}]");
        var branching = conn.BranchAsync(K("db"), K("b"));
        gate.Set();
        var error = await FailsPromptly(exhausting);
        Assert.IsType<OutOfMemoryException>(error.InnerException);
        await FailsPromptly(queued);
        await FailsPromptly(branching);
        await FailsPromptly(conn.TransactAsync("[{:n 3}]"));
        Assert.Equal(1L, Datalog.Q("[:find (max ?n) . :where [_ :n ?n]]", conn.Db));
    }

    [Fact]
    public async Task Running_out_of_memory_in_a_listener_keeps_the_commit_and_fails_later_submissions()
    {
        using var conn = Connect(Schema);
        using var listener = conn.Listen(_ => throw new OutOfMemoryException("injected"));
        var report = await conn.TransactAsync("[{:n 1}]").WaitAsync(Prompt);
        Assert.Equal(1L, Datalog.Q("[:find ?n . :where [_ :n ?n]]", report.DbAfter));
        await FailsPromptly(conn.TransactAsync("[{:n 2}]"));
    }

    [Fact]
    public async Task A_merge_strategy_that_throws_an_IOException_fails_the_merge_not_the_writer()
    {
        using var conn = Connect("[{:db/ident :n :db/valueType :db.type/long :db/cardinality :db.cardinality/one} {:db/ident :name :db/valueType :db.type/string :db/unique :db.unique/identity :db/cardinality :db.cardinality/one}]");
        conn.Transact("[{:name \"x\" :n 1}]");
        await conn.BranchAsync(K("db"), K("other"));
        using var other = await Database.ConnectAsync(conn.Config with { Branch = K("other") });
        other.Transact("[{:name \"x\" :n 2}]");
        conn.Transact("[{:name \"x\" :n 3}]");
        // The conflict on :n asks the strategy, which fails as user code may.
        await Assert.ThrowsAsync<IOException>(() => conn.MergeBranchAsync(K("other"), MergeStrategy.Resolve(_ => throw new IOException("user code"))));
        conn.Transact("[{:name \"x\" :n 4}]");
        Assert.Equal(4L, Datalog.Q("[:find ?n . :where [?e :name \"x\"] [?e :n ?n]]", conn.Db));
    }
}
