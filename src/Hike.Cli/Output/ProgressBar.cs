using System.Diagnostics;
using System.Globalization;

namespace Hike.Cli.Output;

/// <summary>
/// One line on standard error, redrawn in place (<c>\r</c>) at most ten times a second: the datoms
/// done, the rate and, when the total is known, a bar and the percentage. Only for a terminal: a
/// redirected standard error gets nothing, so logs and pipes stay clean. Reports come from one
/// thread at a time.
/// </summary>
internal sealed class ProgressBar : IProgress<long>
{
    private const int BarWidth = 24;
    private static readonly long Interval = Stopwatch.Frequency / 10;

    private readonly TextWriter _errors;
    private readonly string _verb;
    private readonly Func<long, double?> _fraction;
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _lastDraw;
    private long _count;
    private int _width;

    private ProgressBar(TextWriter errors, string verb, Func<long, double?> fraction)
    {
        _errors = errors;
        _verb = verb;
        _fraction = fraction;
    }

    /// <summary>
    /// A progress bar on <paramref name="errors"/> when it is the console's standard error and that is a
    /// terminal, else null. <paramref name="fraction"/> gives the share done for a count (null: unknown).
    /// </summary>
    public static ProgressBar? ForTerminal(TextWriter errors, string verb, Func<long, double?> fraction) =>
        ReferenceEquals(errors, Console.Error) && !Console.IsErrorRedirected ? new ProgressBar(errors, verb, fraction) : null;

    /// <summary>Records <paramref name="count"/> datoms done; redraws when a tenth of a second has passed.</summary>
    public void Report(long count)
    {
        _count = count;
        long now = Stopwatch.GetTimestamp();
        if (now - _lastDraw < Interval) return;
        _lastDraw = now;
        Draw(now);
    }

    /// <summary>Draws the final state and ends the line.</summary>
    public void Finish()
    {
        Draw(Stopwatch.GetTimestamp());
        _errors.WriteLine();
        _errors.Flush();
    }

    private void Draw(long now)
    {
        double seconds = Math.Max((now - _start) / (double)Stopwatch.Frequency, 1e-3);
        var line = string.Create(CultureInfo.InvariantCulture, $"{_verb}: {_count:N0} datoms, {_count / seconds:N0}/s");
        if (_fraction(_count) is { } share)
        {
            share = Math.Clamp(share, 0, 1);
            int filled = (int)(share * BarWidth);
            line = string.Create(CultureInfo.InvariantCulture, $"{_verb} [{new string('#', filled)}{new string('.', BarWidth - filled)}] {share * 100:0}%  {_count:N0} datoms, {_count / seconds:N0}/s");
        }
        // Blanks over what a longer earlier line left behind.
        int width = line.Length;
        if (width < _width) line += new string(' ', _width - width);
        _width = width;
        _errors.Write('\r');
        _errors.Write(line);
        _errors.Flush();
    }
}
