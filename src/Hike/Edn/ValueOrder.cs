using System.Buffers.Binary;
using System.Collections;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Hike.Edn;

/// <summary>
/// The one total order over every value Hike stores (Datahike's <c>compare-value</c> contract):
/// <c>nil</c> first; values of different kinds by kind (booleans, numbers, characters, strings,
/// keywords, symbols, instants, UUIDs, byte arrays, float arrays, double arrays, sequences, maps,
/// sets); numbers by numeric value across integral, decimal and floating types (a tie between
/// types, as <c>1</c> and <c>1.0</c>, is broken by type so distinct values stay distinct); arrays,
/// vectors and tuples element by element, then by length; maps and sets by size, then by their
/// entries or elements in sorted order; UUIDs as Java orders them (signed high 64 bits, then signed
/// low 64 bits). Values equal under <see cref="ValueEquality"/> compare as 0. Stateless and thread-safe.
/// </summary>
internal sealed class ValueOrder : IComparer<object?>
{
    /// <summary>The shared instance.</summary>
    public static readonly ValueOrder Instance = new();

    /// <summary>A bound below every value, for index range scans. Never stored.</summary>
    internal static readonly object Min = new Bound("min");

    /// <summary>A bound above every value, for index range scans. Never stored.</summary>
    internal static readonly object Max = new Bound("max");

    private ValueOrder()
    {
    }

    /// <inheritdoc />
    public int Compare(object? x, object? y) => CompareValues(x, y);

