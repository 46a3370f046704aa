namespace Hike.Bench;

/// <summary>The harness's PRNG (mulberry32), so shuffles match the DataScript side exactly.</summary>
internal sealed class Mulberry32(uint seed)
{
    private uint _a = seed;

    public double Next()
    {
        unchecked
        {
            _a += 0x6D2B79F5;
            uint t = _a;
            t = (t ^ (t >> 15)) * (t | 1);
            t ^= t + (t ^ (t >> 7)) * (t | 61);
            return (t ^ (t >> 14)) / 4294967296.0;
        }
    }

    /// <summary>Fisher–Yates, as the harness does it.</summary>
    public void Shuffle<T>(IList<T> xs)
    {
        for (int i = xs.Count - 1; i > 0; i--)
        {
            int j = (int)Math.Floor(Next() * (i + 1));
            (xs[i], xs[j]) = (xs[j], xs[i]);
        }
    }
}
