using System.Buffers;
using System.Runtime.CompilerServices;

namespace Hike.Storage;

/// <summary>
/// The key rules every store applies, so a database that works on the tests' memory store works on
/// <see cref="FileStore"/>: non-empty <c>/</c>-separated segments of <c>[a-z0-9._-]</c>, no <c>.</c>
/// segment and no <c>..</c> anywhere (a key is a relative path in a file store and must not alias or
/// escape it), and not the lock file's name. Lower case only, so keys stay distinct on
/// case-insensitive file systems.
/// </summary>
internal static class StoreKeys
{
    /// <summary>The file store's lock file; reserved in every store so the rules stay the same.</summary>
    public const string LockFileName = "writer.lock";

    /// <summary>Ends every temporary file name; <c>~</c> is no key character, so no key can collide.</summary>
    public const string TempSuffix = ".tmp~";

    private static readonly SearchValues<char> SegmentChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789._-");

    /// <summary>True when <paramref name="key"/> follows the rules. O(length).</summary>
    public static bool IsValid(string? key) =>
        !string.IsNullOrEmpty(key) && AreSegmentsValid(key) && key != LockFileName;

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="key"/> is valid.</summary>
    public static void Validate(string key, [CallerArgumentExpression(nameof(key))] string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(key, paramName);
        if (key == LockFileName)
            throw new ArgumentException($"The store key '{key}' is reserved for the writer lock", paramName);
        if (!IsValid(key))
            throw new ArgumentException(
                $"Invalid store key '{key}': expected non-empty segments of [a-z0-9._-] separated by '/', without '..'", paramName);
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> unless <paramref name="prefix"/> can start a key: empty,
    /// or whole valid segments up to its last <c>/</c> followed by the start of one.
    /// </summary>
    public static void ValidatePrefix(string prefix, [CallerArgumentExpression(nameof(prefix))] string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(prefix, paramName);
        int slash = prefix.LastIndexOf('/');
        bool valid = prefix.AsSpan(slash + 1).IndexOfAnyExcept(SegmentChars) < 0
            && !prefix.Contains("..", StringComparison.Ordinal)
            && (slash < 0 || AreSegmentsValid(prefix.AsSpan(0, slash)));
        if (!valid)
            throw new ArgumentException(
                $"Invalid store key prefix '{prefix}': expected the start of a key of [a-z0-9._-] segments separated by '/'", paramName);
    }

    private static bool AreSegmentsValid(ReadOnlySpan<char> path)
    {
        if (path.Contains("..", StringComparison.Ordinal)) return false;
        foreach (Range range in path.Split('/'))
        {
            ReadOnlySpan<char> segment = path[range];
            if (segment.IsEmpty || segment is "." || segment.IndexOfAnyExcept(SegmentChars) >= 0) return false;
        }
        return true;
    }
}
