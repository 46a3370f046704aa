using Hike.Edn;

namespace Hike.Cli;

/// <summary>The errors the command line reports itself (the engine's are <see cref="HikeException"/>s too).</summary>
internal static class CliErrors
{
    public static HikeException Argument(string message) => new(CliErrorCodes.CliArgument, message);

    public static HikeException Format(string message) => new(CliErrorCodes.CliFormat, message);

    public static HikeException File(string path, string problem) => new(CliErrorCodes.CliFile, $"{path}: {problem}");

    /// <summary>Input that is not UTF-8: <paramref name="offset"/> is the first byte of the bad sequence.</summary>
    public static HikeException Encoding(string source, long offset) => new(CliErrorCodes.CliEncoding, $"{source}: invalid UTF-8 at byte {offset}");

    public static HikeException JsonSyntax(string message) => new(CliErrorCodes.JsonSyntax, message);

    public static HikeException JsonNumber(string text) => new(CliErrorCodes.JsonNumber, $"JSON number {text} is out of the range of a double");

    public static HikeException EntityIdMissing(object eid) => new(ErrorCodes.EntityIdMissing, $"Nothing found for entity id {EdnPrinter.Print(eid)}");

    /// <summary><paramref name="cause"/> told again with where it happened: same code, <paramref name="message"/>, the cause as inner exception.</summary>
    public static HikeException InContext(HikeException cause, string message) => new(cause.Code, message, cause);
}
