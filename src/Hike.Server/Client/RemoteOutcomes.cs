using Hike.Db;
using Hike.Edn;
using Hike.Index.Datoms;
using Hike.Server.Formats;
using Hike.Transactions;
using Hike.Versioning;
using Hike.Writing;

namespace Hike.Server.Client;

/// <summary>
/// Outcomes of transactions a server committed, as this process reads them: the states of their
/// commits loaded from the shared store, and their datoms from the server's report or, when it has
/// none or only part of them, from the two commits' indices. A transaction the server committed
/// together with others has the states of their commit and of the one before it, which this process
/// can read, rather than the states between them. Thread-safe.
/// </summary>
internal sealed class RemoteOutcomes(DatabaseRuntime runtime)
{
    private static readonly Keyword TxDataKey = Keyword.Intern("tx-data");
    private static readonly Keyword TxMetaKey = Keyword.Intern("tx-meta");
    private static readonly Keyword TempIdsKey = Keyword.Intern("tempids");

    /// <summary>The outcome of the report <paramref name="report"/> of a transaction in <paramref name="commit"/>, whose state before is <paramref name="before"/>.</summary>
    public WriteOutcome FromReport(BranchHead branch, Guid commit, Guid? before, EdnMap report)
    {
        var after = StateOf(branch, commit);
        var first = before is { } own ? StateOf(branch, own)
            : after.Commit!.Parents.Count > 0 ? StateOf(branch, after.Commit.Parents[0])
            : throw ServerErrors.BadAnswer("a report whose commit has a parent", commit);
        var view = DbView.Of(after);
        var datoms = (report.Get(TxDataKey) as IEnumerable<object?> ?? []).Select(d => IndexDatomOf(d, after, view)).ToList();
        var tempIds = (report.Get(TempIdsKey) as EdnMap ?? EdnMap.Empty).ToDictionary(kv => kv.Key, kv => kv.Value is long id ? id : throw ServerErrors.BadAnswer("tempids mapped to ids", kv.Value));
        return new WriteOutcome(first, after, new TxResult(after, datoms, tempIds, report.Get(TxMetaKey)), after.Commit!);
    }

    /// <summary>
    /// The outcomes of the transactions of <paramref name="commit"/> after transaction
    /// <paramref name="afterTx"/> up to <paramref name="untilTx"/>, in order, read off its indices and its
    /// first parent's (no tempids or metadata: only the server's reports carry those).
    /// </summary>
    public IEnumerable<WriteOutcome> FromStore(BranchHead branch, Guid commit, long afterTx, long untilTx)
    {
        var after = StateOf(branch, commit);
        if (after.MaxTx <= afterTx || after.Commit!.Parents.Count == 0) yield break;
        var before = StateOf(branch, after.Commit.Parents[0]);
        foreach (var tx in DbDiff.TxData(before, after).Where(d => d.Tx > afterTx && d.Tx <= untilTx).GroupBy(d => d.Tx))
        {
            yield return new WriteOutcome(before, after, new TxResult(after, [.. tx], new Dictionary<object, long>(), null), after.Commit);
        }
    }

    /// <summary>The commit <paramref name="id"/>'s record; null when the store holds no such commit (garbage collected).</summary>
    public CommitInfo? CommitOf(Guid id) => runtime.Log.FindCommit(id);

    /// <summary>The state of commit <paramref name="id"/>: the branch's head when it is that commit (read afresh from the store), else the commit found in the log.</summary>
    public DbState StateOf(BranchHead branch, Guid id)
    {
        var head = branch.Refresh();
        if (head.Commit?.Id == id) return head;
        var commit = runtime.Log.FindCommit(id) ?? throw ServerErrors.BadAnswer($"a commit the store holds, not {id}", id);
        return runtime.LoadCommit(commit);
    }

    /// <summary>A datom of the report (<c>#datahike/Datom [e a v tx added]</c>) as the index holds it, by <paramref name="state"/>'s schema.</summary>
    private static IndexDatom IndexDatomOf(object? datom, DbState state, DbView view)
    {
        if (datom is not EdnSequence { Count: 5 } d || d[0] is not long e || d[1] is not Keyword a || d[3] is not long tx || d[4] is not bool added || d[2] is not { } v)
            throw ServerErrors.BadAnswer("datoms [e a v tx added]", datom);
        if (!state.Schema.TryGet(a, out var attribute)) throw ServerErrors.BadAnswer($"datoms of attributes in the schema, not {a}", datom);
        return new IndexDatom(e, attribute.Id, view.StoredValue(attribute, v) ?? v, tx, added);
    }
}
