namespace Hike.Tests.Fuzz;

/// <summary>
/// Runs work items one at a time on a worker thread of its own, waiting for each at most a given
/// time: an input that hangs is reported instead of hanging the test. Once an item overran, the
/// worker is presumed stuck and the watchdog is not used again.
/// </summary>
internal sealed class Watchdog : IDisposable
{
    private readonly AutoResetEvent _start = new(false);
    private readonly ManualResetEventSlim _done = new();
    private Action? _work;
    private Exception? _error;
    private volatile bool _stopping;

    public Watchdog()
    {
        new Thread(Loop) { IsBackground = true, Name = "fuzz worker" }.Start();
    }

    /// <summary>Runs <paramref name="work"/>; returns what it threw (null: nothing), or false in <paramref name="finished"/> when it took longer than <paramref name="limit"/>.</summary>
    public Exception? Run(Action work, TimeSpan limit, out bool finished)
    {
        _work = work;
        _error = null;
        _done.Reset();
        _start.Set();
        finished = _done.Wait(limit);
        return finished ? _error : null;
    }

    private void Loop()
    {
        while (true)
        {
            _start.WaitOne();
            if (_stopping) return;
            try
            {
                _work!();
            }
            catch (Exception e)
            {
                _error = e;
            }
            _done.Set();
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _start.Set();
    }
}
