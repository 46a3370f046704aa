using System.Collections;
using System.Numerics;
using Hike.Edn;

namespace Hike.Api;

/// <summary>
/// Converts one value Hike returns to the CLR type a typed read asks for (<see cref="Database.Q{T}(object)"/>,
/// <see cref="Database.QValue{T}(object)"/>, <see cref="Database.Pull{T}(object, object, CancellationToken)"/>):
/// <list type="bullet">
/// <item>integers (<see cref="long"/>) to any integral type they fit, and to <see cref="double"/>, <see cref="float"/> or <see cref="decimal"/>;
/// floating values to <see cref="double"/>, <see cref="float"/> or <see cref="decimal"/>;</item>
/// <item>a keyword to <see cref="string"/> (its name with namespace, without the colon), to an enum
/// (by name, case and dashes ignored), or kept as <see cref="Keyword"/>; text to <see cref="Keyword"/>;</item>
/// <item>an entity, or a pulled map with <c>:db/id</c>, to <see cref="long"/> (its id);</item>
/// <item>vectors, lists and sets to arrays, <see cref="List{T}"/>, <see cref="IReadOnlyList{T}"/>,
/// <see cref="HashSet{T}"/> or <see cref="IReadOnlySet{T}"/> of a converted element type, and to tuples by position;</item>
/// <item>maps (pulled or <c>:keys</c>) and entities to records and classes by name, and vectors to them by position (<see cref="ObjectShapes"/>);</item>
/// <item>nil to null, or to a nullable type; anything else only to a type it already is.</item>
/// </list>
/// A value that does not fit fails with the caller's error, naming where the value was and what it is.
/// </summary>
internal static class TypedValues
{
    private static readonly Keyword DbId = Keyword.Intern("db/id");

    /// <summary>
    /// <paramref name="value"/> as <paramref name="target"/>; <paramref name="where"/> names its place
    /// for a message (<c>column 2 (?age)</c>), <paramref name="fail"/> makes the error.
    /// </summary>
    public static object? To(Type target, object? value, string where, Func<string, HikeException> fail)
    {
        if (value is null)
        {
            if (!target.IsValueType || Nullable.GetUnderlyingType(target) is not null) return null;
            throw fail($"{Capitalized(where)} is nil, which {Describe(target)} cannot hold; ask for {target.Name}? to read nil");
        }
        if (Nullable.GetUnderlyingType(target) is { } underlying) target = underlying;
        if (target == typeof(object)) return value;
        if (TryConvert(target, value, where, fail, out var converted)) return converted;
        throw Mismatch(target, value, where, fail);
    }

