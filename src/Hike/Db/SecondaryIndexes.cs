using System.Collections.Immutable;

namespace Hike.Db;

/// <summary>
/// The secondary indices of one database value: one per kind of <see cref="Kinds"/>, in that order.
/// Immutable: a change makes a new value sharing the indices it did not change.
/// </summary>
internal sealed class SecondaryIndexes
{
    /// <summary>Every kind of secondary index Hike keeps.</summary>
    public static readonly ImmutableArray<ISecondaryIndexKind> Kinds = [FullTextKind.Instance];

    public static readonly SecondaryIndexes Empty = new([.. Kinds.Select(k => k.Empty)]);

    private readonly ImmutableArray<ISecondaryIndex> _indexes;

    private SecondaryIndexes(ImmutableArray<ISecondaryIndex> indexes) => _indexes = indexes;

    /// <summary>The index of <paramref name="kind"/>.</summary>
    public ISecondaryIndex Of(ISecondaryIndexKind kind) => _indexes[Position(kind)];

    /// <summary>These indices with <paramref name="index"/> as <paramref name="kind"/>'s.</summary>
    public SecondaryIndexes With(ISecondaryIndexKind kind, ISecondaryIndex index)
    {
        int at = Position(kind);
        return ReferenceEquals(_indexes[at], index) ? this : new SecondaryIndexes(_indexes.SetItem(at, index));
    }

    /// <summary>Every index replaced by what <paramref name="change"/> makes of it; this same value when none changed.</summary>
    public SecondaryIndexes Select(Func<ISecondaryIndexKind, ISecondaryIndex, ISecondaryIndex> change)
    {
        var result = this;
        for (int i = 0; i < Kinds.Length; i++) result = result.With(Kinds[i], change(Kinds[i], _indexes[i]));
        return result;
    }

    /// <summary>The kind named <paramref name="name"/> (its key in a commit record), or null.</summary>
    public static ISecondaryIndexKind? KindNamed(Edn.Keyword name)
    {
        foreach (var kind in Kinds)
        {
            if (kind.Name == name) return kind;
        }
        return null;
    }

    /// <summary>True when some kind indexes values of <paramref name="attribute"/>.</summary>
    public static bool AnyIndexes(DbAttribute attribute)
    {
        foreach (var kind in Kinds)
        {
            if (kind.Indexes(attribute)) return true;
        }
        return false;
    }

    private static int Position(ISecondaryIndexKind kind)
    {
        int at = Kinds.IndexOf(kind);
        return at >= 0 ? at : throw new ArgumentException($"{kind.Name} is not a kind of secondary index Hike keeps", nameof(kind));
    }
}
