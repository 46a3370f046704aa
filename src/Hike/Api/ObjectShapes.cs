using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using Hike.Edn;

namespace Hike.Api;

/// <summary>
/// How a record, class, struct or tuple is built from what a typed read returns, worked out once per type:
/// <list type="bullet">
/// <item>from a row, by position: a tuple (<c>(string, long)</c>, <see cref="ValueTuple"/>, <see cref="Tuple"/>)
/// item by item, else the public constructor whose number of parameters is the row's length;</item>
/// <item>from a map (a pulled entity, a <c>:keys</c>/<c>:strs</c>/<c>:syms</c> result) or an entity, by
/// name: the public constructor with the most parameters (none for a struct or a class with a
/// parameterless one), each parameter, then each remaining settable property, filled from the key
/// named like it (<see cref="MemberNames"/>: namespace dropped, case and dashes ignored, or the attribute
/// a <see cref="HikeAttributeAttribute"/> names). A missing key leaves the default.</item>
/// </list>
/// Thread-safe; shapes are cached for the life of the process.
/// </summary>
internal sealed class ObjectShapes
{
    private static readonly ConcurrentDictionary<Type, ObjectShapes> Cache = new();

    private readonly Type _type;
    private readonly Type[]? _tupleItems;
    private readonly ConstructorInfo? _byName;
    private readonly Member[] _parameters;
    private readonly Member[] _properties;
    private readonly Dictionary<int, ConstructorInfo> _byPosition;

