using Hike.Writing;

namespace Hike.Api;

public sealed partial class Connection
{
    /// <summary>
    /// Datahike's <c>load-entities</c>: replays datoms exported from another database — each a
    /// <see cref="Datom"/> or a sequence <c>[e a v tx added]</c> with a keyword attribute — grouped by
    /// source transaction in ascending order (the history index sorted by transaction). Each source
    /// transaction becomes one transaction here, so history keeps its shape: entity ids are mapped to
    /// new ones (refs included, by the schema loaded so far), the source transaction entity's datoms
    /// (<c>:db/txInstant</c>, metadata) go on the new transaction, retractions are replayed. The
    /// instants must be later than this database's last transaction. Transactions are queued without
    /// waiting for each commit (waiting only when one needs an entity id an earlier one assigns), so
    /// many small ones share commits. <paramref name="progress"/> receives the number of datoms read.
    /// The input is read once, as it is enumerated; memory stays bounded (at most 1,024 transactions or
    /// 262,144 datoms queued) apart from the map of source ids to new ones. Other transactions on the
    /// connection may run meanwhile; they then interleave with the loaded ones.
    /// <para>
    /// A malformed datom, an unknown attribute (under <c>:schema-flexibility :write</c>) or a failed
    /// transaction is a <see cref="HikeException"/> naming the datom or source transaction. The
    /// transactions before it stay committed and none after it commits (those already queued fail too).
    /// </para>
    /// <para>
    /// A load that was interrupted (its process killed, its input cut short) is finished by loading the
    /// same stream again: the source transactions it committed are recognised by their
    /// <c>:db/txInstant</c> and their datoms, skipped (<see cref="LoadReport.Skipped"/>), and the load goes
    /// on after them with the ids they were given, so the database ends up holding the stream once. This
    /// needs <c>:keep-history? true</c> and no other writes since; otherwise it is a <c>load/resume</c> error.
    /// </para>
    /// </summary>
    public async Task<LoadReport> LoadEntitiesAsync(IEnumerable<object?> datoms, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(datoms);
        EnsureOpen();
        // Taking the writer's lock before reading any input lets a caller blocked by another process retry with the same input.
        await _writer.AcquireAsync().ConfigureAwait(false);
        return await new EntityLoader(this, progress).LoadAsync(datoms, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Queues a load's transaction (operations already in their final shape). The task is the
    /// writer's own, so its failure shows the moment the writer fails it, before any continuation runs.
    /// </summary>
    internal Task<WriteOutcome> SubmitLoaded(List<object?> operations, CancellationToken cancellationToken)
    {
        EnsureOpen();
        return _writer.TransactAsync(Branch, operations, null, Config.Functions, cancellationToken);
    }
}
