using Hike.Edn;
using Hike.Index.Datoms;
using Hike.Index.Stored;
using Hike.Index.Tree;

namespace Hike.Db;

/// <summary>
/// One kind of secondary index: the seam the full-text index plugs into (<see cref="FullTextKind"/>),
/// and a vector index next. An index of a kind is kept per database value (<see cref="DbState.Secondary"/>),
/// maintained from each transaction's datoms (<see cref="Apply"/>), stored in each commit under
/// <see cref="Name"/> (<see cref="Write"/>, <see cref="Read"/>; garbage collection and recovery reach its
/// objects through <see cref="References"/> and <see cref="Verify"/>), kept in shape between commits by an
/// upkeep of its own (<see cref="StartUpkeep"/>, merges for instance), and searched from Datalog through
/// <see cref="Function"/>, whose rows the planner weighs with <see cref="EstimateRows"/>. Implementations
/// are stateless and thread-safe; <see cref="SecondaryIndexes.Kinds"/> lists them.
/// </summary>
internal interface ISecondaryIndexKind
{
    /// <summary>The key of its root in a commit record (<c>:fulltext</c>).</summary>
    Keyword Name { get; }

    /// <summary>The Datalog function that searches it (<c>fulltext</c>).</summary>
    Symbol Function { get; }

    /// <summary>The index of a database with nothing in it.</summary>
    ISecondaryIndex Empty { get; }

    /// <summary>True when the index keeps values of <paramref name="attribute"/> (a bulk load passes only those).</summary>
    bool Indexes(DbAttribute attribute);

    /// <summary>Work on a transaction's data the submitting thread can do before the writer gets to it (null: none).</summary>
    IAheadWork? PlanAhead(Schema? schema, object? txData);

    /// <summary>The index after a transaction (or a bulk load) made <paramref name="change"/>.</summary>
    ISecondaryIndex Apply(ISecondaryIndex index, SecondaryIndexChange change);

    /// <summary>The index without what purges removed: keeps what <paramref name="isCurrent"/> (a current fact) or <paramref name="inHistory"/> (a past one) still holds (entity, attribute, value).</summary>
    ISecondaryIndex Swept(ISecondaryIndex index, Func<long, int, object, bool> isCurrent, Func<long, int, object, bool> inHistory);

    /// <summary>The upkeep of one commit log; <paramref name="finished"/> is called (on a thread of the pool) when work it did apart is ready (<see cref="ISecondaryIndexUpkeep.WithFinished"/>).</summary>
    ISecondaryIndexUpkeep StartUpkeep(Action finished);

    /// <summary>The index as a commit of a database in memory keeps it (nothing in it is new to the next commit).</summary>
    ISecondaryIndex KeptInMemory(ISecondaryIndex index);

    /// <summary>Appends what of <paramref name="index"/> is not stored yet, then its root; the index as stored and the root's address.</summary>
    (ISecondaryIndex Stored, NodeAddress Root) Write(ISecondaryIndex index, NodeStore nodes);

    /// <summary>The index whose root, at <paramref name="root"/>, is <paramref name="rootBytes"/>.</summary>
    ISecondaryIndex Read(NodeStore nodes, NodeAddress root, byte[] rootBytes);

    /// <summary>Every object the root at <paramref name="root"/> names, for marking and copying.</summary>
    IEnumerable<NodeAddress> References(NodeStore nodes, NodeAddress root);

    /// <summary>Reads and checks every object of the index at <paramref name="root"/> not in <paramref name="verified"/>; damage is a <see cref="CorruptionException"/>.</summary>
    void Verify(NodeStore nodes, NodeAddress root, HashSet<NodeAddress> verified);

    /// <summary>
    /// The rows <see cref="Function"/> called with <paramref name="args"/> (after the source; null where
    /// not known yet) will bind in <paramref name="view"/>, from the index's statistics; null when that
    /// cannot be told (the call then runs as any function does and reports what is wrong with it).
    /// </summary>
    double? EstimateRows(DbView view, IReadOnlyList<object?> args);
}

/// <summary>What a transaction (or bulk load) changed, as a secondary index sees it.</summary>
/// <param name="BeforeSchema">The schema before it.</param>
/// <param name="Schema">The schema after it.</param>
/// <param name="Datoms">Its datoms in the order it produced them (each with the transaction that asserted or retracted it).</param>
/// <param name="CurrentValues">An attribute's current datoms after it (for an attribute indexed afresh).</param>
/// <param name="Ahead">The work done ahead for it, of this kind (<see cref="ISecondaryIndexKind.PlanAhead"/>), if any.</param>
internal sealed record SecondaryIndexChange(Schema BeforeSchema, Schema Schema, IEnumerable<IndexDatom> Datoms, Func<int, IEnumerable<IndexDatom>> CurrentValues, IAheadWork? Ahead);

/// <summary>Upkeep of a secondary index between commits (merging, for the full-text index), one per commit log. Used by the writer's thread.</summary>
internal interface ISecondaryIndexUpkeep : IDisposable
{
    /// <summary>The index as a commit stores it: work finished apart put in place, the rest of what is due done now or left to be done apart.</summary>
    ISecondaryIndex Compact(ISecondaryIndex index, bool keepHistory);

    /// <summary>Starts, apart from the commit path, work <paramref name="committed"/> has due.</summary>
    void StartNext(ISecondaryIndex committed, bool keepHistory);

    /// <summary><paramref name="index"/> with work finished apart put in place, where it still fits (for the heads between commits).</summary>
    ISecondaryIndex WithFinished(ISecondaryIndex index);
}

/// <summary>
/// Work on one transaction's data done ahead of the writer: <see cref="Run"/> on the submitting thread;
/// the kind's <see cref="ISecondaryIndexKind.Apply"/> takes the result (finishing what is left) when the
/// writer updates the index, and <see cref="Release"/> lets go of it once the transaction ran.
/// </summary>
internal interface IAheadWork
{
    void Run();

    void Release();
}
