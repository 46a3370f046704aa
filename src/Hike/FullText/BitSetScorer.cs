using System.Numerics;

namespace Hike.FullText;

/// <summary>
/// The documents of a set (a prefix's terms' visible documents), each with one constant score, as
/// Lucene's constant-score rewrite of a <c>PrefixQuery</c> scores them (1 with BM25, whose query norm is 1).
/// </summary>
internal sealed class BitSetScorer(ulong[] bits, int docCount, float score) : DocScorer
{
    public override int Advance(int target)
    {
        if (Doc >= target) return Doc;
        if (target >= docCount) return Doc = NoMoreDocs;
        int word = target >> 6;
        ulong bitsLeft = bits[word] & (~0UL << target);
        while (bitsLeft == 0)
        {
            if (++word >= bits.Length) return Doc = NoMoreDocs;
            bitsLeft = bits[word];
        }
        return Doc = (word << 6) + BitOperations.TrailingZeroCount(bitsLeft);
    }

    public override float Score() => score;
}
