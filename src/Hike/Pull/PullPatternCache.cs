using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Hike.Edn;

namespace Hike.Pull;

/// <summary>
/// Compiled patterns for the patterns callers pass to <c>Database.Pull</c>: by text for EDN strings
/// (bounded; cleared when full) and by identity for immutable EDN sequences, so a pattern used in a
/// loop is compiled once. Mutable C# lists are compiled on every call, since they may change.
/// Thread-safe.
/// </summary>
internal static class PullPatternCache
{
    private const int MaxTextEntries = 1024;

    private static readonly ConcurrentDictionary<string, PullPattern> ByText = new(StringComparer.Ordinal);
    private static readonly ConditionalWeakTable<EdnSequence, PullPattern> BySequence = [];

    /// <summary>The compiled form of <paramref name="pattern"/>; throws <c>pull/syntax</c> when malformed.</summary>
    public static PullPattern Get(object? pattern)
    {
        switch (pattern)
        {
            case PullPattern compiled:
                return compiled;
            case string text:
            {
                if (ByText.TryGetValue(text, out var cached)) return cached;
                var parsed = PullPattern.Parse(text);
                if (ByText.Count >= MaxTextEntries) ByText.Clear();
                ByText.TryAdd(text, parsed);
                return parsed;
            }
            case EdnSequence sequence:
            {
                if (BySequence.TryGetValue(sequence, out var cached)) return cached;
                var parsed = PullPattern.Parse(sequence);
                if (IsImmutable(sequence)) BySequence.AddOrUpdate(sequence, parsed);
                return parsed;
            }
            default:
                return PullPattern.Parse(pattern);
        }
    }

    /// <summary>True when no mutable collection hides inside <paramref name="value"/> (so caching by identity is safe).</summary>
    private static bool IsImmutable(object? value)
    {
        switch (value)
        {
            case EdnSequence sequence:
                foreach (var item in sequence.AsSpan())
                {
                    if (!IsImmutable(item)) return false;
                }
                return true;
            case EdnMap map:
                foreach (var entry in map.Entries)
                {
                    if (!IsImmutable(entry.Key) || !IsImmutable(entry.Value)) return false;
                }
                return true;
            case EdnSet set:
                foreach (var item in set.Items)
                {
                    if (!IsImmutable(item)) return false;
                }
                return true;
            default:
                return value is null or string or Keyword or Symbol or bool || value.GetType().IsPrimitive || value is decimal or System.Numerics.BigInteger or DateTime or Guid;
        }
    }
}
