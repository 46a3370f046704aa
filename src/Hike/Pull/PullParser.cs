using System.Collections;
using System.Runtime.CompilerServices;
using Hike.Edn;

namespace Hike.Pull;

/// <summary>
/// Compiles pull patterns. The grammar is Datomic's and Datahike's:
/// <code>
/// pattern        = [attr-spec*]
/// attr-spec      = attr-name | wildcard | map-spec | attr-with-opts | attr-expr
/// attr-name      = keyword, :db/id, or a reverse ref :ns/_name
/// wildcard       = * | :* | "*"
/// map-spec       = { ((attr-name | attr-with-opts | attr-expr) (pattern | recursion-limit))+ }
/// attr-with-opts = [attr-name (:as any | :limit (positive-int | nil) | :default any)+]
/// attr-expr      = (limit attr-name (positive-int | nil)) | (default attr-name any)
/// recursion-limit = positive-int | ...
/// </code>
/// Attribute names may also be strings (<c>"name"</c>, <c>":name"</c>), read as keywords.
/// <c>:xform</c> is rejected: Hike has no function registry for pull. Every error is a
/// <c>pull/syntax</c> <see cref="HikeException"/> naming the offending element.
/// </summary>
internal static class PullParser
{
    private static readonly Keyword AsOption = Keyword.Intern("as");
    private static readonly Keyword LimitOption = Keyword.Intern("limit");
    private static readonly Keyword DefaultOption = Keyword.Intern("default");
    private static readonly Keyword XformOption = Keyword.Intern("xform");
    private static readonly Keyword WildcardKeyword = Keyword.Intern("*");
    private static readonly Symbol WildcardSymbol = Symbol.Intern("*");
    private static readonly Symbol Ellipsis = Symbol.Intern("...");
    private static readonly Symbol LimitSymbol = Symbol.Intern("limit");
    private static readonly Symbol DefaultSymbol = Symbol.Intern("default");

    /// <summary>
    /// How deeply subpatterns may nest. Compiling and binding a pattern recurse into its subpatterns,
    /// so this bound keeps them within any thread's stack; recursion (<c>{:friend ...}</c>) is not
    /// nesting and has no such bound.
    /// </summary>
    public const int MaxDepth = 100;

