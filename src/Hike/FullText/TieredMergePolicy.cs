namespace Hike.FullText;

/// <summary>
/// When to merge an attribute's segments, as a pure function of their sizes (oldest first). Segments
/// fall into tiers by size, a tier per factor of <see cref="MergeFactor"/> above
/// <see cref="FloorBytes"/> (everything smaller is the lowest tier); when
/// <see cref="MergeFactor"/> neighbouring segments share a tier, they are merged into one, which
/// lands about a tier up. Only neighbours are merged, so doc order stays insertion order (the order
/// Lucene breaks ties in), and a database of n documents keeps O(<see cref="MergeFactor"/> · log n)
/// segments while each document is rewritten O(log n) times. Stateless and thread-safe.
/// </summary>
internal static class TieredMergePolicy
{
    /// <summary>How many segments of one tier are merged together.</summary>
    public const int MergeFactor = 10;

    /// <summary>Segments up to this size all count as the lowest tier, so that tiny ones merge early.</summary>
    public const long FloorBytes = 8 * 1024;

    /// <summary>The tier of a segment of <paramref name="bytes"/>: 0 up to <see cref="FloorBytes"/>, then one more per factor of <see cref="MergeFactor"/>.</summary>
    public static int Tier(long bytes)
    {
        int tier = 0;
        for (long limit = FloorBytes; bytes > limit && tier < 62; limit = limit > long.MaxValue / MergeFactor ? long.MaxValue : limit * MergeFactor) tier++;
        return tier;
    }

    /// <summary>
    /// The run of neighbouring segments to merge next, as (start, count) over <paramref name="sizes"/>
    /// (oldest first), or null when none is due: the oldest run of <see cref="MergeFactor"/>
    /// neighbours in one tier that starts at or after <paramref name="from"/>. A caller merges,
    /// replaces the run by the result and asks again until null. O(segments).
    /// </summary>
    public static (int Start, int Count)? FindMerge(IReadOnlyList<long> sizes, int from = 0)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        int runStart = from;
        for (int i = from + 1; i <= sizes.Count; i++)
        {
            if (i < sizes.Count && Tier(sizes[i]) == Tier(sizes[runStart]))
            {
                if (i - runStart + 1 == MergeFactor) return (runStart, MergeFactor);
                continue;
            }
            runStart = i;
        }
        return null;
    }
}
