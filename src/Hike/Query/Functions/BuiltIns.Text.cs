using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Hike.Edn;

namespace Hike.Query.Functions;

internal static partial class BuiltIns
{
    private static readonly ConcurrentRegexCache Patterns = new();

    private static void AddText(Dictionary<Symbol, Func<object?[], object?>> t)
    {
        Add(t, "str", a =>
        {
            var sb = new StringBuilder();
            foreach (var x in a) sb.Append(Str(x));
            return sb.ToString();
        });
        Add(t, "pr-str", a => string.Join(" ", a.Select(EdnPrinter.Print)));
        Add(t, "subs", a =>
        {
            Arity(a, "subs", 2, 3);
            var s = Text(a[0], "subs");
            int start = (int)Arithmetic.RequireInteger(a[1], "subs");
            int end = a.Length == 3 ? (int)Arithmetic.RequireInteger(a[2], "subs") : s.Length;
            if (start < 0 || end > s.Length || start > end) throw Errors.QueryWhere($"subs: index out of range ({start}, {end}) for a string of length {s.Length}");
            return s[start..end];
        });
        Add(t, "name", a => One(a, "name") switch
        {
            EdnName n => n.Name,
            string s => s,
            var x => throw Errors.QueryWhere($"name expects a keyword, symbol or string, got {Errors.Show(x)}"),
        });
        Add(t, "namespace", a => One(a, "namespace") switch
        {
            EdnName n => n.Namespace,
            var x => throw Errors.QueryWhere($"namespace expects a keyword or symbol, got {Errors.Show(x)}"),
        });
        Add(t, "keyword", a =>
        {
            Arity(a, "keyword", 1, 2);
            if (a.Length == 2) return Keyword.Intern((string?)a[0], Text(a[1], "keyword"));
            return a[0] switch
            {
                Keyword k => k,
                Symbol s => Keyword.Intern(s.Namespace, s.Name),
                string s => Keyword.Intern(s),
                null => null,
                var x => throw Errors.QueryWhere($"keyword expects a string, got {Errors.Show(x)}"),
            };
        });
        Add(t, "symbol", a =>
        {
            Arity(a, "symbol", 1, 2);
            return a.Length == 2 ? Symbol.Intern((string?)a[0], Text(a[1], "symbol")) : Symbol.Intern(Text(a[0], "symbol"));
        });
        Add(t, "re-pattern", a => Regex(One(a, "re-pattern"), "re-pattern"));
        Add(t, "re-find", a =>
        {
            Arity(a, "re-find", 2, 2);
            var s = Text(a[1], "re-find");
            return Matching(a[0], "re-find", r => r.Match(s) is { Success: true } m ? MatchValue(m) : null);
        });
        Add(t, "re-matches", a =>
        {
            Arity(a, "re-matches", 2, 2);
            var s = Text(a[1], "re-matches");
            return Matching(a[0], "re-matches", r => r.Match(s) is { Success: true } m && m.Index == 0 && m.Length == s.Length ? MatchValue(m) : null);
        });
        Add(t, "re-seq", a =>
        {
            Arity(a, "re-seq", 2, 2);
            var s = Text(a[1], "re-seq");
            var items = Matching(a[0], "re-seq", r => r.Matches(s).Select(MatchValue).ToArray());
            return items.Length == 0 ? null : EdnList.Create(items);
        });
        AddStringNamespace(t);
    }

