using System.Collections;
using System.Runtime.CompilerServices;
using Hike.Db;
using Hike.Edn;
using Hike.Index.Datoms;

namespace Hike.Transactions;

/// <summary>
/// Turns tx-data into datoms against one database state, with Datahike's semantics: tempids,
/// upserts, lookup refs, components, tuples, cas, transaction functions, purges, entity specs and
/// schema changes. One instance runs one transaction (and is discarded); the indices are changed in
/// transient mode and frozen at the end. Not thread-safe.
/// </summary>
internal sealed partial class TxProcessor
{
    private const int MaxRetries = 10_000;

    private readonly DbState _before;
    private readonly ITxCallbacks? _callbacks;
    private readonly DateTime _now;
    private readonly long _tx;
    private readonly TempidRetry? _retry;
    private readonly TransactionAhead? _ahead;
    private readonly TxIndexes _ix;
    private readonly SchemaBuilder _schema;
    private readonly List<IndexDatom> _txData = [];
    private readonly Dictionary<object, long> _tempids = new(ValueEquality.Instance);
    private HashSet<object>? _upserted;
    private long _maxEid;
    private Dictionary<long, HashSet<int>>? _tupleQueue;
    private HashSet<long>? _schemaTouched;
    private List<(long Eid, object? Spec)>? _ensures;
    private bool _purges;

    private TxProcessor(DbState before, ITxCallbacks? callbacks, DateTime now, TempidRetry? retry, TransactionAhead? ahead)
    {
        _before = before;
        _ahead = ahead;
        _callbacks = callbacks;
        _now = now;
        _retry = retry;
        _tx = before.MaxTx + 1;
        _maxEid = before.MaxEid;
        _ix = new TxIndexes(before);
        _schema = new SchemaBuilder(before.Schema);
    }

    private DbOptions Options => _before.Options;

    private Schema CurrentSchema => _schema.Current;

