namespace Hike.Cli;

/// <summary>
/// The codes of the errors the command line reports itself (the engine's are in <see cref="ErrorCodes"/>),
/// each named after its code like those. Most are <see cref="HikeException"/>s built in <see cref="CliErrors"/>;
/// <see cref="CliUsage"/>, <see cref="CliInterrupted"/> and <see cref="CliOutOfMemory"/> are only printed.
/// </summary>
internal static class CliErrorCodes
{
    /// <summary>A command line the command does not accept.</summary>
    public const string CliArgument = "cli/argument";

    /// <summary>An input or output format the command does not know, input not in the shape its format needs, or a result the output format cannot hold.</summary>
    public const string CliFormat = "cli/format";

    /// <summary>A file the command cannot read or write.</summary>
    public const string CliFile = "cli/file";

    /// <summary>Input that is not UTF-8.</summary>
    public const string CliEncoding = "cli/encoding";

    /// <summary>A command line the parser rejects: an unknown command or option, a missing argument.</summary>
    public const string CliUsage = "cli/usage";

    /// <summary>The command was interrupted (Ctrl-C or SIGTERM).</summary>
    public const string CliInterrupted = "cli/interrupted";

    /// <summary>The command ran out of memory.</summary>
    public const string CliOutOfMemory = "cli/out-of-memory";

    /// <summary>Malformed JSON input.</summary>
    public const string JsonSyntax = "json/syntax";

    /// <summary>A JSON number outside the range of a double.</summary>
    public const string JsonNumber = "json/number";
}
