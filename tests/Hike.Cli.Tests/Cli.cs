using System.Diagnostics;
using System.Text;

namespace Hike.Cli.Tests;

/// <summary>Runs the hike command line as its own process, as a shell script would.</summary>
internal static class Cli
{
    private static readonly string Program = Path.Combine(AppContext.BaseDirectory, "Hike.Cli.dll");

    /// <summary>What one run printed and how it exited.</summary>
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        /// <summary>Standard output without its final line break.</summary>
        public string Out => Output.TrimEnd('\n');

        public override string ToString() => $"exit {ExitCode}\nstdout: {Output}\nstderr: {Error}";
    }

    /// <summary>Runs <c>hike</c> with <paramref name="args"/> in <paramref name="directory"/>, feeding <paramref name="input"/> to its standard input.</summary>
    public static Result Run(string directory, string? input, params string[] args)
    {
        using var process = Start(directory, args);
        if (input is not null) process.StandardInput.Write(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3))) throw new TimeoutException($"hike {string.Join(' ', args)} did not exit");
        process.WaitForExit();
        return new Result(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Runs <c>hike</c> and requires it to succeed.</summary>
    public static string Ok(string directory, params string[] args)
    {
        var result = Run(directory, null, args);
        Assert.True(result.ExitCode == 0, $"hike {string.Join(' ', args)} failed: {result}");
        Assert.Equal("", result.Error);
        return result.Out;
    }

    /// <summary>Starts <c>hike</c> without waiting for it.</summary>
    public static Process Start(string directory, params string[] args) => StartWith(directory, new Dictionary<string, string>(), args);

    /// <summary>Starts <c>hike</c> with <paramref name="environment"/> added to its environment.</summary>
    public static Process StartWith(string directory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        // Through env --default-signal=INT: a test run started in the background inherits SIGINT ignored
        // (as shells start background jobs), and hike, like any program, keeps ignoring what it inherits ignored.
        var start = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(Program);
        foreach (var a in args) start.ArgumentList.Add(a);
        return Process.Start(start) ?? throw new InvalidOperationException("could not start hike");
    }

    /// <summary>Runs a tool of the system (<c>kill</c>, <c>mkfifo</c>) and requires it to succeed.</summary>
    public static void RunTool(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {tool}");
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
