namespace Hike.Cli;

/// <summary>The errors the command line reports itself (the engine's are <see cref="HikeException"/>s too).</summary>
internal static class CliErrors
{
    public static HikeException Argument(string message) => new("cli/argument", message);

    public static HikeException Format(string message) => new("cli/format", message);

    public static HikeException File(string path, string problem) => new("cli/file", $"{path}: {problem}");

    /// <summary>Input that is not UTF-8: <paramref name="offset"/> is the first byte of the bad sequence.</summary>
    public static HikeException Encoding(string source, long offset) => new("cli/encoding", $"{source}: invalid UTF-8 at byte {offset}");
}
