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
        var tempIds = (report.Get(TempIdsKey) as EdnMap ?? EdnMap.Empty).ToDictionary(kv => TempIdOf(kv.Key), kv => kv.Value is long id ? id : throw ServerErrors.BadAnswer("tempids mapped to ids", kv.Value));
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

    /// <summary>
    /// A tempid as the transaction named it: tagged JSON makes every map key a keyword, and the only
    /// keyword a tempid is, is <c>:db/current-tx</c>; the others were strings or negative numbers.
    /// </summary>
    private static object TempIdOf(object? key) => key switch
    {
        Keyword { FullName: "db/current-tx" } current => current,
        Keyword k when long.TryParse(k.FullName, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long n) => n,
        Keyword k => k.FullName,
        _ => key ?? throw ServerErrors.BadAnswer("tempids", key),
    };

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

    /// <summary>A datom of the report (<c>#datahike/Datom [e a v tx added]</c>, or in JSON <c>["!datahike/Datom", […]]</c>) as the index holds it, by <paramref name="state"/>'s schema.</summary>
    private static IndexDatom IndexDatomOf(object? datom, DbState state, DbView view)
    {
        // EDN reads #datahike/Datom as its vector, tagged JSON as the datom.
        var (e, a, v, tx, added) = datom switch
        {
            Api.Datom d => (d.E, d.A, d.V, d.Tx, d.Added),
            EdnSequence { Count: 5 } d when d[0] is long de && d[1] is Keyword da && d[2] is { } dv && d[3] is long dtx && d[4] is bool dadded => (de, da, dv, dtx, dadded),
            _ => throw ServerErrors.BadAnswer("datoms [e a v tx added]", datom),
        };
        if (!state.Schema.TryGet(a, out var attribute)) throw ServerErrors.BadAnswer($"datoms of attributes in the schema, not {a}", datom);
        return new IndexDatom(e, attribute.Id, view.StoredValue(attribute, v) ?? v, tx, added);
    }
}
