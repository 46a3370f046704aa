using System.Buffers;

namespace Hike.FullText;

/// <summary>Growing an int buffer rented from <see cref="ArrayPool{T}.Shared"/>, for the token records of analysis.</summary>
internal static class PooledInts
{
    /// <summary>Makes <paramref name="buffer"/> hold at least <paramref name="needed"/> ints, keeping its first <paramref name="used"/>: a rented buffer twice as large replaces it, and it goes back to the pool.</summary>
    public static void EnsureCapacity(ref int[] buffer, int used, int needed)
    {
        if (buffer.Length >= needed) return;
        var larger = ArrayPool<int>.Shared.Rent(Math.Max(needed, buffer.Length * 2));
        buffer.AsSpan(0, used).CopyTo(larger);
        if (buffer.Length > 0) ArrayPool<int>.Shared.Return(buffer);
        buffer = larger;
    }
}
