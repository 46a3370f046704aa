using System.Numerics;
using System.Runtime.CompilerServices;

namespace Hike.FullText;

/// <summary>
/// The documents of one segment a search may see, as a bitset by doc number: the engine derives it
/// from retractions and as-of, so the segment itself never changes when a value is retracted.
/// Immutable once built; thread-safe.
/// </summary>
internal sealed class VisibleDocs
{
    private readonly ulong[] _bits;
    private long _tokens = -1;

    private VisibleDocs(ulong[] bits, int docCount)
    {
        _bits = bits;
        DocCount = docCount;
        int count = 0;
        foreach (ulong word in bits) count += BitOperations.PopCount(word);
        Count = count;
    }

    /// <summary>The segment's document count the set ranges over.</summary>
    public int DocCount { get; }

    /// <summary>Visible documents.</summary>
    public int Count { get; }

    /// <summary>The documents of a segment of <paramref name="docCount"/> for which <paramref name="visible"/> holds.</summary>
    public static VisibleDocs Where(int docCount, Func<int, bool> visible)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(docCount);
        ArgumentNullException.ThrowIfNull(visible);
        var bits = new ulong[(docCount + 63) >> 6];
        for (int d = 0; d < docCount; d++)
        {
            if (visible(d)) bits[d >> 6] |= 1UL << d;
        }
        return new VisibleDocs(bits, docCount);
    }

    /// <summary>
    /// The tokens of the visible documents of <paramref name="segment"/> (the segment this set ranges
    /// over), summed once and kept: a set reused by many searches (the current value's) costs O(docs) once.
    /// A race computes the same sum twice, harmlessly.
    /// </summary>
    public long TokensOf(Segment segment)
    {
        if (_tokens >= 0) return _tokens;
        long tokens = 0;
        for (int d = 0; d < segment.DocCount; d++)
        {
            if (Contains(d)) tokens += segment.Tokens(d);
        }
        return _tokens = tokens;
    }

    /// <summary>True when document <paramref name="doc"/> is visible.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contains(int doc) => (_bits[doc >> 6] & (1UL << doc)) != 0;
}