    /// <summary>
    /// Runs one transaction of <paramref name="txData"/> (a sequence of entity maps and operation
    /// vectors) with optional <paramref name="txMeta"/> (a map of attributes for the transaction
    /// entity) against <paramref name="before"/>. Throws <see cref="HikeException"/> on invalid input;
    /// <paramref name="before"/> is never changed. <paramref name="ahead"/> is the secondary indices' work on
    /// the data done ahead (<see cref="TransactionAhead"/>), which they take instead of doing it again.
    /// </summary>
    public static TxResult Run(DbState before, object? txData, object? txMeta, ITxCallbacks? callbacks, DateTime now, TransactionAhead? ahead = null)
    {
        TempidRetry? retry = null;
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return new TxProcessor(before, callbacks, now, retry, ahead).Execute(txData, txMeta);
            }
            catch (TempidRetry next) when (attempt < MaxRetries)
            {
                next.Tempids[next.Tempid] = next.Eid;
                next.Upserted.Add(next.Tempid);
                retry = next;
            }
        }
    }

    private TxResult Execute(object? txData, object? txMeta)
    {
        ProcessAll(txData, topLevel: true);
        var instant = ApplyTxMeta(txMeta);
        ValidateSchemaChanges();
        var schema = _schema.Current;
        var after = _ix.Persist(_before with
        {
            Schema = schema,
            MaxEid = _maxEid,
            MaxTx = _tx,
            LastTxInstant = instant,
            Secondary = SecondaryIndexesAfter(schema),
        });
        CheckEnsures(after);
        _tempids[Idents.CurrentTx] = _tx;
        return new TxResult(after, _txData, _tempids, txMeta);
    }

    /// <summary>
    /// The secondary indices once this transaction's datoms are applied; after a purge, without what
    /// the facts it purged (current or past) put there, so a purged value is not found by searching either.
    /// </summary>
    private SecondaryIndexes SecondaryIndexesAfter(Schema schema)
    {
        var indexes = _before.Secondary.Select((kind, index) =>
            kind.Apply(index, new SecondaryIndexChange(_before.Schema, schema, _txData, _ix.AttributeDatoms, _ahead?.For(kind))));
        return _purges
            ? indexes.Select((kind, index) => kind.Swept(index, (e, a, v) => _ix.TryFindFact(e, a, v, out _), (e, a, v) => _ix.TemporalFact(e, a, v).Count > 0))
            : indexes;
    }

    /// <summary>
    /// Processes a sequence of operations. As Datahike, the composite tuples an operation of the
    /// transaction's own data changed are written (and checked) right after it, so two top-level
    /// operations see each other's tuples; the operations a transaction function returns count as one.
    /// </summary>
    private void ProcessAll(object? txData, bool topLevel = false)
    {
        if (txData is null) return;
        if (txData is string || Maps.IsMap(txData) || txData is not IEnumerable ops)
        {
            throw Errors.TxSyntax($"Bad transaction data {Errors.Show(txData)}, expected sequential collection");
        }
        foreach (var op in ops)
        {
            ProcessOp(op);
            if (topLevel) FlushTuples();
        }
    }

    private void ProcessOp(object? op)
    {
        // As Datahike's transact loop: a nil in tx-data (say, from a `when` that did not hold) is skipped.
        if (op is null) return;
        EnsureStack(op);
        if (Maps.ToEntries(op) is { } entries)
        {
            if (SecondaryIndexDeclaration.Rewrite(entries, op!) is { } schema) ProcessAll(schema);
            else ProcessEntityMap(entries, op!);
            return;
        }
        if (op is string || !ValueEquality.IsSequential(op))
        {
            throw Errors.TxSyntax($"Bad entity type at {Errors.Show(op)}, expected map or vector");
        }
        var items = op is EdnSequence seq ? seq.AsSpan().ToArray() : ((IEnumerable)op).Cast<object?>().ToArray();
        if (items.Length == 0) throw Errors.TxSyntax($"Empty operation {Errors.Show(op)}");
        var name = items[0] as Keyword ?? (items[0] is string s && s.StartsWith(':') ? Keyword.Intern(s) : null);
        if (name is null) throw Errors.TxSyntax($"Unknown operation {Errors.Show(items[0])} at {Errors.Show(op)}, expected a keyword such as :db/add");
        // As Datahike: a tempid names a new entity only where :db/add asserts it, even one :db/add already allocated.
        if (items.Length > 1 && IsTempid(items[1]) && TakesEntity(name)) throw Errors.TempidOutsideAdd(op);
        if (name == Idents.DbAdd) OpAdd(items, op);
        else if (name == Idents.DbRetract) OpRetract(items, op);
        else if (name == Idents.RetractEntity || name == Idents.FnRetractEntity) OpRetractEntity(items, op);
        else if (name == Idents.FnRetractAttribute) OpRetractAttribute(items, op);
        else if (name == Idents.Cas || name == Idents.FnCas) OpCas(items, op);
        else if (name == Idents.FnCall) OpCall(items, op);
        else if (name == Idents.Purge) OpPurge(items, op);
        else if (name == Idents.PurgeAttribute) OpPurgeAttribute(items, op);
        else if (name == Idents.PurgeEntity) OpPurgeEntity(items, op);
        else if (name == Idents.HistoryPurgeBefore) OpPurgeHistoryBefore(items, op);
        else if (_callbacks is not null && _callbacks.TryGetFunction(name, out var function)) CallFunction(function, items.AsSpan(1).ToArray(), op);
        else throw Errors.TxSyntax($"Unknown operation {name} at {Errors.Show(op)}");
    }

    /// <summary>The built-in operations other than <c>:db/add</c> whose first argument is an entity.</summary>
    // DATAHIKE: Datahike refuses a tempid as the first argument of any operation but :db/add, also of
    // a registered transaction function; a function's arguments are its own values (a string is not
    // an entity there), so Hike checks only the operations whose first argument is an entity.
    private static bool TakesEntity(Keyword name) =>
        name == Idents.DbRetract || name == Idents.RetractEntity || name == Idents.FnRetractEntity
        || name == Idents.FnRetractAttribute || name == Idents.Cas || name == Idents.FnCas
        || name == Idents.Purge || name == Idents.PurgeAttribute || name == Idents.PurgeEntity;

    /// <summary>Nested entity maps and transaction functions that transact more calls recurse: deep ones fail cleanly.</summary>
    private static void EnsureStack(object? form)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Errors.TxSyntax($"Transaction data is nested too deeply (entity maps in entity maps, or functions calling functions): {Errors.Show(form)}");
        }
    }

    private static void Arity(object?[] items, int min, int max, object op)
    {
        if (items.Length < min || items.Length > max)
        {
            throw Errors.TxSyntax($"Wrong number of arguments to {Errors.Show(items[0])}: {Errors.Show(op)}");
        }
    }
}
