using Hike.Index.Tree;

namespace Hike.Index.Datoms;

/// <summary>
/// The trees of a partitioned index by partition number, in chunks of 16 so that replacing one
/// tree copies one chunk and the chunk list, not a slot per attribute. Immutable; the With methods
/// return changed copies.
/// </summary>
internal sealed class PartitionTable<TOrder>
    where TOrder : struct, IDatomOrder
{
    /// <summary>Partitions per chunk: the unit in which a table is copied and stored.</summary>
    public const int ChunkSize = 1 << ChunkBits;

    private const int ChunkBits = 4;

    public static readonly PartitionTable<TOrder> Empty = new([]);

    private readonly PersistentSortedSet<IndexDatom, TOrder>?[]?[] _chunks;

    private PartitionTable(PersistentSortedSet<IndexDatom, TOrder>?[]?[] chunks) => _chunks = chunks;

    /// <summary>One more than the highest partition number the table has room for.</summary>
    public int Limit => _chunks.Length << ChunkBits;

    public PersistentSortedSet<IndexDatom, TOrder>? this[int partition]
    {
        get
        {
            int c = partition >> ChunkBits;
            return c < _chunks.Length ? _chunks[c]?[partition & (ChunkSize - 1)] : null;
        }
    }

    /// <summary>Number of chunks (each <see cref="ChunkSize"/> partitions).</summary>
    internal int ChunkCount => _chunks.Length;

    /// <summary>The trees of chunk <paramref name="chunk"/>, or null when it holds none. Never changed once in a table, so its identity tells whether it changed.</summary>
    internal PersistentSortedSet<IndexDatom, TOrder>?[]? ChunkAt(int chunk) => _chunks[chunk];

    /// <summary>A table over chunks read back from storage.</summary>
    internal static PartitionTable<TOrder> FromChunks(PersistentSortedSet<IndexDatom, TOrder>?[]?[] chunks) => new(chunks);

    /// <summary>The table with <paramref name="set"/> (null for none) as partition <paramref name="partition"/>.</summary>
    public PartitionTable<TOrder> With(int partition, PersistentSortedSet<IndexDatom, TOrder>? set)
    {
        int c = partition >> ChunkBits;
        var chunks = new PersistentSortedSet<IndexDatom, TOrder>?[Math.Max(_chunks.Length, c + 1)][];
        Array.Copy(_chunks, chunks, _chunks.Length);
        var chunk = chunks[c] is { } old ? (PersistentSortedSet<IndexDatom, TOrder>?[])old.Clone() : new PersistentSortedSet<IndexDatom, TOrder>?[ChunkSize];
        chunk[partition & (ChunkSize - 1)] = set is { Count: > 0 } ? set : null;
        chunks[c] = chunk;
        return new PartitionTable<TOrder>(chunks);
    }

    /// <summary>The table with several partitions replaced, copying each touched chunk once.</summary>
    public PartitionTable<TOrder> With(IEnumerable<KeyValuePair<int, PersistentSortedSet<IndexDatom, TOrder>>> changes)
    {
        PersistentSortedSet<IndexDatom, TOrder>?[]?[]? chunks = null;
        bool[]? copied = null;
        foreach (var (partition, set) in changes)
        {
            int c = partition >> ChunkBits;
            if (chunks is null || c >= chunks.Length)
            {
                var grown = new PersistentSortedSet<IndexDatom, TOrder>?[Math.Max(chunks?.Length ?? _chunks.Length, c + 1)][];
                Array.Copy(chunks ?? _chunks, grown, (chunks ?? _chunks).Length);
                chunks = grown;
                Array.Resize(ref copied, chunks.Length);
            }
            if (!copied![c])
            {
                chunks[c] = chunks[c] is { } old ? (PersistentSortedSet<IndexDatom, TOrder>?[])old.Clone() : new PersistentSortedSet<IndexDatom, TOrder>?[ChunkSize];
                copied[c] = true;
            }
            chunks[c]![partition & (ChunkSize - 1)] = set is { Count: > 0 } ? set : null;
        }
        return chunks is null ? this : new PartitionTable<TOrder>(chunks);
    }

    /// <summary>A table built from trees given in ascending partition order.</summary>
    public static PartitionTable<TOrder> From(IEnumerable<(int Partition, PersistentSortedSet<IndexDatom, TOrder> Set)> parts)
    {
        var chunks = new List<PersistentSortedSet<IndexDatom, TOrder>?[]?>();
        foreach (var (p, set) in parts)
        {
            int c = p >> ChunkBits;
            while (chunks.Count <= c) chunks.Add(null);
            (chunks[c] ??= new PersistentSortedSet<IndexDatom, TOrder>?[ChunkSize])[p & (ChunkSize - 1)] = set;
        }
        return new PartitionTable<TOrder>([.. chunks]);
    }
}
