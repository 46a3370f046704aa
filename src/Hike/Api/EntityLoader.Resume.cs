using Hike.Db;
using Hike.Edn;
using Hike.Index.Datoms;

namespace Hike.Api;

/// <summary>
/// Continuing a load that was interrupted (the process killed, the input cut short): run again on the
/// same stream, the load finds the stream's first transaction in this database by its
/// <c>:db/txInstant</c> (instants only grow, so one transaction at most has it), and from there takes
/// each source transaction in turn as already loaded when this database's next transaction has its
/// instant and holds exactly its datoms, ids mapped as the interrupted load mapped them. That load
/// gave new entities the ids after the last one in use, in the order its transactions met them, so
/// the mapping is recomputed and then checked datom by datom against history; the first source
/// transaction past the end of what was committed is loaded as usual. Anything else (another
/// writer's transactions in between, an upsert that bound a tempid to an older entity, a database
/// without history) is a <c>load/resume</c> error rather than a guess.
/// </summary>
internal sealed partial class EntityLoader
{
    private bool _resumeChecked;
    private ResumePoint? _resume;
    private int _skipped;

    /// <summary>Where the interrupted load goes on: the next of its transactions to match, and the last entity id given out before it.</summary>
    private sealed class ResumePoint(Database history, long nextTx, long lastEid)
    {
        public Database History { get; } = history;

        public long NextTx { get; set; } = nextTx;

        public long LastEid { get; set; } = lastEid;
    }

    /// <summary>The resume point when this database already holds the current (first) group's transaction; null for a fresh load.</summary>
    private async Task<ResumePoint?> FindResumeAsync()
    {
        var db = _connection.Db;
        if (GroupInstant(db) is not { } instant || instant > db.State.LastTxInstant) return null;
        long tx = db.State.LastTxAt(instant, inclusive: true);
        // No transaction has the instant: a fresh load, which the instant check refuses if it is too early.
        if (tx == Ids.Tx0 || InstantOf(db, tx) != instant) return null;
        if (!db.KeepsHistory)
        {
            throw Errors.LoadResume($"This database already has a transaction at {Errors.Show(instant)}, the instant of source transaction {_groupTx}, but keeps no history to check that an earlier load of this stream made it");
        }
        // The commit before the load's first transaction records the last entity id given out before it.
        await foreach (var commit in _connection.BranchHistory().ConfigureAwait(false))
        {
            if (commit.MaxTx >= tx) continue;
            if (commit.MaxTx != tx - 1) break;
            return new ResumePoint(db.History(), tx, commit.MaxEid);
        }
        throw Errors.LoadResume($"Transaction {tx}, at the instant of source transaction {_groupTx}, was committed together with transactions an earlier load of this stream did not make");
    }

    /// <summary>
    /// True when the current group is the next transaction the interrupted load committed: its ids are
    /// then learnt and the group is dropped. False once past what was committed (the load goes on as usual).
    /// </summary>
    private async Task<bool> TrySkipGroupAsync()
    {
        var resume = _resume!;
        var history = resume.History;
        long tx = resume.NextTx;
        if (tx > history.MaxTx)
        {
            _resume = null;
            return false;
        }
        var instant = GroupInstant(history)
            ?? throw Errors.LoadResume($"Source transaction {_groupTx} has no :db/txInstant, so whether the interrupted load committed it cannot be told");
        if (InstantOf(history, tx) != instant)
        {
            throw Errors.LoadResume($"Transaction {tx} of this database is not source transaction {_groupTx} (its :db/txInstant differs): the database changed after the interrupted load");
        }
        var operations = await OperationsAsync().ConfigureAwait(false);
        // The transaction gave each tempid the next id when it first met it: an assertion's entity, then its ref value.
        var assigned = new Dictionary<string, long>(StringComparer.Ordinal);
        long last = resume.LastEid;
        foreach (var op in operations)
        {
            if (!op.Added) continue;
            if (op.E is string e && e != CurrentTx) assigned.TryAdd(e, last + assigned.Count + 1);
            if (op.MappedValue && op.V is string v && v != CurrentTx) assigned.TryAdd(v, last + assigned.Count + 1);
        }
        foreach (var op in operations)
        {
            if (!Holds(history, op, tx, assigned))
            {
                throw Errors.LoadResume($"Transaction {tx} of this database has the :db/txInstant of source transaction {_groupTx} but not its datom [{Errors.Show(op.E)} {op.A} {Errors.Show(op.V)}] as this load would write it");
            }
        }
        foreach (var (source, tempid) in _groupTempids) _resolved[source] = assigned[tempid];
        _resolved[_groupTx] = tx;
        resume.NextTx = tx + 1;
        resume.LastEid = last + assigned.Count;
        _lastTx = _groupTx;
        _group.Clear();
        _groupTempids.Clear();
        _skipped++;
        _progress?.Report(_read);
        return true;
    }

    /// <summary>Whether history holds <paramref name="op"/>, asserted or retracted by transaction <paramref name="tx"/>.</summary>
    private static bool Holds(Database history, Operation op, long tx, Dictionary<string, long> assigned)
    {
        if (Id(op.E, tx, assigned) is not { } e || !history.State.Schema.TryGet(op.A, out var attribute)) return false;
        object? value = op.MappedValue ? Id(op.V, tx, assigned) : op.V;
        if (value is null || history.View.StoredValue(attribute, value) is not { } stored) return false;
        foreach (var d in history.View.Range(IndexType.Eavt, new IndexDatom(e, attribute.Id, stored, tx, false), new IndexDatom(e, attribute.Id, stored, tx, true)))
        {
            if (d.Tx == tx && d.Added == op.Added) return true;
        }
        return false;
    }

    /// <summary>The id an operation's entity or ref value has here; null for a tempid the transaction did not allocate.</summary>
    private static long? Id(object id, long tx, Dictionary<string, long> assigned) => id switch
    {
        long l => l,
        CurrentTx => tx,
        string tempid => assigned.TryGetValue(tempid, out long e) ? e : null,
        _ => null,
    };

    /// <summary>The current group's <c>:db/txInstant</c>, as <paramref name="db"/> stores instants; null when it has none.</summary>
    private DateTime? GroupInstant(Database db)
    {
        if (!db.State.Schema.TryGet(Idents.TxInstant, out var attribute)) return null;
        foreach (var datom in _group)
        {
            if (datom.Added && datom.E == _groupTx && ReferenceEquals(datom.A, Idents.TxInstant)) return db.View.StoredValue(attribute, datom.V) as DateTime?;
        }
        return null;
    }

    private static DateTime? InstantOf(Database db, long tx) => db.View.FirstValue(tx, SystemAttributes.TxInstant) as DateTime?;
}
