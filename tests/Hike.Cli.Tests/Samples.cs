using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Hike.Cli.Tests;

/// <summary>Runs README's sample scripts (<c>samples/</c>) with the hike this suite built.</summary>
internal static class Samples
{
    /// <summary>The repository's root folder.</summary>
    public static string Repo { get; } = RepoOf();

    /// <summary>The lines of the first <paramref name="fence"/> block after README's heading <paramref name="heading"/> (the fence line first).</summary>
    public static string[] ReadmeBlock(string heading, string fence = "```bash")
    {
        var readme = File.ReadAllText(Path.Combine(Repo, "README.md"));
        int section = readme.IndexOf(heading, StringComparison.Ordinal);
        int block = readme.IndexOf(fence, section, StringComparison.Ordinal);
        return readme[block..readme.IndexOf("```\n", block + 7, StringComparison.Ordinal)].Split('\n');
    }

    /// <summary>Runs <c>samples/<paramref name="script"/></c> with <paramref name="environment"/> added; requires it to succeed and returns its output's lines.</summary>
    public static async Task<string[]> RunAsync(string script, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(Repo, "samples", script));
        start.Environment["HIKE"] = $"dotnet {Path.Combine(AppContext.BaseDirectory, "Hike.Cli.dll")}";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{output}\n{await error}");
        return output.Split('\n');
    }

    private static string RepoOf([CallerFilePath] string path = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));
}
