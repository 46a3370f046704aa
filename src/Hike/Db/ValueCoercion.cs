using System.Collections;
using System.Numerics;
using Hike.Edn;

namespace Hike.Db;

/// <summary>
/// Checks a value against an attribute's type and brings it to the one representation the indices
/// store: integral types become <see cref="long"/>, instants UTC <see cref="DateTime"/> at millisecond
/// precision, sequences <see cref="EdnVector"/>, and so on. Returns false when the value does not fit.
/// </summary>
internal static class ValueCoercion
{
    /// <summary>The most values a homogeneous tuple holds (as Datomic and Datahike).</summary>
    public const int MaxHomogeneousTuple = 8;

    /// <summary>Coerces <paramref name="value"/> to <paramref name="type"/>; false when it does not conform.</summary>
    public static bool TryCoerce(DbType type, object? value, out object result)
    {
        if (type == DbType.Any && value is string or long)
        {
            result = value;
            return true;
        }
        result = null!;
        if (value is null) return false;
        switch (type)
        {
            case DbType.Any:
                return TryNormalize(value, out result);
            case DbType.String:
                return TryAs<string>(value, out result);
            case DbType.Long:
            case DbType.Ref:
                if (Numbers.IsIntegral(value) && Numbers.FitsLong(value))
                {
                    result = Numbers.ToLongUnchecked(value);
                    return true;
                }
                return false;
            case DbType.Double:
                if (value is double or float)
                {
                    result = Numbers.ToDouble(value);
                    return true;
                }
                return false;
            case DbType.Float:
                if (value is float or double)
                {
                    result = value is float ? value : (float)(double)value;
                    return true;
                }
                return false;
            case DbType.BigInt:
                if (Numbers.IsIntegral(value))
                {
                    result = Numbers.ToBigInteger(value);
                    return true;
                }
                return false;
            case DbType.BigDec:
                return TryAs<decimal>(value, out result);
            case DbType.Number:
                if (!Numbers.IsNumber(value)) return false;
                result = Numbers.IsIntegral(value) && value is not BigInteger && Numbers.FitsLong(value) ? Numbers.ToLongUnchecked(value) : value;
                return true;
            case DbType.Boolean:
                return TryAs<bool>(value, out result);
            case DbType.Instant:
                if (value is DateTime or DateTimeOffset)
                {
                    result = TruncateToMilliseconds(Instants.ToUtc(value));
                    return true;
                }
                return false;
            case DbType.Uuid:
                return TryAs<Guid>(value, out result);
            case DbType.Keyword:
                return TryAs<Keyword>(value, out result);
            case DbType.Symbol:
                return TryAs<Symbol>(value, out result);
            case DbType.Bytes:
                if (value is byte[] bytes)
                {
                    result = bytes.Clone();
                    return true;
                }
                return false;
            case DbType.FloatArray:
                if (value is float[] floats)
                {
                    result = floats.Clone();
                    return true;
                }
                return false;
            case DbType.DoubleArray:
                if (value is double[] doubles)
                {
                    result = doubles.Clone();
                    return true;
                }
                return false;
            case DbType.Tuple:
                if (value is EdnVector v0)
                {
                    result = v0;
                    return true;
                }
                if (ValueEquality.IsSequential(value))
                {
                    return TryNormalize(value, out result);
                }
                return false;
            default:
                return false;
        }
    }

    /// <summary>
    /// Coerces a tuple value element by element (<paramref name="types"/> for a heterogeneous tuple,
    /// <paramref name="elementType"/> for a homogeneous one); nil elements are allowed.
    /// </summary>
    public static bool TryCoerceTuple(object? value, DbType? elementType, DbType[]? types, int? arity, out EdnVector result) =>
        CoerceTuple(value, elementType, types, arity, out result) is null;

    /// <summary>
    /// As <see cref="TryCoerceTuple"/>, returning why the value does not fit (Datahike's wording) or
    /// null when it does.
    /// </summary>
    public static string? CoerceTuple(object? value, DbType? elementType, DbType[]? types, int? arity, out EdnVector result)
    {
        result = EdnVector.Empty;
        if (value is null || !ValueEquality.IsSequential(value)) return $"Cannot store tuple: expecting a vector, got {Errors.Show(value)}";
        var items = new List<object?>();
        foreach (var item in (IEnumerable)value) items.Add(item);
        if (types is not null && items.Count != types.Length)
        {
            return $"Cannot store heterogeneous tuple: expecting {types.Length} values, got {items.Count}";
        }
        if (arity is { } n && items.Count != n) return $"Cannot store composite tuple: expecting {n} values, got {items.Count}";
        if (types is null && arity is null)
        {
            if (items.Count > MaxHomogeneousTuple) return $"Cannot store more than {MaxHomogeneousTuple} values in a homogeneous tuple: {Errors.Show(value)}";
            if (items.Where(i => i is not null).Select(i => i!.GetType()).Distinct().Count() > 1)
            {
                return $"Cannot store homogeneous tuple with values of different type: {Errors.Show(value)}";
            }
        }
        var coerced = new object?[items.Count];
        for (int i = 0; i < coerced.Length; i++)
        {
            var t = types is not null ? types[i] : elementType ?? DbType.Any;
            if (items[i] is null) continue;
            if (!TryCoerce(t, items[i], out var c))
            {
                return types is not null
                    ? $"Cannot store heterogeneous tuple: there is a mismatch between values {Errors.Show(value)} and their types {Errors.Show(EdnVector.From(types.Select(DbTypes.ToKeyword)))}"
                    : $"Cannot store homogeneous tuple. Values are of wrong type: {Errors.Show(value)}, expected {Errors.Show(DbTypes.ToKeyword(t))}";
            }
            coerced[i] = c;
        }
        result = EdnVector.Wrap(coerced);
        return null;
    }

    /// <summary>
    /// Brings a value of no declared type to its stored representation; false for values Hike cannot
    /// store (nil, arbitrary CLR objects).
    /// </summary>
    public static bool TryNormalize(object? value, out object result)
    {
        if (value is string or long)
        {
            result = value;
            return true;
        }
        result = null!;
        switch (value)
        {
            case null:
                return false;
            case long or string or Keyword or Symbol or bool or double or float or decimal or BigInteger or Guid or char:
                result = value;
                return true;
            case DateTime or DateTimeOffset:
                result = TruncateToMilliseconds(Instants.ToUtc(value));
                return true;
            case byte[] or float[] or double[]:
                result = ((Array)value).Clone();
                return true;
            case EdnVector or EdnList or EdnMap or EdnSet:
                result = value;
                return true;
        }
        if (Numbers.IsIntegral(value))
        {
            result = Numbers.FitsLong(value) ? Numbers.ToLongUnchecked(value) : Numbers.ToBigInteger(value);
            return true;
        }
        if (ValueEquality.IsSequential(value))
        {
            var items = new List<object?>();
            foreach (var item in (IEnumerable)value)
            {
                if (item is null)
                {
                    items.Add(null);
                    continue;
                }
                if (!TryNormalize(item, out var n)) return false;
                items.Add(n);
            }
            result = EdnVector.Wrap([.. items]);
            return true;
        }
        return false;
    }

    private static DateTime TruncateToMilliseconds(DateTime utc) =>
        new(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);

    private static bool TryAs<T>(object value, out object result)
    {
        result = value;
        return value is T;
    }
}
