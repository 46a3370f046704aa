using System.Collections;
using System.Collections.Concurrent;

namespace Hike.Api;

/// <summary>
/// A collection type a typed read can fill from a vector, list or set: an array, <see cref="List{T}"/>
/// (also as <see cref="IList{T}"/>, <see cref="IReadOnlyList{T}"/>, <see cref="ICollection{T}"/>,
/// <see cref="IReadOnlyCollection{T}"/>, <see cref="IEnumerable{T}"/>) or <see cref="HashSet{T}"/>
/// (also as <see cref="ISet{T}"/>, <see cref="IReadOnlySet{T}"/>), its items converted by <see cref="TypedValues"/>.
/// </summary>
internal sealed class CollectionShape
{
    private static readonly ConcurrentDictionary<Type, CollectionShape?> Cache = new();

    private readonly Type _element;
    private readonly Func<int, IList> _create;
    private readonly Func<IList, object> _finish;

    private CollectionShape(Type element, Func<int, IList> create, Func<IList, object> finish)
    {
        _element = element;
        _create = create;
        _finish = finish;
    }

    /// <summary>The shape of <paramref name="type"/>, or null when it is not a collection type a read fills.</summary>
    public static CollectionShape? Of(Type type) => Cache.GetOrAdd(type, Create);

    /// <summary>A new collection of <paramref name="items"/>, each converted to the element type.</summary>
    public object Build(IEnumerable items, string where, Func<string, HikeException> fail)
    {
        var list = _create(items is ICollection c ? c.Count : 4);
        int i = 0;
        foreach (var item in items)
        {
            list.Add(TypedValues.To(_element, item, $"item {++i} of {where}", fail));
        }
        return _finish(list);
    }

    private static CollectionShape? Create(Type type)
    {
        if (type.IsArray && type.GetArrayRank() == 1)
        {
            var element = type.GetElementType()!;
            var listType = typeof(List<>).MakeGenericType(element);
            return new(element, n => (IList)Activator.CreateInstance(listType, n)!, list =>
            {
                var array = Array.CreateInstance(element, list.Count);
                list.CopyTo(array, 0);
                return array;
            });
        }
        if (!type.IsGenericType || type.GetGenericArguments() is not [var item]) return null;
        var definition = type.GetGenericTypeDefinition();
        if (definition == typeof(List<>) || definition == typeof(IList<>) || definition == typeof(IReadOnlyList<>) || definition == typeof(ICollection<>)
            || definition == typeof(IReadOnlyCollection<>) || definition == typeof(IEnumerable<>))
        {
            var listType = typeof(List<>).MakeGenericType(item);
            return new(item, n => (IList)Activator.CreateInstance(listType, n)!, list => list);
        }
        if (definition == typeof(HashSet<>) || definition == typeof(ISet<>) || definition == typeof(IReadOnlySet<>))
        {
            var listType = typeof(List<>).MakeGenericType(item);
            var setType = typeof(HashSet<>).MakeGenericType(item);
            return new(item, n => (IList)Activator.CreateInstance(listType, n)!, list => Activator.CreateInstance(setType, list)!);
        }
        return null;
    }
}
