namespace Hike.Db;

/// <summary>The value of one secondary index (<see cref="ISecondaryIndexKind"/>) in one database value. Immutable.</summary>
internal interface ISecondaryIndex
{
    /// <summary>True when it holds nothing; a commit then names no root for it.</summary>
    bool IsEmpty { get; }
}