    private static void AddStringNamespace(Dictionary<Symbol, Func<object?[], object?>> t)
    {
        const string ns = "clojure.string/";
        Add(t, ns + "blank?", a => One(a, "blank?") is not string s || string.IsNullOrWhiteSpace(s));
        Add(t, ns + "includes?", a => TwoText(a, "includes?", (s, x) => s.Contains(x, StringComparison.Ordinal)));
        Add(t, ns + "starts-with?", a => TwoText(a, "starts-with?", (s, x) => s.StartsWith(x, StringComparison.Ordinal)));
        Add(t, ns + "ends-with?", a => TwoText(a, "ends-with?", (s, x) => s.EndsWith(x, StringComparison.Ordinal)));
        Add(t, ns + "lower-case", a => Text(One(a, "lower-case"), "lower-case").ToLowerInvariant());
        Add(t, ns + "upper-case", a => Text(One(a, "upper-case"), "upper-case").ToUpperInvariant());
        Add(t, ns + "capitalize", a =>
        {
            var s = Text(One(a, "capitalize"), "capitalize");
            return s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();
        });
        Add(t, ns + "trim", a => Text(One(a, "trim"), "trim").Trim());
        Add(t, ns + "triml", a => Text(One(a, "triml"), "triml").TrimStart());
        Add(t, ns + "trimr", a => Text(One(a, "trimr"), "trimr").TrimEnd());
        Add(t, ns + "reverse", a =>
        {
            var chars = Text(One(a, "reverse"), "reverse").ToCharArray();
            Array.Reverse(chars);
            return new string(chars);
        });
        Add(t, ns + "join", a =>
        {
            Arity(a, "join", 1, 2);
            var sep = a.Length == 2 ? Str(a[0]) : "";
            var coll = Syntax.Forms.Items(a[^1]) ?? throw Errors.QueryWhere($"join expects a collection, got {Errors.Show(a[^1])}");
            return string.Join(sep, coll.Select(Str));
        });
        Add(t, ns + "split", a =>
        {
            Arity(a, "split", 2, 2);
            var s = Text(a[0], "split");
            var parts = Matching(a[1], "split", r => r.Split(s));
            int n = parts.Length;
            while (n > 0 && parts[n - 1].Length == 0) n--;
            return EdnVector.Create(parts.Take(n).Cast<object?>().ToArray());
        });
        Add(t, ns + "replace", a =>
        {
            Arity(a, "replace", 3, 3);
            var s = Text(a[0], "replace");
            var replacement = Text(a[2], "replace");
            return a[1] is Regex ? Matching(a[1], "replace", r => r.Replace(s, replacement)) : s.Replace(Text(a[1], "replace"), replacement, StringComparison.Ordinal);
        });
    }

    /// <summary>Clojure's <c>str</c> of one value: nil is empty, strings as they are, everything else as printed.</summary>
    internal static string Str(object? x) => x switch
    {
        null => "",
        string s => s,
        char c => c.ToString(),
        Symbol s => s.FullName,
        bool b => b ? "true" : "false",
        _ => EdnPrinter.Print(x),
    };

    private static string Text(object? x, string fn) => x as string ?? throw Errors.QueryWhere($"{fn} expects a string, got {Errors.Show(x)}");

    private static bool TwoText(object?[] a, string fn, Func<string, string, bool> test)
    {
        Arity(a, fn, 2, 2);
        return test(Text(a[0], fn), Text(a[1], fn));
    }

    private static Regex Regex(object? pattern, string fn) => pattern switch
    {
        Regex r => r,
        string s => Patterns.Get(s, fn),
        _ => throw Errors.QueryWhere($"{fn} expects a regular expression or a string pattern, got {Errors.Show(pattern)}"),
    };

    /// <summary>
    /// Runs <paramref name="match"/> with <paramref name="pattern"/> bounded by the regular expression
    /// time the running query has left (<see cref="QueryGuard.RegexTimeLeft"/>), and charges the time it
    /// took. A match cut short by a bound below the time left runs again with what is then left, so
    /// the query's matching stops when its budget is spent, not before.
    /// </summary>
    private static T Matching<T>(object? pattern, string fn, Func<Regex, T> match)
    {
        var guard = QueryGuard.Current;
        var regex = Regex(pattern, fn);
        while (true)
        {
            var bounded = Patterns.Bounded(regex, guard.RegexTimeLeft(fn), fn);
            long started = Stopwatch.GetTimestamp();
            try
            {
                return match(bounded);
            }
            catch (RegexMatchTimeoutException)
            {
                // Try again with the time left; none left fails in RegexTimeLeft.
            }
            finally
            {
                guard.ChargeRegex(Stopwatch.GetElapsedTime(started));
            }
        }
    }

    private static object? MatchValue(Match m)
    {
        if (m.Groups.Count == 1) return m.Value;
        var groups = new object?[m.Groups.Count];
        for (int i = 0; i < groups.Length; i++) groups[i] = m.Groups[i].Success ? m.Groups[i].Value : null;
        return EdnVector.Create(groups);
    }
}
