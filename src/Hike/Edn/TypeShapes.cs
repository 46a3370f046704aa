using System.Collections.Concurrent;

namespace Hike.Edn;

/// <summary>
/// Which collection shapes a CLR type has (a set, a read-only dictionary), decided once per type:
/// the answers come from reflection, which is too slow to repeat per value.
/// </summary>
internal static class TypeShapes
{
    private static readonly ConcurrentDictionary<Type, (bool IsSet, bool IsReadOnlyDictionary)> Cache = new();

    /// <summary>True when the type implements <see cref="ISet{T}"/> or <see cref="IReadOnlySet{T}"/>.</summary>
    public static bool IsSet(Type type) => Shape(type).IsSet;

    /// <summary>True when the type implements <see cref="IReadOnlyDictionary{TKey, TValue}"/>.</summary>
    public static bool IsReadOnlyDictionary(Type type) => Shape(type).IsReadOnlyDictionary;

    private static (bool IsSet, bool IsReadOnlyDictionary) Shape(Type type) => Cache.GetOrAdd(type, static t =>
    {
        bool set = false, dictionary = false;
        foreach (var i in t.GetInterfaces())
        {
            if (!i.IsGenericType) continue;
            var definition = i.GetGenericTypeDefinition();
            set |= definition == typeof(ISet<>) || definition == typeof(IReadOnlySet<>);
            dictionary |= definition == typeof(IReadOnlyDictionary<,>);
        }
        return (set, dictionary);
    });
}
