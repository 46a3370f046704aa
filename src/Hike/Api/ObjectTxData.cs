using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using Hike.Edn;

namespace Hike.Api;

/// <summary>
/// Transaction data written as C# objects, brought to entity maps: a record, class or anonymous object
/// becomes the map of its public properties, each named as <see cref="MemberNames.AttributeOf"/> says
/// (<c>FirstName</c> → <c>:first-name</c>; a <see cref="HikeAttributeAttribute"/> names any attribute,
/// namespaced too; a property <c>Id</c> is <c>:db/id</c>, left out while it is 0), null properties left
/// out; an enum value becomes the keyword of its name (<c>Role.Admin</c> → <c>:admin</c>); objects and
/// enums inside property values, lists and dictionaries are brought over the same way, so a list of
/// records is a cardinality-many of nested entities. Dictionaries keep their keys (attribute names, with
/// or without the colon). Anything else — EDN values, vectors, strings, numbers — is left as it is.
/// </summary>
internal static class ObjectTxData
{
    private static readonly ConcurrentDictionary<Type, Property[]> Properties = new();
    private static readonly Keyword DbId = Keyword.Intern("db/id");

    /// <summary><paramref name="value"/> with every object in it an entity map; the same instance when it holds none.</summary>
    public static object? Convert(object? value) => NeedsConversion(value) ? ConvertValue(value) : value;

    private static bool NeedsConversion(object? value) => value switch
    {
        null or string or EdnMap or EdnSequence or EdnSet or EdnName or Datom or Entity or Database => false,
        Enum => true,
        _ when value.GetType().IsPrimitive => false,
        Array array when array.GetType().GetElementType()!.IsPrimitive => false,
        _ when Maps.ToEntries(value) is { } entries => entries.Any(e => NeedsConversion(e.Value)),
        IEnumerable items => items.Cast<object?>().Any(NeedsConversion),
        _ => IsObject(value.GetType()),
    };

    private static object? ConvertValue(object? value)
    {
        switch (value)
        {
            case Enum e:
                return Keyword.Intern(MemberNames.KebabCase(e.ToString()));
            case not null when Maps.ToEntries(value) is { } entries:
                return EdnMap.Create(entries.Select(e => new KeyValuePair<object?, object?>(e.Key, Convert(e.Value))));
            case IEnumerable items and not string:
                return items.Cast<object?>().Select(Convert).ToList();
            case not null when IsObject(value.GetType()):
                return ToMap(value);
            default:
                return value;
        }
    }

    private static EdnMap ToMap(object value)
    {
        var entries = new List<KeyValuePair<object?, object?>>();
        foreach (var p in Properties.GetOrAdd(value.GetType(), Describe))
        {
            var v = p.Get(value);
            if (v is null || (ReferenceEquals(p.Attribute, DbId) && !p.Explicit && v is 0L or 0)) continue;
            entries.Add(new(p.Attribute, Convert(v)));
        }
        return EdnMap.Create(entries);
    }

    /// <summary>Whether a value of <paramref name="type"/> is written as the entity of its properties.</summary>
    private static bool IsObject(Type type) =>
        TypedValues.IsComposite(type) && !typeof(ITuple).IsAssignableFrom(type) && type != typeof(Datom) && type != typeof(Database);

    private static Property[] Describe(Type type) =>
    [
        .. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetMethod!.IsPublic && p.GetIndexParameters().Length == 0)
            .Select(p =>
            {
                var named = MemberNames.ExplicitAttribute(p);
                var attribute = named ?? (p.Name == "Id" ? DbId : MemberNames.AttributeOf(p));
                return new Property(attribute, named is not null, p.GetValue);
            }),
    ];

    private sealed record Property(Keyword Attribute, bool Explicit, Func<object?, object?> Get);
}
