using System.Diagnostics;

namespace Hike.Bench;

/// <summary>
/// Samples the managed heap (<see cref="GC.GetTotalMemory"/>, which counts garbage not yet collected)
/// and the resident set every millisecond on a thread of its own, keeping the highest of each.
/// </summary>
internal sealed class PeakMemory : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _peakHeap;
    private long _peakRss;

    public PeakMemory()
    {
        Sample();
        _thread = new Thread(Loop) { IsBackground = true, Name = "peak-memory" };
        _thread.Start();
    }

    public long PeakHeapBytes => Interlocked.Read(ref _peakHeap);

    public long PeakRssBytes => Interlocked.Read(ref _peakRss);

    /// <summary>The process's highest resident set since it started (Linux VmHWM), which no sampling can miss.</summary>
    public static long ProcessPeakRssBytes()
    {
        using var p = Process.GetCurrentProcess();
        return p.PeakWorkingSet64;
    }

    /// <summary>Stops sampling, after one last sample.</summary>
    public void Dispose()
    {
        if (_stop) return;
        _stop = true;
        _thread.Join();
        Sample();
    }

    private void Loop()
    {
        while (!_stop)
        {
            Sample();
            Thread.Sleep(1);
        }
    }

    private void Sample()
    {
        long heap = GC.GetTotalMemory(forceFullCollection: false);
        long rss = Environment.WorkingSet;
        if (heap > _peakHeap) Interlocked.Exchange(ref _peakHeap, heap);
        if (rss > _peakRss) Interlocked.Exchange(ref _peakRss, rss);
    }
}
