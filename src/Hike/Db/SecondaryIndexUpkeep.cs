using System.Collections.Immutable;

namespace Hike.Db;

/// <summary>The upkeep of every kind of secondary index for one commit log (<see cref="ISecondaryIndexUpkeep"/>). Used by the writer's thread.</summary>
internal sealed class SecondaryIndexUpkeep : IDisposable
{
    private readonly ImmutableArray<ISecondaryIndexUpkeep> _upkeeps;

    /// <param name="finished">Called (on a thread of the pool) when some kind's work done apart is ready.</param>
    public SecondaryIndexUpkeep(Action finished) => _upkeeps = [.. SecondaryIndexes.Kinds.Select(k => k.StartUpkeep(finished))];

    /// <summary>The indices as a commit stores them (<see cref="ISecondaryIndexUpkeep.Compact"/>).</summary>
    public SecondaryIndexes Compact(SecondaryIndexes indexes, bool keepHistory) => indexes.Select((kind, index) => UpkeepOf(kind).Compact(index, keepHistory));

    /// <summary>Starts what the committed indices have due (<see cref="ISecondaryIndexUpkeep.StartNext"/>).</summary>
    public void StartNext(SecondaryIndexes committed, bool keepHistory)
    {
        foreach (var kind in SecondaryIndexes.Kinds) UpkeepOf(kind).StartNext(committed.Of(kind), keepHistory);
    }

    /// <summary>The indices with work finished apart put in place (<see cref="ISecondaryIndexUpkeep.WithFinished"/>).</summary>
    public SecondaryIndexes WithFinished(SecondaryIndexes indexes) => indexes.Select((kind, index) => UpkeepOf(kind).WithFinished(index));

    public void Dispose()
    {
        foreach (var upkeep in _upkeeps) upkeep.Dispose();
    }

    private ISecondaryIndexUpkeep UpkeepOf(ISecondaryIndexKind kind) => _upkeeps[SecondaryIndexes.Kinds.IndexOf(kind)];
}
