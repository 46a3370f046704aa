using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Hike.Edn;

/// <summary>
/// Compiled forms (queries, rules, pull patterns) for the forms callers pass in: by text for EDN
/// strings (bounded; cleared when full) and by identity for immutable EDN sequences and maps, so a
/// form used in a loop is compiled once. Mutable C# collections are compiled on every call, since
/// they may change. Thread-safe.
/// </summary>
internal sealed class FormCache<T>
    where T : class
{
    private const int MaxTextEntries = 1024;

    private readonly Func<object, T> _compile;
    private readonly ConcurrentDictionary<string, T> _byText = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<object, T> _byIdentity = [];

    public FormCache(Func<object, T> compile) => _compile = compile;

    public T Get(object form)
    {
        switch (form)
        {
            case T compiled:
                return compiled;
            case string text:
            {
                if (_byText.TryGetValue(text, out var cached)) return cached;
                var parsed = _compile(text);
                if (_byText.Count >= MaxTextEntries) _byText.Clear();
                _byText.TryAdd(text, parsed);
                return parsed;
            }
            case EdnSequence or EdnMap:
            {
                if (_byIdentity.TryGetValue(form, out var cached)) return cached;
                var parsed = _compile(form);
                if (IsImmutable(form)) _byIdentity.AddOrUpdate(form, parsed);
                return parsed;
            }
            default:
                return _compile(form);
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
