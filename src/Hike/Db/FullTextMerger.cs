namespace Hike.Db;

/// <summary>
/// Keeps the merges of large full-text segments off the commit path. A commit compacts its index
/// (<see cref="Compact"/>): the segments its transactions added become one, and merges of up to
/// <see cref="DefaultInlineBytes"/> are done there and then; a larger merge that is due is started on the thread
/// pool once the commit is written (<see cref="StartNext"/>). When it is done, the writer puts its
/// result into the branch heads (<see cref="WithFinished"/>) and the next commit stores it, in place of
/// its inputs where they are still there (<see cref="FullTextIndex.WithMerged"/>) — so a merge never
/// delays a commit, and the index is the same, only laid out differently. One merge runs at a time.
/// Used by the writer's thread; <see cref="Dispose"/> stops a running merge and waits for it.
/// </summary>
internal sealed class FullTextMerger : ISecondaryIndexUpkeep
{
    /// <summary>Runs of segments up to this many bytes are merged by the commit that finds them due (unless told otherwise).</summary>
    public const long DefaultInlineBytes = 256 * 1024;

    private readonly long _inlineBytes;
    private readonly Action? _finished;
    private readonly CancellationTokenSource _stop = new();
    private Task<(FullTextMergeRun Run, FullTextMergeRun.Result Merged)>? _running;
    private bool _disposed;

    /// <summary>
    /// A merger that merges runs of up to <paramref name="inlineBytes"/> on the commit path, and calls
    /// <paramref name="finished"/> (on a thread of the pool) when a merge in the background is done.
    /// </summary>
    public FullTextMerger(Action? finished = null, long inlineBytes = DefaultInlineBytes)
    {
        _finished = finished;
        _inlineBytes = inlineBytes;
    }

    /// <summary>The index as a commit stores it: a merge finished in the background applied, new segments merged into one, small merges done.</summary>
    public FullTextIndex Compact(FullTextIndex index, bool keepHistory)
    {
        if (_running is { IsCompleted: true } done)
        {
            _running = null;
            // A merge that failed (a segment could not be read, say) changes nothing: searching reports what is wrong with the store.
            if (done.IsCompletedSuccessfully) index = index.WithMerged(done.Result.Run, done.Result.Merged);
        }
        return index.Compact(keepHistory, _inlineBytes);
    }

    /// <summary><paramref name="index"/> with the merge finished in the background put in place where its inputs still are; the next <see cref="Compact"/> still applies it.</summary>
    public FullTextIndex WithFinished(FullTextIndex index) =>
        _running is { IsCompletedSuccessfully: true } done ? index.WithMerged(done.Result.Run, done.Result.Merged) : index;

    /// <summary>Starts the large merge <paramref name="committed"/> has due, unless one is running.</summary>
    public void StartNext(FullTextIndex committed, bool keepHistory)
    {
        if (_running is not null || _disposed || committed.LargeMergeDue(_inlineBytes) is not { } run) return;
        var token = _stop.Token;
        _running = Task.Run(() => (run, run.Merge(keepHistory, token)), token);
        if (_finished is { } finished) _running.ContinueWith(_ => finished(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
    }

    /// <summary>Waits until no merge is running; the next commit puts the result in place (for tests and benchmarks that want a settled layout).</summary>
    public void WaitIdle()
    {
        try
        {
            _running?.Wait();
        }
        catch (AggregateException)
        {
            // A failed merge is dropped by the next commit.
        }
    }

    ISecondaryIndex ISecondaryIndexUpkeep.Compact(ISecondaryIndex index, bool keepHistory) => Compact((FullTextIndex)index, keepHistory);

    void ISecondaryIndexUpkeep.StartNext(ISecondaryIndex committed, bool keepHistory) => StartNext((FullTextIndex)committed, keepHistory);

    ISecondaryIndex ISecondaryIndexUpkeep.WithFinished(ISecondaryIndex index) => WithFinished((FullTextIndex)index);

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _stop.Cancel();
        WaitIdle();
        _stop.Dispose();
    }
}
