using System.Globalization;
using System.Runtime.ExceptionServices;
using Hike.Db;
using Hike.Edn;
using Hike.Writing;

namespace Hike.Api;

/// <summary>
/// Replays an exported datom stream transaction by transaction (<see cref="Connection.LoadEntitiesAsync"/>).
/// A source entity first seen becomes a tempid named after its source id; once its transaction's
/// report arrives, the id it got is used. Transactions are queued without waiting for their commits,
/// so the writer group-commits them; building one waits only for the earlier transactions that
/// assign an id it needs. A load of a stream this database already holds the start of continues
/// after it (<c>EntityLoader.Resume.cs</c>). Single use, not thread-safe.
/// </summary>
internal sealed partial class EntityLoader
{
    /// <summary>The marker that makes an operation address the transaction entity.</summary>
    private const string CurrentTx = "datomic.tx";

    /// <summary>Bounds on the queued transactions, so the memory a load holds does not grow with its input.</summary>
    private const int MaxQueuedTransactions = 1024;

    private const long MaxQueuedDatoms = 1 << 18;

    /// <summary>How often progress is reported inside one large source transaction.</summary>
    private const long ProgressEvery = 1 << 14;

    private static readonly Keyword RefType = Keyword.Intern("db.type/ref");

    private readonly Connection _connection;
    private readonly IProgress<long>? _progress;
    private readonly Schema _targetSchema;
    private readonly bool _schemaOnWrite;

    /// <summary>Source ids whose transactions committed, to the ids they got.</summary>
    private readonly Dictionary<long, long> _resolved = [];

    /// <summary>Source ids introduced by a queued transaction, to that transaction's sequence number.</summary>
    private readonly Dictionary<long, long> _queuedIds = [];

    private readonly Queue<Queued> _queue = new();

    /// <summary>The schema-defining datoms seen so far, per source entity, and what they make each attribute.</summary>
    private readonly Dictionary<long, SourceAttribute> _sourceAttributes = [];

    private readonly Dictionary<Keyword, AttributeKind> _streamKinds = [];

    /// <summary>The current source transaction's datoms and the tempids it introduces.</summary>
    private readonly List<Datom> _group = [];

    private readonly Dictionary<long, string> _groupTempids = [];

    private long _groupTx = -1;
    private long _lastTx = -1;
    private long _sequence;
    private long _queuedDatoms;
    private long _read;
    private int _committed;
    private bool _transactionFailed;
    private Task<WriteOutcome>? _lastTask;
    private CancellationTokenSource _abort = null!;

    public EntityLoader(Connection connection, IProgress<long>? progress)
    {
        _connection = connection;
        _progress = progress;
        var state = connection.Db.State;
        _targetSchema = state.Schema;
        _schemaOnWrite = state.Options.SchemaFlexibility == SchemaFlexibility.Write;
    }

