using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Hike.Query.Functions;

/// <summary>
/// Compiled regular expressions by pattern text and match timeout, so a query calling <c>re-find</c>
/// per row compiles once. A match's timeout is fixed when its <see cref="Regex"/> is built, so to
/// give each match the time its query has left, timeouts come in powers of two milliseconds: a
/// pattern is compiled at most once per power (a few dozen times at worst), and a match never gets
/// more than the time left nor less than half of it. Bounded; thread-safe.
/// </summary>
internal sealed class ConcurrentRegexCache
{
    private const int Capacity = 256;

    /// <summary>The largest timeout, 2^31 - 1 ms (about 25 days), is what <see cref="Regex"/> accepts; longer is no timeout.</summary>
    private const int MaxPower = 30;

    private readonly ConcurrentDictionary<(string Pattern, RegexOptions Options, int Power), Regex> _cache = new();

    /// <summary>The expression for <paramref name="pattern"/>, with no timeout of its own; invalid ones fail naming <paramref name="fn"/>.</summary>
    public Regex Get(string pattern, string fn) => Get(pattern, RegexOptions.CultureInvariant, -1, fn);

    /// <summary><paramref name="regex"/> with a match timeout of at most <paramref name="timeLeft"/> (and more than half of it).</summary>
    public Regex Bounded(Regex regex, TimeSpan timeLeft, string fn)
    {
        int power = timeLeft == Timeout.InfiniteTimeSpan ? -1 : Math.Min(MaxPower, (int)Math.Log2(Math.Max(1, timeLeft.TotalMilliseconds)));
        if (power < 0 ? regex.MatchTimeout == Regex.InfiniteMatchTimeout : regex.MatchTimeout == TimeSpan.FromMilliseconds(1L << power)) return regex;
        return Get(regex.ToString(), regex.Options, power, fn);
    }

    private Regex Get(string pattern, RegexOptions options, int power, string fn)
    {
        var key = (pattern, options, power);
        if (_cache.TryGetValue(key, out var r)) return r;
        try
        {
            r = new Regex(pattern, options, power < 0 ? Regex.InfiniteMatchTimeout : TimeSpan.FromMilliseconds(1L << power));
        }
        catch (ArgumentException e)
        {
            throw Errors.QueryWhere($"{fn}: invalid regular expression {Errors.Show(pattern)}: {e.Message}");
        }
        if (_cache.Count >= Capacity) _cache.Clear();
        _cache[key] = r;
        return r;
    }
}
