using System.Numerics;

namespace Hike.Edn;

/// <summary>Classification and conversion of the .NET numeric types Hike accepts as values.</summary>
internal static class Numbers
{
    /// <summary>True for every integral CLR type and <see cref="BigInteger"/>.</summary>
    public static bool IsIntegral(object x) =>
        x is long or int or short or sbyte or byte or ushort or uint or ulong or BigInteger;

    /// <summary>True for every numeric value: integral, floating and decimal.</summary>
    public static bool IsNumber(object x) => IsIntegral(x) || x is double or float or decimal;

    /// <summary>An integral value as a long; callers ensure it fits (BigInteger and ulong may not).</summary>
    public static long ToLongUnchecked(object x) => x switch
    {
        long l => l,
        int i => i,
        short s => s,
        sbyte sb => sb,
        byte b => b,
        ushort us => us,
        uint ui => ui,
        ulong ul => unchecked((long)ul),
        BigInteger bi => (long)bi,
        _ => throw new InvalidCastException($"{x.GetType().Name} is not integral."),
    };

    /// <summary>Widens any integral value to a BigInteger.</summary>
    public static BigInteger ToBigInteger(object x) => x switch
    {
        BigInteger bi => bi,
        ulong ul => ul,
        _ => ToLongUnchecked(x),
    };

    /// <summary>True when an integral value is representable as a long.</summary>
    public static bool FitsLong(object x) => x switch
    {
        BigInteger bi => bi >= long.MinValue && bi <= long.MaxValue,
        ulong ul => ul <= long.MaxValue,
        _ => true,
    };

    public static bool IntegralEquals(object x, object y)
    {
        if (FitsLong(x) && FitsLong(y)) return ToLongUnchecked(x) == ToLongUnchecked(y);
        return ToBigInteger(x) == ToBigInteger(y);
    }

    /// <summary>Any numeric value as a double (may lose precision).</summary>
    public static double ToDouble(object x) => x switch
    {
        double d => d,
        float f => f,
        decimal m => (double)m,
        BigInteger bi => (double)bi,
        _ => ToLongUnchecked(x),
    };
}
