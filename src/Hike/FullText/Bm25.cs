using System.Runtime.CompilerServices;

namespace Hike.FullText;

/// <summary>
/// BM25 exactly as Lucene.Net 4.8's <c>BM25Similarity</c> computes it with its defaults (k1 = 1.2,
/// b = 0.75, overlaps discounted, boost 1), in the same single-precision steps so that scores agree
/// bit for bit per term:
/// <code>
/// idf(df, N)      = (float)ln(1 + (N - df + 0.5) / (df + 0.5))           N = documents, df = their count holding the term
/// avgdl           = (float)(sumTotalTermFreq / (double)N)
/// norm byte       = SmallFloat.floatToByte315(1 / sqrt(length))          one byte per document, lossy
/// cache[norm]     = k1 * ((1 - b) + b * (1 / decoded²) / avgdl)          decoded = byte315ToFloat(norm byte)
/// score(freq, d)  = idf * (k1 + 1) * freq / (freq + cache[norm(d)])
/// </code>
/// A phrase's idf is the sum of its terms' idfs. <c>coord</c> and <c>queryNorm</c> are 1 in BM25, so a
/// boolean query's score is the sum of its matching clauses' scores. Stateless and thread-safe.
/// </summary>
internal static class Bm25
{
    /// <summary>Term-frequency saturation.</summary>
    public const float K1 = 1.2f;

    /// <summary>Length normalisation.</summary>
    public const float B = 0.75f;

    /// <summary>1 / decoded²: the document length each norm byte stands for (Lucene's <c>NORM_TABLE</c>).</summary>
    private static readonly float[] NormTable = BuildNormTable();

    /// <summary>Lucene's inverse document frequency, in double and rounded to float as Lucene does.</summary>
    public static float Idf(long docFreq, long docCount) =>
        (float)Math.Log(1 + (docCount - docFreq + 0.5D) / (docFreq + 0.5D));

    /// <summary>The average field length; 1 when there are no tokens (as Lucene).</summary>
    public static float AverageLength(long sumTotalTermFreq, long docCount) =>
        sumTotalTermFreq <= 0 ? 1f : (float)(sumTotalTermFreq / (double)docCount);

    /// <summary>The one-byte length norm of a text of <paramref name="length"/> tokens (overlaps discounted).</summary>
    public static byte EncodeNorm(int length) => SmallFloat.FloatToByte315(1f / (float)Math.Sqrt(length));

    /// <summary>The length a norm byte decodes to (lossy: many lengths share a byte).</summary>
    public static float DecodeNorm(byte norm) => NormTable[norm];

    /// <summary>
    /// The 256 denominators <c>k1 * ((1 - b) + b * length / avgdl)</c>, one per norm byte, for one
    /// query's collection statistics (Lucene's per-weight <c>cache</c>).
    /// </summary>
    public static float[] LengthCache(float averageLength)
    {
        var cache = new float[256];
        for (int i = 0; i < cache.Length; i++) cache[i] = K1 * ((1 - B) + B * NormTable[i] / averageLength);
        return cache;
    }

    /// <summary>The score of a document in which a query part of <paramref name="weightValue"/> (<see cref="WeightValue"/>) occurs <paramref name="freq"/> times.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Score(float weightValue, float freq, float lengthDenominator) => weightValue * freq / (freq + lengthDenominator);

    /// <summary><c>idf * (k1 + 1)</c>, the numerator's constant (Lucene's <c>weightValue</c>, boost 1).</summary>
    public static float WeightValue(float idf) => idf * (K1 + 1);

    private static float[] BuildNormTable()
    {
        var table = new float[256];
        for (int i = 0; i < 256; i++)
        {
            float f = SmallFloat.Byte315ToFloat((byte)i);
            table[i] = 1.0f / (f * f);
        }
        return table;
    }
}
