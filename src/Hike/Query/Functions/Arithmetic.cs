using System.Numerics;
using Hike.Edn;

namespace Hike.Query.Functions;

/// <summary>
/// Clojure's numeric tower for query functions: longs stay longs (overflow is an error, as in
/// Clojure), big integers and decimals widen, and any floating value makes the result a double.
/// </summary>
internal static class Arithmetic
{
    private enum Rank
    {
        Long,
        BigInt,
        Decimal,
        Double,
    }

    public static object Add(object? x, object? y, string fn) => Combine(x, y, fn, (a, b) => checked(a + b), (a, b) => a + b, (a, b) => a + b, (a, b) => a + b);

    public static object Subtract(object? x, object? y, string fn) => Combine(x, y, fn, (a, b) => checked(a - b), (a, b) => a - b, (a, b) => a - b, (a, b) => a - b);

    public static object Multiply(object? x, object? y, string fn) => Combine(x, y, fn, (a, b) => checked(a * b), (a, b) => a * b, (a, b) => a * b, (a, b) => a * b);

    /// <summary>
    /// Division. Integers that divide exactly give a long; otherwise a double.
    /// </summary>
    public static object Divide(object? x, object? y, string fn)
    {
        var rank = RankOf(x, y, fn);
        if (rank != Rank.Double && IsZero(y!)) throw Errors.QueryWhere($"Divide by zero in ({fn} {Errors.Show(x)} {Errors.Show(y)})");
        switch (rank)
        {
            case Rank.Long:
            case Rank.BigInt:
                var a = Numbers.ToBigInteger(x!);
                var b = Numbers.ToBigInteger(y!);
                // DATAHIKE: Clojure gives a ratio for inexact integer division; .NET has none, so a double.
                if (BigInteger.Remainder(a, b).IsZero) return Narrow(a / b);
                return (double)a / (double)b;
            case Rank.Decimal:
                return ToDecimal(x!) / ToDecimal(y!);
            default:
                return Numbers.ToDouble(x!) / Numbers.ToDouble(y!);
        }
    }

    public static object Quot(object? x, object? y, string fn) => IntegerOp(x, y, fn, (a, b) => a / b, (a, b) => Math.Truncate(a / b));

    public static object Rem(object? x, object? y, string fn) => IntegerOp(x, y, fn, (a, b) => a % b, (a, b) => a % b);

    public static object Mod(object? x, object? y, string fn) => IntegerOp(x, y, fn, (a, b) =>
    {
        var m = a % b;
        return !m.IsZero && (m.Sign < 0) != (b.Sign < 0) ? m + b : m;
    }, (a, b) =>
    {
        var m = a % b;
        return m != 0 && (m < 0) != (b < 0) ? m + b : m;
    });

    public static object Negate(object? x, string fn) => Subtract(0L, x, fn);

    public static int Compare(object? x, object? y, string fn)
    {
        RankOf(x, y, fn);
        return ValueOrder.CompareValues(x, y);
    }

    public static bool IsZero(object x) => x switch
    {
        long l => l == 0,
        double d => d == 0,
        _ => Numbers.IsIntegral(x) ? Numbers.ToBigInteger(x).IsZero : x is decimal m ? m == 0 : Numbers.ToDouble(x) == 0,
    };

    public static int Sign(object? x, string fn) => Require(x, fn) switch
    {
        long l => Math.Sign(l),
        double d => double.IsNaN(d) ? 0 : Math.Sign(d),
        decimal m => Math.Sign(m),
        float f => Math.Sign(f),
        var n => Numbers.ToBigInteger(n).Sign,
    };

    public static object Require(object? x, string fn) =>
        x is not null && Numbers.IsNumber(x) ? x : throw Errors.QueryWhere($"{fn} expects numbers, got {Errors.Show(x)}");

    public static long RequireInteger(object? x, string fn) =>
        x is not null && Numbers.IsIntegral(x) && Numbers.FitsLong(x) ? Numbers.ToLongUnchecked(x) : throw Errors.QueryWhere($"{fn} expects an integer, got {Errors.Show(x)}");

    private static Rank RankOf(object? x, object? y, string fn)
    {
        var a = RankOf(Require(x, fn));
        var b = RankOf(Require(y, fn));
        return a > b ? a : b;
    }

    private static Rank RankOf(object x) => x switch
    {
        double or float => Rank.Double,
        decimal => Rank.Decimal,
        BigInteger or ulong => Rank.BigInt,
        _ => Rank.Long,
    };

    private static object Combine(object? x, object? y, string fn, Func<long, long, long> longs, Func<BigInteger, BigInteger, BigInteger> bigs, Func<decimal, decimal, decimal> decimals, Func<double, double, double> doubles)
    {
        switch (RankOf(x, y, fn))
        {
            case Rank.Long:
                try
                {
                    return longs(Numbers.ToLongUnchecked(x!), Numbers.ToLongUnchecked(y!));
                }
                catch (OverflowException)
                {
                    throw Errors.QueryWhere($"Integer overflow in ({fn} {Errors.Show(x)} {Errors.Show(y)})");
                }
            case Rank.BigInt:
                return bigs(Numbers.ToBigInteger(x!), Numbers.ToBigInteger(y!));
            case Rank.Decimal:
                return decimals(ToDecimal(x!), ToDecimal(y!));
            default:
                return doubles(Numbers.ToDouble(x!), Numbers.ToDouble(y!));
        }
    }

    private static object IntegerOp(object? x, object? y, string fn, Func<BigInteger, BigInteger, BigInteger> integers, Func<double, double, double> doubles)
    {
        var rank = RankOf(x, y, fn);
        if (IsZero(y!)) throw Errors.QueryWhere($"Divide by zero in ({fn} {Errors.Show(x)} {Errors.Show(y)})");
        return rank is Rank.Long or Rank.BigInt
            ? Narrow(integers(Numbers.ToBigInteger(x!), Numbers.ToBigInteger(y!)))
            : doubles(Numbers.ToDouble(x!), Numbers.ToDouble(y!));
    }

    private static object Narrow(BigInteger b) => b >= long.MinValue && b <= long.MaxValue ? (long)b : b;

    private static decimal ToDecimal(object x) => x is decimal m ? m : Numbers.IsIntegral(x) ? (decimal)Numbers.ToBigInteger(x) : (decimal)Numbers.ToDouble(x);
}
