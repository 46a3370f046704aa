using Hike.Edn;
using Hike.FullText;
using Hike.Index.Stored;
using Hike.Index.Tree;

namespace Hike.Db;

/// <summary>
/// The full-text index as a kind of secondary index: the values of <c>:db/fulltext</c> attributes, in
/// segments (<see cref="FullTextIndex"/>), updated by <see cref="FullTextUpdate"/>, analysed ahead by
/// <see cref="FullTextAhead"/>, merged by <see cref="FullTextMerger"/>, stored by <see cref="FullTextStore"/>,
/// searched by Datalog's <c>fulltext</c>. Stateless and thread-safe.
/// </summary>
internal sealed class FullTextKind : ISecondaryIndexKind
{
    public static readonly FullTextKind Instance = new();

    private FullTextKind()
    {
    }

    public Keyword Name { get; } = Keyword.Intern("fulltext");

    public Symbol Function { get; } = Symbol.Intern("fulltext");

    public ISecondaryIndex Empty => FullTextIndex.Empty;

    public bool Indexes(DbAttribute attribute) => attribute.FullText;

    public IAheadWork? PlanAhead(Schema? schema, object? txData) => FullTextAhead.Plan(schema, txData) is { } values ? new AheadAnalysis(values) : null;

    public ISecondaryIndex Apply(ISecondaryIndex index, SecondaryIndexChange change) =>
        FullTextUpdate.Apply((FullTextIndex)index, change.BeforeSchema, change.Schema, change.Datoms, change.CurrentValues, (change.Ahead as AheadAnalysis)?.Taken());

    public ISecondaryIndex Swept(ISecondaryIndex index, Func<long, int, object, bool> isCurrent, Func<long, int, object, bool> inHistory) =>
        FullTextUpdate.Swept((FullTextIndex)index, (e, a, v) => isCurrent(e, a, v), (e, a, v) => inHistory(e, a, v));

    public ISecondaryIndexUpkeep StartUpkeep(Action finished) => new FullTextMerger(finished);

    public ISecondaryIndex KeptInMemory(ISecondaryIndex index) => ((FullTextIndex)index).Committed();

    public (ISecondaryIndex Stored, NodeAddress Root) Write(ISecondaryIndex index, NodeStore nodes) => FullTextStore.Write((FullTextIndex)index, nodes);

    public ISecondaryIndex Read(NodeStore nodes, NodeAddress root, byte[] rootBytes) => FullTextStore.Read(nodes, root, rootBytes);

    public IEnumerable<NodeAddress> References(NodeStore nodes, NodeAddress root) => FullTextStore.References(nodes, root);

    public void Verify(NodeStore nodes, NodeAddress root, HashSet<NodeAddress> verified) => FullTextStore.Verify(nodes, root, verified);

    /// <summary><c>(fulltext $ :attr query)</c>: the matches the index statistics predict for a known attribute and query.</summary>
    public double? EstimateRows(DbView view, IReadOnlyList<object?> args)
    {
        if (args.Count != 2 || args[0] is not Keyword ident || args[1] is not string query) return null;
        if (!view.Schema.TryGet(ident, out var attribute) || !attribute.FullText) return null;
        try
        {
            return view.FullTextEstimate(attribute, query);
        }
        catch (HikeException)
        {
            return null;
        }
    }

    /// <summary>A transaction's values analysed ahead (<see cref="AnalyzedValues"/>), taken by the writer when it builds the segment.</summary>
    private sealed class AheadAnalysis(AnalyzedValues values) : IAheadWork
    {
        public void Run() => values.Run();

        public void Release() => values.Release();

        public AnalyzedValues Taken() => values.Take();
    }
}