    public async Task<LoadReport> LoadAsync(IEnumerable<object?> datoms, CancellationToken cancellationToken)
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _abort = abort;
        try
        {
            foreach (var item in datoms)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var datom = ToDatom(item);
                if (datom.Tx != _groupTx)
                {
                    if (datom.Tx < _groupTx || datom.Tx <= _lastTx)
                    {
                        throw Errors.TxSyntax($"Datom {Show(datom)} is out of order: datoms must come grouped by transaction, in ascending transaction order, and transaction {Math.Max(_groupTx, _lastTx)} came before it");
                    }
                    if (_group.Count > 0) await FinishGroupAsync().ConfigureAwait(false);
                    _groupTx = datom.Tx;
                }
                _group.Add(datom);
                if (++_read % ProgressEvery == 0) _progress?.Report(_read);
            }
            if (_group.Count > 0) await FinishGroupAsync().ConfigureAwait(false);
            while (_queue.Count > 0) await CommitOldestAsync().ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // After a failed transaction nothing later may commit; after bad input the complete transactions before it still do.
            bool transactionFailed = _transactionFailed;
            if (transactionFailed) await abort.CancelAsync().ConfigureAwait(false);
            var earlier = await SettleQueueAsync().ConfigureAwait(false);
            if (earlier is not null && !transactionFailed) throw earlier;
            ExceptionDispatchInfo.Capture(error).Throw();
        }
        _progress?.Report(_read);
        return new LoadReport(_committed, _read, _resolved) { Skipped = _skipped };
    }

    /// <summary>Skips the current group when an interrupted load of the same stream committed it already, else queues it.</summary>
    private async Task FinishGroupAsync()
    {
        TrackSchema();
        if (!_resumeChecked)
        {
            _resumeChecked = true;
            _resume = await FindResumeAsync().ConfigureAwait(false);
        }
        if (_resume is not null && await TrySkipGroupAsync().ConfigureAwait(false)) return;
        await SubmitGroupAsync().ConfigureAwait(false);
    }

    /// <summary>Turns the current group into one transaction and queues it.</summary>
    private async Task SubmitGroupAsync()
    {
        long sequence = ++_sequence;
        var operations = await OperationsAsync().ConfigureAwait(false);
        var ops = new List<object?>(operations.Count + 1);
        // The writer goes on after a failed transaction; this guard fails the ones queued behind it instead, so nothing after a failure commits.
        if (_queue.Count > 0) ops.Add(EdnVector.Wrap([Idents.FnCall, AfterSuccessOf(_lastTask!)]));
        foreach (var op in operations) ops.Add(EdnVector.Wrap([op.Added ? Idents.DbAdd : Idents.DbRetract, op.E, op.A, op.V]));
        var introduced = new List<KeyValuePair<long, string>>(_groupTempids);
        foreach (var (source, _) in introduced) _queuedIds[source] = sequence;
        _queuedIds[_groupTx] = sequence;
        var task = _connection.SubmitLoaded(ops, _abort.Token);
        _lastTask = task;
        _queue.Enqueue(new Queued(sequence, _groupTx, _group.Count, task, introduced));
        _queuedDatoms += _group.Count;
        _lastTx = _groupTx;
        _group.Clear();
        _groupTempids.Clear();
        _progress?.Report(_read);
        while (_queue.Count > MaxQueuedTransactions || _queuedDatoms > MaxQueuedDatoms) await CommitOldestAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The current group as operations with source ids mapped: its retractions, then its assertions
    /// (a unique value or a cardinality-one value moved within the transaction is freed before it is taken).
    /// </summary>
    private async Task<List<Operation>> OperationsAsync()
    {
        var retractions = new List<Operation>();
        var assertions = new List<Operation>(_group.Count);
        foreach (var datom in _group)
        {
            var kind = KindOf(datom);
            // The database derives composite tuples from their sources itself, and refuses them as input.
            if (kind.IsComposite) continue;
            object e = MapId(datom.E) ?? await MapAfterCommitsAsync(datom.E).ConfigureAwait(false);
            object v = datom.V;
            bool mapped = kind.IsRef && Numbers.IsIntegral(v) && Numbers.FitsLong(v);
            if (mapped)
            {
                long source = Numbers.ToLongUnchecked(v);
                v = MapId(source) ?? await MapAfterCommitsAsync(source).ConfigureAwait(false);
            }
            (datom.Added ? assertions : retractions).Add(new Operation(datom.Added, e, datom.A, v, mapped));
        }
        retractions.AddRange(assertions);
        return retractions;
    }

    /// <summary>
    /// The id to write for source id <paramref name="source"/>: the transaction marker, the id it got,
    /// or its tempid in this transaction. Null when a queued transaction assigns it.
    /// </summary>
    private object? MapId(long source)
    {
        if (source == _groupTx) return CurrentTx;
        if (_resolved.TryGetValue(source, out long target)) return target;
        if (_groupTempids.TryGetValue(source, out var tempid)) return tempid;
        if (_queuedIds.ContainsKey(source)) return null;
        tempid = source.ToString(CultureInfo.InvariantCulture);
        _groupTempids[source] = tempid;
        return tempid;
    }

    private async Task<object> MapAfterCommitsAsync(long source)
    {
        long sequence = _queuedIds[source];
        while (_queue.Count > 0 && _queue.Peek().Sequence <= sequence) await CommitOldestAsync().ConfigureAwait(false);
        return MapId(source)!;
    }

    /// <summary>Waits for the oldest queued transaction and learns the ids it assigned.</summary>
    private async Task CommitOldestAsync()
    {
        var queued = _queue.Dequeue();
        _queuedDatoms -= queued.Datoms;
        WriteOutcome committed;
        try
        {
            committed = await queued.Task.ConfigureAwait(false);
        }
        catch (HikeException e)
        {
            _transactionFailed = true;
            throw Errors.InContext(e, $"Loading source transaction {queued.SourceTx} failed: {e.Message}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _transactionFailed = true;
            throw;
        }
        foreach (var (source, tempid) in queued.Introduced)
        {
            _queuedIds.Remove(source);
            if (committed.Result.TempIds.TryGetValue(tempid, out long target)) _resolved[source] = target;
        }
        _queuedIds.Remove(queued.SourceTx);
        _resolved[queued.SourceTx] = committed.After.MaxTx;
        _committed++;
    }

    /// <summary>Waits for every queued transaction; returns the first failure among them, if any.</summary>
    private async Task<Exception?> SettleQueueAsync()
    {
        Exception? first = null;
        while (_queue.Count > 0)
        {
            try
            {
                await CommitOldestAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                if (first is null && e is not OperationCanceledException) first = e;
                await _abort.CancelAsync().ConfigureAwait(false);
            }
        }
        return first;
    }

    /// <summary>Follows the group's <c>:db/ident</c>, <c>:db/valueType</c> and <c>:db/tupleAttrs</c> datoms, retractions first.</summary>
    private void TrackSchema()
    {
        foreach (bool added in (ReadOnlySpan<bool>)[false, true])
        {
            foreach (var datom in _group)
            {
                if (datom.Added != added) continue;
                if (!ReferenceEquals(datom.A, Idents.Ident) && !ReferenceEquals(datom.A, Idents.ValueType) && !ReferenceEquals(datom.A, Idents.TupleAttrs)) continue;
                _sourceAttributes.TryGetValue(datom.E, out var was);
                var now = was;
                if (ReferenceEquals(datom.A, Idents.Ident)) now = now with { Ident = added ? datom.V as Keyword : null };
                else if (ReferenceEquals(datom.A, Idents.ValueType)) now = now with { ValueType = added ? datom.V as Keyword : null };
                else now = now with { IsComposite = added };
                _sourceAttributes[datom.E] = now;
                if (now.Ident is { } ident) _streamKinds[ident] = new AttributeKind(ReferenceEquals(now.ValueType, RefType), now.IsComposite);
            }
        }
    }

    /// <summary>
    /// A transaction function that fails when <paramref name="previous"/> (the writer's task of the
    /// transaction queued before) failed or was cancelled: the writer settles that task before it runs this.
    /// </summary>
    private static TxFunction AfterSuccessOf(Task<WriteOutcome> previous) => (_, _) =>
    {
        if (previous.IsFaulted || previous.IsCanceled) throw Errors.LoadAborted();
        return null;
    };

    private AttributeKind KindOf(in Datom datom)
    {
        if (_streamKinds.TryGetValue(datom.A, out var kind)) return kind;
        if (_targetSchema.TryGet(datom.A, out var attribute)) return new AttributeKind(attribute.IsRef, attribute.IsComposite);
        if (_schemaOnWrite)
        {
            throw Errors.TxSchema($"Bad entity attribute {datom.A} in datom {Show(datom)}, not defined in the current schema nor by the datoms loaded before it");
        }
        return default;
    }

    private static Datom ToDatom(object? item)
    {
        if (item is Datom datom) return datom;
        if (item is IReadOnlyList<object?> { Count: 5 } parts
            && parts[0] is { } e && IsId(e)
            && parts[1] is Keyword a
            && parts[2] is { } v
            && parts[3] is { } tx && IsId(tx)
            && parts[4] is bool added)
        {
            return new Datom(Numbers.ToLongUnchecked(e), a, v, Numbers.ToLongUnchecked(tx), added);
        }
        throw Errors.TxSyntax($"Bad datom {Errors.Show(item)}: expected [e a v tx added] (an entity id, an attribute keyword, a value, a transaction id and true or false)");
    }

    private static bool IsId(object x) => Numbers.IsIntegral(x) && Numbers.FitsLong(x) && Numbers.ToLongUnchecked(x) >= 0;

    private static string Show(in Datom d) => Errors.Show(EdnPrinter.DatomForm(d.E, d.A, d.V, d.Tx, d.Added));

    /// <summary>A queued transaction: its order, source transaction, size, outcome and the tempids it introduced.</summary>
    private sealed record Queued(long Sequence, long SourceTx, int Datoms, Task<WriteOutcome> Task, List<KeyValuePair<long, string>> Introduced);

    /// <summary>
    /// One operation of a loaded transaction: <paramref name="E"/> (and <paramref name="V"/> when
    /// <paramref name="MappedValue"/>, a ref) is an id here, a tempid or the transaction marker.
    /// </summary>
    private readonly record struct Operation(bool Added, object E, Keyword A, object V, bool MappedValue);

    /// <summary>What the stream's schema datoms say about one source entity.</summary>
    private readonly record struct SourceAttribute(Keyword? Ident, Keyword? ValueType, bool IsComposite);

    /// <summary>What loading needs to know of an attribute: whether its values are entity ids, whether it is derived.</summary>
    private readonly record struct AttributeKind(bool IsRef, bool IsComposite);
}