    /// <summary>Whether <paramref name="type"/> is read as a whole from a map or a row (a record, class, struct or tuple), not as one value.</summary>
    public static bool IsComposite(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsPrimitive || type.IsEnum || type.IsArray || type.IsPointer) return false;
        if (type == typeof(string) || type == typeof(object) || type == typeof(decimal) || type == typeof(DateTime) || type == typeof(DateTimeOffset)
            || type == typeof(Guid) || type == typeof(BigInteger) || type == typeof(TimeSpan) || type == typeof(Uri))
        {
            return false;
        }
        if (typeof(EdnName).IsAssignableFrom(type) || typeof(Entity).IsAssignableFrom(type) || typeof(IEnumerable).IsAssignableFrom(type)) return false;
        return !type.IsAbstract && !type.IsInterface;
    }

    /// <summary>The mismatch error for <paramref name="value"/> at <paramref name="where"/>.</summary>
    public static HikeException Mismatch(Type target, object? value, string where, Func<string, HikeException> fail) =>
        fail($"{Capitalized(where)} holds {Errors.Show(value)} ({Kind(value)}), which does not fit {Describe(target)}");

    /// <summary>What <paramref name="value"/> is, in a message: <c>a long</c>, <c>a keyword</c>, <c>a map</c>.</summary>
    public static string Kind(object? value) => value switch
    {
        null => "nil",
        Keyword => "a keyword",
        Symbol => "a symbol",
        string => "a string",
        EdnMap => "a map",
        EdnSet => "a set",
        EdnSequence => "a vector",
        Entity => "an entity",
        _ => "a " + value.GetType().Name,
    };

    private static bool TryConvert(Type target, object value, string where, Func<string, HikeException> fail, out object? converted)
    {
        converted = null;
        if (target == typeof(string))
        {
            converted = value switch
            {
                string s => s,
                Keyword k => k.FullName,
                Symbol s => s.FullName,
                _ => null,
            };
            return converted is not null;
        }
        if (target == typeof(Keyword))
        {
            converted = value switch
            {
                Keyword k => k,
                string s when s.Length > 0 && s != ":" => Keyword.Intern(s),
                _ => null,
            };
            return converted is not null;
        }
        if (target.IsEnum) return TryEnum(target, value, out converted);
        if (Integral(target))
        {
            var id = value switch
            {
                Entity e => e.Id,
                EdnMap m when m.TryGetValue(DbId, out var v) && v is long l => l,
                _ => (long?)null,
            };
            if (id is { } entityId) return TryIntegral(target, entityId, out converted);
            return value is not bool && Numbers.IsIntegral(value) && TryIntegral(target, Numbers.ToBigInteger(value), out converted);
        }
        if (target == typeof(double) || target == typeof(float) || target == typeof(decimal))
        {
            if (value is bool || !Numbers.IsNumber(value)) return false;
            try
            {
                converted = target == typeof(decimal)
                    ? value switch { decimal d => d, BigInteger b => (decimal)b, double d => (decimal)d, float f => (decimal)f, _ => (decimal)Numbers.ToLongUnchecked(value) }
                    : target == typeof(double) ? (object)ToDouble(value) : (float)ToDouble(value);
                return true;
            }
            catch (OverflowException)
            {
                return false;
            }
        }
        if (target == typeof(DateTimeOffset) && value is DateTime instant)
        {
            converted = new DateTimeOffset(instant.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(instant, DateTimeKind.Utc) : instant.ToUniversalTime());
            return true;
        }
        if (target.IsInstanceOfType(value) && !IsCollectionTarget(target))
        {
            converted = value;
            return true;
        }
        if (CollectionShape.Of(target) is { } collection && value is IEnumerable items && value is not string && !Maps.IsMap(value))
        {
            converted = collection.Build(items, where, fail);
            return true;
        }
        if (IsComposite(target))
        {
            if (value is EdnMap or Entity || Maps.IsMap(value))
            {
                converted = ObjectShapes.Of(target).FromMap(value, where, fail);
                return true;
            }
            if (value is EdnSequence row)
            {
                converted = ObjectShapes.Of(target).FromRow([.. row], i => $"item {i + 1} of {where}", fail);
                return true;
            }
        }
        if (target.IsInstanceOfType(value))
        {
            converted = value;
            return true;
        }
        return false;
    }

    private static bool IsCollectionTarget(Type target) => target != typeof(object) && CollectionShape.Of(target) is not null;

    private static bool Integral(Type t) =>
        t == typeof(long) || t == typeof(int) || t == typeof(short) || t == typeof(sbyte)
        || t == typeof(ulong) || t == typeof(uint) || t == typeof(ushort) || t == typeof(byte) || t == typeof(BigInteger);

    private static bool TryIntegral(Type target, BigInteger n, out object? converted)
    {
        converted = null;
        try
        {
            converted = target == typeof(long) ? (long)n
                : target == typeof(int) ? (int)n
                : target == typeof(short) ? (short)n
                : target == typeof(sbyte) ? (sbyte)n
                : target == typeof(ulong) ? (ulong)n
                : target == typeof(uint) ? (uint)n
                : target == typeof(ushort) ? (ushort)n
                : target == typeof(byte) ? (byte)n
                : (object)n;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static double ToDouble(object value) => value switch
    {
        double d => d,
        float f => f,
        decimal m => (double)m,
        BigInteger b => (double)b,
        _ => Numbers.ToLongUnchecked(value),
    };

    private static bool TryEnum(Type target, object value, out object? converted)
    {
        converted = null;
        string? name = value switch
        {
            Keyword k => k.Name,
            string s => s.StartsWith(':') ? s[1..] : s,
            _ => null,
        };
        if (name is null) return false;
        string wanted = MemberNames.Comparable(name);
        foreach (var candidate in Enum.GetNames(target))
        {
            if (MemberNames.Comparable(candidate) == wanted)
            {
                converted = Enum.Parse(target, candidate);
                return true;
            }
        }
        return false;
    }

    private static string Describe(Type type)
    {
        var name = Display(type);
        return "aeiouAEIOU".Contains(name[0]) ? "an " + name : "a " + name;
    }

    /// <summary>A type's name as C# writes it: <c>int</c>, <c>List&lt;string&gt;</c>, <c>(string, long)</c>.</summary>
    public static string Display(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner) return Display(inner) + "?";
        if (type == typeof(int)) return "int";
        if (type == typeof(long)) return "long";
        if (type == typeof(string)) return "string";
        if (type == typeof(double)) return "double";
        if (type == typeof(bool)) return "bool";
        if (type == typeof(object)) return "object";
        if (type.IsArray) return Display(type.GetElementType()!) + "[]";
        if (!type.IsGenericType) return type.Name;
        var args = type.GetGenericArguments().Select(Display);
        if (type.FullName?.StartsWith("System.ValueTuple`", StringComparison.Ordinal) == true) return "(" + string.Join(", ", args) + ")";
        var name = type.Name;
        return name[..name.IndexOf('`')] + "<" + string.Join(", ", args) + ">";
    }

    private static string Capitalized(string where) => where.Length == 0 ? where : char.ToUpperInvariant(where[0]) + where[1..];
}
