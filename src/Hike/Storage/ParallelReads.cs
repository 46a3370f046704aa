namespace Hike.Storage;

/// <summary>
/// Runs a batch of independent store reads at once when the store's reads are round trips (it does not
/// append in place: a server), so the batch waits for about one round trip rather than one per read;
/// on a local store, one after another on the calling thread. The reads run on threads of their own
/// (store reads block, and the thread pool would grow too slowly to overlap them), at most
/// <see cref="MaxConcurrency"/> at a time, the caller's thread among them.
/// </summary>
internal static class ParallelReads
{
    /// <summary>How many reads of one batch run at once.</summary>
    public const int MaxConcurrency = 32;

    /// <summary>
    /// The results of <paramref name="reads"/>, in order. When reads fail, every read still ends before
    /// this returns, and the first failure (in the batch's order) is thrown as it was.
    /// </summary>
    public static T[] Run<T>(IKeyValueStore store, IReadOnlyList<Func<T>> reads)
    {
        var results = new T[reads.Count];
        if (store.AppendsInPlace || reads.Count <= 1)
        {
            for (int i = 0; i < reads.Count; i++) results[i] = reads[i]();
            return results;
        }
        var failures = new Exception?[reads.Count];
        int next = -1;
        void Drain()
        {
            for (int i = Interlocked.Increment(ref next); i < reads.Count; i = Interlocked.Increment(ref next))
            {
                try
                {
                    results[i] = reads[i]();
                }
                catch (Exception e)
                {
                    failures[i] = e;
                }
            }
        }
        var helpers = new Thread[Math.Min(reads.Count, MaxConcurrency) - 1];
        for (int t = 0; t < helpers.Length; t++)
        {
            helpers[t] = new Thread(Drain) { IsBackground = true, Name = "hike-read" };
            helpers[t].Start();
        }
        Drain();
        foreach (var helper in helpers) helper.Join();
        if (Array.Find(failures, f => f is not null) is { } failure) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        return results;
    }
}