    private ObjectShapes(Type type)
    {
        _type = type;
        var constructors = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance);
        if (IsTuple(type)) _tupleItems = type.GetGenericArguments();
        _byPosition = [];
        foreach (var c in constructors.OrderBy(c => c.MetadataToken))
        {
            _byPosition.TryAdd(c.GetParameters().Length, c);
        }
        var settable = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.SetMethod!.IsPublic && p.GetIndexParameters().Length == 0)
            .ToDictionary(p => p.Name, StringComparer.Ordinal);
        _byName = type.IsValueType && constructors.All(c => c.GetParameters().Length == 0) ? null
            : constructors.Any(c => c.GetParameters().Length == 0) && settable.Count > 0 ? null
            : constructors.OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
        var parameters = _byName?.GetParameters() ?? [];
        _parameters = [.. parameters.Select(p => Member.Of(p, type))];
        var covered = new HashSet<string>(parameters.Select(p => MemberNames.Comparable(p.Name ?? "")), StringComparer.Ordinal);
        _properties = [.. settable.Values.Where(p => !covered.Contains(MemberNames.Comparable(p.Name))).Select(Member.Of)];
    }

    /// <summary>The shape of <paramref name="type"/>.</summary>
    public static ObjectShapes Of(Type type) => Cache.GetOrAdd(type, static t => new ObjectShapes(t));

    /// <summary>
    /// A <see cref="_type"/> from <paramref name="row"/> by position; <paramref name="column"/> names
    /// item <c>i</c> (from 0) for a message.
    /// </summary>
    public object FromRow(object?[] row, Func<int, string> column, Func<string, HikeException> fail)
    {
        if (_tupleItems is { } items)
        {
            int arity = items.Length == 8 && IsTuple(items[7]) ? int.MaxValue : items.Length;
            if (arity != int.MaxValue && arity != row.Length) throw Arity(row.Length, arity, fail);
            return BuildTuple(_type, row, 0, column, fail);
        }
        if (!_byPosition.TryGetValue(row.Length, out var constructor))
        {
            throw fail($"{TypedValues.Display(_type)} has no public constructor of {row.Length} parameter{(row.Length == 1 ? "" : "s")} to take the row {Errors.Show(EdnVector.From(row))} by position");
        }
        var parameters = constructor.GetParameters();
        var args = new object?[row.Length];
        for (int i = 0; i < row.Length; i++)
        {
            args[i] = TypedValues.To(parameters[i].ParameterType, row[i], $"{column(i)} (for {parameters[i].Name})", fail);
        }
        return constructor.Invoke(args);
    }

    /// <summary>A <see cref="_type"/> from the map or entity <paramref name="source"/> by name; <paramref name="where"/> names the map for a message.</summary>
    public object FromMap(object source, string where, Func<string, HikeException> fail)
    {
        var keys = KeysOf(source);
        object? instance;
        if (_byName is null)
        {
            instance = Activator.CreateInstance(_type)!;
        }
        else
        {
            var args = new object?[_parameters.Length];
            for (int i = 0; i < args.Length; i++)
            {
                var p = _parameters[i];
                args[i] = Find(keys, p, out var key, out var value)
                    ? TypedValues.To(p.Type, value, $"{Errors.Show(key)} of {where} (for {TypedValues.Display(_type)}.{p.Name})", fail)
                    : p.Default;
            }
            instance = _byName.Invoke(args);
        }
        foreach (var p in _properties)
        {
            if (Find(keys, p, out var key, out var value))
            {
                p.Set!(instance, TypedValues.To(p.Type, value, $"{Errors.Show(key)} of {where} (for {TypedValues.Display(_type)}.{p.Name})", fail));
            }
        }
        return instance;
    }

    private static HikeException Arity(int columns, int arity, Func<string, HikeException> fail) =>
        fail($"A tuple of {arity} item{(arity == 1 ? "" : "s")} cannot take a row of {columns} column{(columns == 1 ? "" : "s")}");

    private static object BuildTuple(Type type, object?[] row, int start, Func<int, string> column, Func<string, HikeException> fail)
    {
        var items = type.GetGenericArguments();
        var args = new object?[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            if (i == 7 && items.Length == 8 && IsTuple(items[7]))
            {
                args[i] = BuildTuple(items[7], row, start + 7, column, fail);
                break;
            }
            if (start + i >= row.Length) throw Arity(row.Length, start + items.Length, fail);
            args[i] = TypedValues.To(items[i], row[start + i], column(start + i), fail);
        }
        if (items.Length < 8 && start + items.Length != row.Length) throw Arity(row.Length, start + items.Length, fail);
        return Activator.CreateInstance(type, args)!;
    }

    private static bool IsTuple(Type type) =>
        type.IsGenericType && (typeof(ITuple).IsAssignableFrom(type))
        && type.Namespace == "System" && (type.Name.StartsWith("ValueTuple`", StringComparison.Ordinal) || type.Name.StartsWith("Tuple`", StringComparison.Ordinal));

    /// <summary>The keys of a map or entity, by exact key and by comparable name (the first key of a name wins).</summary>
    private static Keys KeysOf(object source)
    {
        var entries = source switch
        {
            Entity e => [.. e.Touch().Select(kv => new KeyValuePair<object?, object?>(kv.Key, kv.Value)), new(Keyword.Intern("db/id"), e.Id)],
            EdnMap m => m.Entries.ToArray(),
            _ => Maps.ToEntries(source)?.ToArray() ?? [],
        };
        return new Keys(entries);
    }

    private static bool Find(Keys keys, Member member, out object? key, out object? value)
    {
        if (member.Attribute is { } attribute)
        {
            key = attribute;
            return keys.Exact.TryGetValue(attribute, out value);
        }
        if (keys.ByName.TryGetValue(member.Comparable, out var hit))
        {
            (key, value) = (hit.Key, hit.Value);
            return true;
        }
        (key, value) = (null, null);
        return false;
    }

    private sealed class Keys
    {
        public Keys(KeyValuePair<object?, object?>[] entries)
        {
            foreach (var entry in entries)
            {
                if (entry.Key is { } k) Exact.TryAdd(k, entry.Value);
                if (MemberNames.ComparableKey(entry.Key) is { } name) ByName.TryAdd(name, entry);
            }
        }

        public Dictionary<object, object?> Exact { get; } = [];

        public Dictionary<string, KeyValuePair<object?, object?>> ByName { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>A constructor parameter or property to fill: its name, type, attribute and, for a parameter, its default.</summary>
    private sealed record Member(string Name, Type Type, Keyword? Attribute, object? Default, Action<object, object?>? Set)
    {
        public string Comparable { get; } = MemberNames.Comparable(Name);

        public static Member Of(ParameterInfo p, Type owner)
        {
            string name = p.Name ?? "";
            // A positional record's parameter shares its name with the property it fills, which may carry the attribute.
            var property = owner.GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
            var attribute = MemberNames.ExplicitAttribute(p) ?? (property is null ? null : MemberNames.ExplicitAttribute(property));
            object? fallback = p.HasDefaultValue ? p.DefaultValue : p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType) : null;
            return new(name, p.ParameterType, attribute, fallback, null);
        }

        public static Member Of(PropertyInfo p) =>
            new(p.Name, p.PropertyType, MemberNames.ExplicitAttribute(p), null, p.SetValue);
    }
}
