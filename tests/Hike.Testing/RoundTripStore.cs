using Hike.Storage;

namespace Hike.Testing;

/// <summary>
/// A store whose every read waits <see cref="Delay"/> first, as a read over a network does, and that
/// counts how many round trips its reads waited for one after another (<see cref="SequentialRoundTrips"/>):
/// a read that starts after another has ended waited for that one too; reads in flight together share
/// one round trip.
/// </summary>
internal sealed class RoundTripStore(IKeyValueStore inner) : DelegatingStore(inner)
{
    private readonly Lock _gate = new();
    private int _deepestEnded;
    private int _deepest;
    private int _reads;

    public TimeSpan Delay { get; set; }

    /// <summary>The longest chain of reads, each started after the one before it ended, since the last <see cref="Reset"/>.</summary>
    public int SequentialRoundTrips
    {
        get
        {
            lock (_gate) return _deepest;
        }
    }

    /// <summary>How many reads were made since the last <see cref="Reset"/>.</summary>
    public int Reads
    {
        get
        {
            lock (_gate) return _reads;
        }
    }

    /// <summary>Starts counting afresh: the next read is the first round trip.</summary>
    public void Reset()
    {
        lock (_gate) _deepestEnded = _deepest = _reads = 0;
    }

    public override byte[]? Get(string key) => RoundTrip(() => Inner.Get(key));

    public override byte[]? GetRange(string key, long offset, int length) => RoundTrip(() => Inner.GetRange(key, offset, length));

    public override long? Size(string key) => RoundTrip(() => Inner.Size(key));

    public override IEnumerable<string> List(string prefix) => RoundTrip(() => Inner.List(prefix).ToList());

    private T RoundTrip<T>(Func<T> read)
    {
        int depth;
        lock (_gate)
        {
            depth = _deepestEnded + 1;
            _deepest = Math.Max(_deepest, depth);
            _reads++;
        }
        Thread.Sleep(Delay);
        try
        {
            return read();
        }
        finally
        {
            lock (_gate) _deepestEnded = Math.Max(_deepestEnded, depth);
        }
    }
}
