using System.Diagnostics;

namespace Hike.Bench;

/// <summary>
/// DataScript's timing rule: warm up, then samples of at least <c>bench-ms</c> each, a sample being
/// the mean time per operation over batches; the figure is the median sample (the upper median
/// for an even count). An operation slower than bench-ms / batch runs in batches of one.
/// </summary>
internal static class BenchTimer
{
    public static volatile object? Sink;

    public sealed record Result(double MedianMs, double[] SamplesMs, int Batch, double FirstMs);

    public static Result Run(Func<object?> op, BenchOptions o)
    {
        var sw = Stopwatch.StartNew();
        Sink = op();
        double first = sw.Elapsed.TotalMilliseconds;
        double warm = TimeFor(o.WarmupMs, op, 1);
        int batch = warm > (double)o.BenchMs / o.Batch ? 1 : o.Batch;
        var samples = new double[o.Samples];
        for (int i = 0; i < samples.Length; i++) samples[i] = TimeFor(o.BenchMs, op, batch);
        var sorted = samples.Order().ToArray();
        return new Result(sorted[sorted.Length / 2], samples, batch, first);
    }

    private static double TimeFor(int durationMs, Func<object?> op, int batch)
    {
        var sw = Stopwatch.StartNew();
        long iterations = 0;
        while (true)
        {
            for (int i = 0; i < batch; i++) Sink = op();
            iterations += batch;
            double t = sw.Elapsed.TotalMilliseconds;
            if (t >= durationMs) return t / iterations;
        }
    }
}
