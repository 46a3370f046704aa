using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Hike.Query.Functions;

/// <summary>Compiled regular expressions by pattern text, so a query calling <c>re-find</c> per row compiles once. Bounded; thread-safe.</summary>
internal sealed class ConcurrentRegexCache
{
    private const int Capacity = 256;
    private readonly ConcurrentDictionary<string, Regex> _cache = new(StringComparer.Ordinal);

    public Regex Get(string pattern, string fn)
    {
        if (_cache.TryGetValue(pattern, out var r)) return r;
        try
        {
            r = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(5));
        }
        catch (ArgumentException e)
        {
            throw Errors.QueryWhere($"{fn}: invalid regular expression {Errors.Show(pattern)}: {e.Message}");
        }
        if (_cache.Count >= Capacity) _cache.Clear();
        _cache[pattern] = r;
        return r;
    }
}
