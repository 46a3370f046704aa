using Hike.Cli.Output;

namespace Hike.Cli;

/// <summary>The options every command takes; the query limits are null when not given (the database's defaults apply).</summary>
internal sealed record CliOptions(OutputFormat Format, string InputFormat, string? TxFile, TimeSpan LockTimeout, bool Verbose)
{
    /// <summary><c>--timeout</c>: how long a query may run.</summary>
    public TimeSpan? QueryTimeout { get; init; }

    /// <summary><c>--max-rows</c>: the most rows any relation a query builds may hold.</summary>
    public long? QueryMaxRows { get; init; }

    /// <summary><c>recover</c>: apply the repairs instead of only reporting them.</summary>
    public bool Apply { get; init; }

    /// <summary><c>sync</c>: the one branch to copy, as given (<c>:staging</c> or <c>staging</c>); null for every branch.</summary>
    public string? Branch { get; init; }

    /// <summary><c>search</c>: also print each value with the words it matched marked (<c>--highlight</c>).</summary>
    public bool Highlight { get; init; }

    /// <summary><c>serve</c>: the server's config file (<c>--config</c>).</summary>
    public string? ServerConfigFile { get; init; }

    /// <summary><c>serve</c>: <c>--port</c> and <c>--host</c>, over the config file and the environment.</summary>
    public int? Port { get; init; }

    public string? Host { get; init; }
}
