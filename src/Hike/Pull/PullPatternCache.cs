using Hike.Edn;

namespace Hike.Pull;

/// <summary>
/// Compiled patterns for the patterns callers pass to <c>Database.Pull</c> (see <see cref="FormCache{T}"/>),
/// so a pattern used in a loop is compiled once. Thread-safe.
/// </summary>
internal static class PullPatternCache
{
    private static readonly FormCache<PullPattern> Cache = new(PullPattern.Parse);

    /// <summary>The compiled form of <paramref name="pattern"/>; throws <c>pull/syntax</c> when malformed.</summary>
    public static PullPattern Get(object? pattern) => pattern is null ? PullPattern.Parse(pattern) : Cache.Get(pattern);
}