    /// <summary>Compares two values in the total order. The hot path (longs, strings) takes no type switch.</summary>
    public static int CompareValues(object? x, object? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is long lx && y is long ly) return lx.CompareTo(ly);
        if (x is string sx && y is string sy) return string.CompareOrdinal(sx, sy);
        if (x is Keyword kx && y is Keyword ky) return kx.CompareTo(ky);
        return CompareSlow(x, y);
    }

    private static int CompareSlow(object? x, object? y)
    {
        int rx = Rank(x), ry = Rank(y);
        if (rx != ry) return rx < ry ? -1 : 1;
        switch (rx)
        {
            case RankNil:
            case RankMin:
            case RankMax:
                return 0;
            case RankBoolean:
                return ((bool)x!).CompareTo((bool)y!);
            case RankNumber:
                return CompareNumbers(x!, y!);
            case RankChar:
                return ((char)x!).CompareTo((char)y!);
            case RankString:
                return string.CompareOrdinal((string)x!, (string)y!);
            case RankKeyword:
                return ((Keyword)x!).CompareTo((Keyword)y!);
            case RankSymbol:
                return ((Symbol)x!).CompareTo((Symbol)y!);
            case RankInstant:
                return Instants.ToUtc(x!).Ticks.CompareTo(Instants.ToUtc(y!).Ticks);
            case RankUuid:
                return CompareUuids((Guid)x!, (Guid)y!);
            case RankBytes:
                return CompareSignedBytes((byte[])x!, (byte[])y!);
            case RankFloats:
                return CompareArrays<float>((float[])x!, (float[])y!);
            case RankDoubles:
                return CompareArrays<double>((double[])x!, (double[])y!);
            case RankSequence:
                return CompareSequences((IEnumerable)x!, (IEnumerable)y!);
            case RankMap:
                return CompareMaps(x!, y!);
            case RankSet:
                return CompareSets((IEnumerable)x!, (IEnumerable)y!);
            default:
                return CompareOther(x!, y!);
        }
    }

    private const int RankMin = 0;
    private const int RankNil = 1;
    private const int RankBoolean = 2;
    private const int RankNumber = 3;
    private const int RankChar = 4;
    private const int RankString = 5;
    private const int RankKeyword = 6;
    private const int RankSymbol = 7;
    private const int RankInstant = 8;
    private const int RankUuid = 9;
    private const int RankBytes = 10;
    private const int RankFloats = 11;
    private const int RankDoubles = 12;
    private const int RankSequence = 13;
    private const int RankMap = 14;
    private const int RankSet = 15;
    private const int RankOther = 16;
    private const int RankMax = 17;

    private static int Rank(object? x)
    {
        switch (x)
        {
            case null: return RankNil;
            case bool: return RankBoolean;
            case char: return RankChar;
            case string: return RankString;
            case Keyword: return RankKeyword;
            case Symbol: return RankSymbol;
            case DateTime or DateTimeOffset: return RankInstant;
            case Guid: return RankUuid;
            case byte[]: return RankBytes;
            case float[]: return RankFloats;
            case double[]: return RankDoubles;
            case Bound b: return ReferenceEquals(b, Min) ? RankMin : RankMax;
            case EdnMap: return RankMap;
            case EdnSet: return RankSet;
        }
        if (Numbers.IsNumber(x)) return RankNumber;
        if (ValueEquality.IsSequential(x)) return RankSequence;
        if (Maps.IsMap(x)) return RankMap;
        if (TypeShapes.IsSet(x.GetType())) return RankSet;
        return RankOther;
    }

    // Ties between numeric types with the same value are broken in this order. Types that
    // ValueEquality treats as one (all integral types; float and double) share a kind, so equal
    // values compare as 0.
    private static int NumberKind(object x) => x switch
    {
        double or float => 2,
        decimal => 1,
        _ => 0,
    };

    private static int CompareNumbers(object x, object y)
    {
        int c;
        bool xi = Numbers.IsIntegral(x), yi = Numbers.IsIntegral(y);
        if (xi && yi)
        {
            c = Numbers.FitsLong(x) && Numbers.FitsLong(y)
                ? Numbers.ToLongUnchecked(x).CompareTo(Numbers.ToLongUnchecked(y))
                : Numbers.ToBigInteger(x).CompareTo(Numbers.ToBigInteger(y));
        }
        else if (x is double or float || y is double or float)
        {
            c = CompareWithFloating(x, y);
        }
        else
        {
            c = CompareDecimalOrIntegral(x, y);
        }
        if (c != 0) return c;
        return NumberKind(x).CompareTo(NumberKind(y));
    }

    private static int CompareWithFloating(object x, object y)
    {
        // A long compared with a double is compared exactly: converting a large long to double
        // would merge distinct values.
        if (x is double or float && y is double or float) return CompareDoubles(Numbers.ToDouble(x), Numbers.ToDouble(y));
        if (x is double or float) return -CompareWithFloating(y, x);
        double d = Numbers.ToDouble(y);
        if (double.IsNaN(d)) return -1;
        if (Numbers.IsIntegral(x))
        {
            var bx = Numbers.ToBigInteger(x);
            if (double.IsPositiveInfinity(d)) return -1;
            if (double.IsNegativeInfinity(d)) return 1;
            var floor = Math.Floor(d);
            int c = bx.CompareTo(new BigInteger(floor));
            if (c != 0) return c;
            return floor == d ? 0 : -1;
        }
        return CompareDoubles(Numbers.ToDouble(x), d);
    }

    private static int CompareDoubles(double a, double b)
    {
        // NaN sorts after every number and equals itself, so the order stays total.
        if (double.IsNaN(a)) return double.IsNaN(b) ? 0 : 1;
        if (double.IsNaN(b)) return -1;
        return a.CompareTo(b);
    }

    private static int CompareDecimalOrIntegral(object x, object y)
    {
        var bx = x is decimal mx ? (BigInteger?)null : Numbers.ToBigInteger(x);
        var by = y is decimal my ? (BigInteger?)null : Numbers.ToBigInteger(y);
        decimal dx, dy;
        if (bx is { } ix)
        {
            if (ix > new BigInteger(decimal.MaxValue)) return 1;
            if (ix < new BigInteger(decimal.MinValue)) return -1;
            dx = (decimal)ix;
        }
        else
        {
            dx = (decimal)x;
        }
        if (by is { } iy)
        {
            if (iy > new BigInteger(decimal.MaxValue)) return -1;
            if (iy < new BigInteger(decimal.MinValue)) return 1;
            dy = (decimal)iy;
        }
        else
        {
            dy = (decimal)y;
        }
        return dx.CompareTo(dy);
    }

    private static int CompareUuids(Guid a, Guid b)
    {
        Span<byte> x = stackalloc byte[16];
        Span<byte> y = stackalloc byte[16];
        a.TryWriteBytes(x, bigEndian: true, out _);
        b.TryWriteBytes(y, bigEndian: true, out _);
        int c = BinaryPrimitives.ReadInt64BigEndian(x).CompareTo(BinaryPrimitives.ReadInt64BigEndian(y));
        return c != 0 ? c : BinaryPrimitives.ReadInt64BigEndian(x[8..]).CompareTo(BinaryPrimitives.ReadInt64BigEndian(y[8..]));
    }

    private static int CompareSignedBytes(byte[] a, byte[] b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            int c = ((sbyte)a[i]).CompareTo((sbyte)b[i]);
            if (c != 0) return c;
        }
        return a.Length.CompareTo(b.Length);
    }

    private static int CompareArrays<T>(T[] a, T[] b)
        where T : IComparable<T>
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            int c = a[i].CompareTo(b[i]);
            if (c != 0) return c;
        }
        return a.Length.CompareTo(b.Length);
    }

    private static int CompareSequences(IEnumerable a, IEnumerable b)
    {
        // Collections compare element by element, recursively: deep ones fail cleanly instead of overflowing the stack.
        EnsureStack();
        var ea = a.GetEnumerator();
        var eb = b.GetEnumerator();
        while (true)
        {
            bool ha = ea.MoveNext(), hb = eb.MoveNext();
            if (!ha) return hb ? -1 : 0;
            if (!hb) return 1;
            int c = CompareValues(ea.Current, eb.Current);
            if (c != 0) return c;
        }
    }

    // Maps and sets never reach an index as values of a declared type, but the order must stay
    // total and agree with ValueEquality, which ignores entry order: by size, then entry by entry
    // (element by element) in sorted order. O(n log n).
    private static int CompareMaps(object x, object y)
    {
        EnsureStack();
        var a = Maps.ToEntries(x)!;
        var b = Maps.ToEntries(y)!;
        if (a.Count != b.Count) return a.Count.CompareTo(b.Count);
        a.Sort(EntryOrder);
        b.Sort(EntryOrder);
        for (int i = 0; i < a.Count; i++)
        {
            int c = EntryOrder(a[i], b[i]);
            if (c != 0) return c;
        }
        return 0;
    }

    private static int EntryOrder(KeyValuePair<object?, object?> a, KeyValuePair<object?, object?> b)
    {
        int c = CompareValues(a.Key, b.Key);
        return c != 0 ? c : CompareValues(a.Value, b.Value);
    }

    private static int CompareSets(IEnumerable x, IEnumerable y)
    {
        EnsureStack();
        var a = new List<object?>();
        foreach (var item in x) a.Add(item);
        var b = new List<object?>();
        foreach (var item in y) b.Add(item);
        if (a.Count != b.Count) return a.Count.CompareTo(b.Count);
        a.Sort(Instance);
        b.Sort(Instance);
        for (int i = 0; i < a.Count; i++)
        {
            int c = CompareValues(a[i], b[i]);
            if (c != 0) return c;
        }
        return 0;
    }

    private static void EnsureStack()
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack()) throw Errors.NestedTooDeep("compare");
    }

    private static int CompareOther(object x, object y)
    {
        // Foreign types never reach an index as values of a declared type; they are ordered by
        // type, then by their own order or their printed form, which keeps the order total and stable.
        if (x.GetType() != y.GetType()) return string.CompareOrdinal(x.GetType().FullName, y.GetType().FullName);
        if (x is IComparable cx) return cx.CompareTo(y);
        return string.CompareOrdinal(EdnPrinter.Print(x), EdnPrinter.Print(y));
    }

    private sealed class Bound(string name)
    {
        public override string ToString() => name;
    }
}
