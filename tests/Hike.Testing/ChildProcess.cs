using System.Collections.Concurrent;
using System.Diagnostics;

namespace Hike.Testing;

/// <summary>A Hike.TestProcess child: its output lines as they come, and SIGKILL.</summary>
internal sealed class ChildProcess : IDisposable
{
    private static readonly string Program = Path.Combine(AppContext.BaseDirectory, "Hike.TestProcess.dll");
    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = [];

    public ChildProcess(params string[] args)
        : this(new Dictionary<string, string?>(), args)
    {
    }

    /// <summary>A child with <paramref name="environment"/> set over this process's (a null value removes the variable).</summary>
    public ChildProcess(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.ArgumentList.Add(Program);
        foreach (var a in args) start.ArgumentList.Add(a);
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start the test process");
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) _lines.CompleteAdding();
            else _lines.Add(e.Data);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) Errors.Add(e.Data);
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private ConcurrentBag<string> Errors { get; } = [];

    /// <summary>The next output line, or null when the process ended or <paramref name="timeout"/> passed.</summary>
    public string? NextLine(TimeSpan timeout) => _lines.TryTake(out var line, timeout) ? line : null;

    /// <summary>Every line printed so far, after the process has exited.</summary>
    public List<string> RemainingLines()
    {
        _process.WaitForExit();
        return [.. _lines.GetConsumingEnumerable()];
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) throw new TimeoutException($"test process did not exit; stderr: {string.Join('\n', Errors)}");
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public string StandardError => string.Join('\n', Errors);

    /// <summary>SIGKILL: the process gets no chance to flush, sync or unlock anything.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
