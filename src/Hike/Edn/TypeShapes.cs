using System.Collections.Concurrent;

namespace Hike.Edn;

/// <summary>
/// Which collection shapes a CLR type has (a set, a read-only dictionary), decided once per type:
/// the answers come from reflection, which is too slow to repeat per value.
/// </summary>
internal static class TypeShapes
{
    private static readonly ConcurrentDictionary<Type, (bool IsSet, bool IsReadOnlyDictionary)> Cache = new();
    private static readonly ConcurrentDictionary<Type, bool> PlainCache = new();

    /// <summary>True when the type implements <see cref="ISet{T}"/> or <see cref="IReadOnlySet{T}"/>.</summary>
    public static bool IsSet(Type type) => Shape(type).IsSet;

    /// <summary>True when the type implements <see cref="IReadOnlyDictionary{TKey, TValue}"/>.</summary>
    public static bool IsReadOnlyDictionary(Type type) => Shape(type).IsReadOnlyDictionary;

    /// <summary>
    /// True for a type with no value semantics of Hike's own: not a number, string, name, instant,
    /// array, sequence, map or set. Its values compare and hash with their own Equals and GetHashCode.
    /// </summary>
    public static bool IsPlain(Type type) => PlainCache.GetOrAdd(type, static t =>
        !(t.IsPrimitive || t == typeof(decimal) || t == typeof(System.Numerics.BigInteger) || t == typeof(string)
          || typeof(EdnName).IsAssignableFrom(t) || t == typeof(DateTime) || t == typeof(DateTimeOffset) || t.IsArray
          || typeof(System.Collections.IList).IsAssignableFrom(t) || typeof(System.Collections.IDictionary).IsAssignableFrom(t)
          || typeof(EdnSequence).IsAssignableFrom(t) || t == typeof(EdnMap) || t == typeof(EdnSet) || IsSet(t) || IsReadOnlyDictionary(t)));

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
