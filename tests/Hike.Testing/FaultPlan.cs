namespace Hike.Testing;

/// <summary>
/// Which faults a <see cref="CrashingStore"/> injects, and how often: each is the chance, per
/// operation of its kind, that it happens. Seeded, so a run can be replayed. Not thread-safe on its
/// own; the store calls it under its lock.
/// </summary>
/// <param name="Seed">Seeds the random choices.</param>
public sealed record FaultPlan(int Seed)
{
    private Random? _random;

    /// <summary>A read (Get, GetRange, List) throws <see cref="IOException"/>.</summary>
    public double ReadError { get; init; }

    /// <summary>A read returns fewer bytes than the value holds, once.</summary>
    public double ShortRead { get; init; }

    /// <summary>A read returns the value with one bit flipped, once (the stored value is intact).</summary>
    public double ReadBitFlip { get; init; }

    /// <summary>A write (Put, Append, Trim, Delete, Sync) throws <see cref="IOException"/> without doing anything.</summary>
    public double WriteError { get; init; }

    /// <summary>
    /// A write of an immutable object or value (Put, Append, Trim, Delete) succeeds, and reads see it
    /// until the next sync, which then reports success but leaves it off the disk: a disk that lies.
    /// Compare-and-set, the one write a store makes durable on its own, is never lost: a lost head
    /// write cannot be told from a crash before it, by Hike or any store without a second copy.
    /// </summary>
    public double LostWrite { get; init; }

    /// <summary>A sync flips one bit of a random value on the disk afterwards (bit rot).</summary>
    public double BitRot { get; init; }

    /// <summary>At a crash, each unsynced write reaches the disk or not at random, and an append may be cut short (instead of all being lost).</summary>
    public bool TornCrash { get; init; }

    /// <summary>How many faults of each kind were injected.</summary>
    public Dictionary<string, int> Injected { get; } = [];

    /// <summary>How many faults that change what is on the disk (lost writes, bit rot, torn crashes) were injected.</summary>
    public int Persistent => Count("lost-write") + Count("bit-rot");

    internal Random Random => _random ??= new Random(Seed);

    /// <summary>Whether a fault with chance <paramref name="rate"/> happens now; counts it under <paramref name="kind"/> when it does.</summary>
    internal bool Roll(double rate, string kind)
    {
        if (rate <= 0 || Random.NextDouble() >= rate) return false;
        Injected[kind] = Count(kind) + 1;
        return true;
    }

    private int Count(string kind) => Injected.TryGetValue(kind, out int n) ? n : 0;
}