    /// <summary>Compiles <paramref name="pattern"/>: EDN text or a sequence value.</summary>
    public static PullPattern Parse(object? pattern)
    {
        if (pattern is string text)
        {
            object? read;
            try
            {
                read = EdnReader.Read(text);
            }
            catch (HikeException)
            {
                throw;
            }
            catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentException or InvalidCastException)
            {
                throw Errors.Pull($"Cannot read pull pattern {Errors.Show(text)}: {e.Message}", e);
            }
            if (read is string) throw Errors.Pull($"Cannot parse pull pattern, expected [attr-spec*], got {Errors.Show(read)}");
            return Parse(read);
        }
        if (pattern is null || !ValueEquality.IsSequential(pattern))
        {
            throw Errors.Pull($"Cannot parse pull pattern, expected [attr-spec*], got {Errors.Show(pattern)}");
        }
        return ParsePattern(pattern, 0);
    }

    private static PullPattern ParsePattern(object pattern, int depth)
    {
        if (depth > MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Errors.Pull($"Pull pattern is nested too deeply (more than {MaxDepth} levels of subpatterns): {Errors.Show(pattern)}");
        }
        bool wildcard = false;
        var specs = new List<PullAttrSpec>();
        List<KeyValuePair<object?, object?>>? mapEntries = null;
        foreach (var element in (IEnumerable)pattern)
        {
            if (IsWildcard(element))
            {
                wildcard = true;
            }
            else if (Maps.ToEntries(element) is { } entries)
            {
                (mapEntries ??= []).AddRange(entries);
            }
            else
            {
                specs.Add(ParseAttrSpec(element));
            }
        }
        // As Datahike's parser: map specs come after the plain ones, so they win for the same attribute.
        if (mapEntries is not null)
        {
            foreach (var (key, value) in mapEntries) specs.Add(ParseMapEntry(key, value, depth));
        }
        return new PullPattern(wildcard, Deduplicate(specs));
    }

    /// <summary>Keeps one spec per attribute name, in first-seen position, with the last one written.</summary>
    private static PullAttrSpec[] Deduplicate(List<PullAttrSpec> specs)
    {
        if (specs.Count < 2) return [.. specs];
        var position = new Dictionary<Keyword, int>(specs.Count);
        var result = new List<PullAttrSpec>(specs.Count);
        foreach (var spec in specs)
        {
            if (position.TryGetValue(spec.Name, out int i))
            {
                result[i] = spec;
            }
            else
            {
                position[spec.Name] = result.Count;
                result.Add(spec);
            }
        }
        return [.. result];
    }

    private static PullAttrSpec ParseAttrSpec(object? element)
    {
        if (TryAttrName(element, out var name)) return new PullAttrSpec(name, null, PullAttrSpec.DefaultLimit, false, null, null, false, 0);
        if (element is not null && ValueEquality.IsSequential(element)) return ParseExpression(element, element);
        if (IsEllipsis(element)) throw Errors.Pull($"Recursion limit ... is only allowed as the value of a map spec, e.g. {{:friend ...}}, in {Errors.Show(element)}");
        throw Errors.Pull($"Cannot parse attr-spec {Errors.Show(element)}, expected attribute name, wildcard, map spec or attribute expression");
    }

    private static PullAttrSpec ParseMapEntry(object? key, object? value, int depth)
    {
        var spec = key is not null && ValueEquality.IsSequential(key)
            ? ParseExpression(key, key)
            : TryAttrName(key, out var name)
                ? new PullAttrSpec(name, null, PullAttrSpec.DefaultLimit, false, null, null, false, 0)
                : throw Errors.Pull($"Cannot parse map spec key {Errors.Show(key)}, expected attribute name or attribute expression");
        if (spec.IsDbId) throw Errors.Pull($"Map spec {{{Errors.Show(key)} {Errors.Show(value)}}}: :db/id is not a reference and takes no subpattern or recursion");
        if (IsEllipsis(value)) return With(spec, null, recursive: true, recursionLimit: 0);
        if (value is not null && Numbers.IsIntegral(value))
        {
            if (!Numbers.FitsLong(value) || Numbers.ToLongUnchecked(value) <= 0)
            {
                throw Errors.Pull($"Map spec {{{Errors.Show(key)} {Errors.Show(value)}}}: recursion limit must be a positive number or ...");
            }
            return With(spec, null, recursive: true, recursionLimit: ClampToInt(Numbers.ToLongUnchecked(value)));
        }
        if (value is not null && ValueEquality.IsSequential(value)) return With(spec, ParsePattern(value, depth + 1), recursive: false, recursionLimit: 0);
        throw Errors.Pull($"Map spec {{{Errors.Show(key)} {Errors.Show(value)}}}: expected a pattern or a recursion limit (positive number or ...), got {Errors.Show(value)}");
    }

    private static PullAttrSpec With(PullAttrSpec spec, PullPattern? subpattern, bool recursive, int recursionLimit) =>
        new(spec.Name, ReferenceEquals(spec.Key, spec.Name) ? null : spec.Key, spec.Limit, spec.HasDefault, spec.Default, subpattern, recursive, recursionLimit);

    /// <summary>Parses <c>[attr :opt v ...]</c>, <c>(limit attr n)</c> or <c>(default attr v)</c>.</summary>
    private static PullAttrSpec ParseExpression(object expression, object context)
    {
        var items = ((IEnumerable)expression).Cast<object?>().ToArray();
        if (items.Length == 0) throw Errors.Pull($"Cannot parse attr-spec {Errors.Show(context)}: empty expression");
        bool named = TryAttrName(items[0], out var name);
        bool expressionHead = IsHead(items[0], LimitSymbol, LimitOption) || IsHead(items[0], DefaultSymbol, DefaultOption);
        // [:limit :as "x"] names the attribute :limit; [:limit :friend 2] is a limit expression (as in Datahike).
        if (named && (!expressionHead || HasOnlyOptions(items))) return ParseAttrWithOptions(name, items, context);
        if (items.Length == 3 && IsHead(items[0], LimitSymbol, LimitOption))
        {
            if (!TryAttrName(items[1], out var attr)) throw Errors.Pull($"Expected (limit attr-name (positive-number | nil)), got {Errors.Show(context)}: {Errors.Show(items[1])} is not an attribute name");
            return new PullAttrSpec(attr, null, ParseLimit(items[2], context), false, null, null, false, 0);
        }
        if (items.Length == 3 && IsHead(items[0], DefaultSymbol, DefaultOption))
        {
            if (!TryAttrName(items[1], out var attr)) throw Errors.Pull($"Expected (default attr-name any-value), got {Errors.Show(context)}: {Errors.Show(items[1])} is not an attribute name");
            return new PullAttrSpec(attr, null, PullAttrSpec.DefaultLimit, true, items[2], null, false, 0);
        }
        if (expressionHead)
        {
            throw Errors.Pull($"Expected ({Errors.Show(items[0])} attr-name value) with exactly 3 elements, got {Errors.Show(context)}");
        }
        throw Errors.Pull($"Cannot parse attr-spec {Errors.Show(context)}, expected [attr-name :as/:limit/:default value ...], (limit attr-name n) or (default attr-name value)");
    }

    private static PullAttrSpec ParseAttrWithOptions(Keyword name, object?[] items, object context)
    {
        if (items.Length == 1) throw Errors.Pull($"Attribute expression {Errors.Show(context)} has no options, expected [attr-name :as/:limit/:default value ...]");
        if (items.Length % 2 == 0) throw Errors.Pull($"Attribute expression {Errors.Show(context)} has an option without a value");
        object? alias = null;
        int limit = PullAttrSpec.DefaultLimit;
        bool hasDefault = false, hasAlias = false, hasLimit = false;
        object? defaultValue = null;
        for (int i = 1; i < items.Length; i += 2)
        {
            var option = items[i] as Keyword;
            if (ReferenceEquals(option, AsOption) && !hasAlias)
            {
                hasAlias = true;
                alias = items[i + 1];
            }
            else if (ReferenceEquals(option, LimitOption) && !hasLimit)
            {
                hasLimit = true;
                limit = ParseLimit(items[i + 1], context);
            }
            else if (ReferenceEquals(option, DefaultOption) && !hasDefault)
            {
                hasDefault = true;
                defaultValue = items[i + 1];
            }
            else if (ReferenceEquals(option, XformOption))
            {
                throw Errors.Pull($"Option :xform in {Errors.Show(context)} is not supported: pull patterns cannot call functions in Hike");
            }
            else if (option is not null && (ReferenceEquals(option, AsOption) || ReferenceEquals(option, LimitOption) || ReferenceEquals(option, DefaultOption)))
            {
                throw Errors.Pull($"Option {option} is given twice in {Errors.Show(context)}");
            }
            else
            {
                throw Errors.Pull($"Unknown option {Errors.Show(items[i])} in {Errors.Show(context)}, expected :as, :limit or :default");
            }
        }
        return new PullAttrSpec(name, alias, limit, hasDefault, defaultValue, null, false, 0);
    }

    private static bool HasOnlyOptions(object?[] items)
    {
        if (items.Length < 3 || items.Length % 2 == 0) return false;
        for (int i = 1; i < items.Length; i += 2)
        {
            if (!(ReferenceEquals(items[i], AsOption) || ReferenceEquals(items[i], LimitOption) || ReferenceEquals(items[i], DefaultOption) || ReferenceEquals(items[i], XformOption))) return false;
        }
        return true;
    }

    private static int ParseLimit(object? value, object context)
    {
        if (value is null) return PullAttrSpec.Unlimited;
        if (Numbers.IsIntegral(value) && Numbers.FitsLong(value) && Numbers.ToLongUnchecked(value) > 0) return ClampToInt(Numbers.ToLongUnchecked(value));
        throw Errors.Pull($"Limit {Errors.Show(value)} in {Errors.Show(context)} must be a positive number or nil");
    }

    private static int ClampToInt(long n) => n > int.MaxValue ? int.MaxValue : (int)n;

    private static bool TryAttrName(object? x, out Keyword name)
    {
        switch (x)
        {
            case Keyword k when !ReferenceEquals(k, WildcardKeyword):
                name = k;
                return true;
            // DATAHIKE: Datahike reads a string as a string-named attribute, which never matches; Hike's
            // attributes are keywords, so "name" and ":name" mean :name (handy in C# patterns).
            case string s when s.Length > 0 && s != "*" && s != "..." && s != ":":
                name = Keyword.Intern(s);
                return true;
            default:
                name = null!;
                return false;
        }
    }

    private static bool IsWildcard(object? x) =>
        ReferenceEquals(x, WildcardSymbol) || ReferenceEquals(x, WildcardKeyword) || x is "*";

    private static bool IsEllipsis(object? x) => ReferenceEquals(x, Ellipsis) || x is "...";

    private static bool IsHead(object? x, Symbol symbol, Keyword keyword) =>
        ReferenceEquals(x, symbol) || ReferenceEquals(x, keyword) || (x is string s && s == symbol.Name);
}
