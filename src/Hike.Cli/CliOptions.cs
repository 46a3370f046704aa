using Hike.Cli.Output;

namespace Hike.Cli;

/// <summary>The options every command takes.</summary>
internal sealed record CliOptions(OutputFormat Format, string InputFormat, string? TxFile, TimeSpan LockTimeout, bool Verbose)
{
    /// <summary><c>recover</c>: apply the repairs instead of only reporting them.</summary>
    public bool Apply { get; init; }
}
