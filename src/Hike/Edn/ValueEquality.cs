using System.Collections;
using System.Numerics;

namespace Hike.Edn;

/// <summary>
/// Value equality and hashing for every value Hike stores or returns, following Clojure's <c>=</c>:
/// integers are equal across integral types (<c>1</c> = <c>1N</c>), floating values across
/// float/double, lists equal vectors with equal elements, maps and sets compare by content, and byte,
/// float and double arrays compare by content. Integers never equal floating values (<c>1</c> ≠ <c>1.0</c>).
/// Stateless and thread-safe.
/// </summary>
public sealed class ValueEquality : IEqualityComparer<object?>
{
    /// <summary>The shared instance.</summary>
    public static readonly ValueEquality Instance = new();

    private ValueEquality()
    {
    }

    /// <inheritdoc />
    public new bool Equals(object? x, object? y)
    {
        if (ReferenceEquals(x, y)) return true;
        if (x is null || y is null) return false;
        if (x is Keyword or Symbol || y is Keyword or Symbol) return false; // interned: reference equality above
        if (x is long lx && y is long ly) return lx == ly;
        if (x is string sx) return y is string sy && string.Equals(sx, sy, StringComparison.Ordinal);
        if (TypeShapes.IsPlain(x.GetType())) return x.Equals(y);
        if (Numbers.IsIntegral(x))
        {
            return Numbers.IsIntegral(y) && Numbers.IntegralEquals(x, y);
        }
        if (x is double or float)
        {
            return y is double or float && Numbers.ToDouble(x).Equals(Numbers.ToDouble(y));
        }
        if (x is decimal mx) return y is decimal my && mx == my;
        if (x is DateTime or DateTimeOffset)
        {
            return y is DateTime or DateTimeOffset && Instants.ToUtc(x) == Instants.ToUtc(y);
        }
        if (x is byte[] bx) return y is byte[] by && bx.AsSpan().SequenceEqual(by);
        if (x is float[] fx) return y is float[] fy && fx.AsSpan().SequenceEqual(fy);
        if (x is double[] dx) return y is double[] dy && dx.AsSpan().SequenceEqual(dy);
        if (IsSequential(x)) return IsSequential(y) && SequenceEquals((IEnumerable)x, (IEnumerable)y);
        if (x is EdnMap || x is IDictionary) return MapEquals(x, y);
        if (x is EdnSet || TypeShapes.IsSet(x.GetType())) return SetEquals(x, y);
        return x.Equals(y);
    }

    /// <inheritdoc />
    public int GetHashCode(object? obj)
    {
        if (obj is not null && obj is not long && obj is not string && TypeShapes.IsPlain(obj.GetType())) return obj.GetHashCode();
        switch (obj)
        {
            case null: return 0;
            case long l: return HashLong(l);
            case string s: return StringComparer.Ordinal.GetHashCode(s);
            case Keyword or Symbol: return obj.GetHashCode();
            case BigInteger b: return b >= long.MinValue && b <= long.MaxValue ? HashLong((long)b) : b.GetHashCode();
            case double or float: return Numbers.ToDouble(obj).GetHashCode();
            case DateTime or DateTimeOffset: return Instants.ToUtc(obj).GetHashCode();
            case byte[] bytes:
            {
                var h = new HashCode();
                h.AddBytes(bytes);
                return h.ToHashCode();
            }
            case float[] floats: return HashElements(floats);
            case double[] doubles: return HashElements(doubles);
        }
        if (Numbers.IsIntegral(obj)) return Numbers.FitsLong(obj) ? HashLong(Numbers.ToLongUnchecked(obj)) : Numbers.ToBigInteger(obj).GetHashCode();
        if (IsSequential(obj))
        {
            int h = 1;
            foreach (var item in (IEnumerable)obj) h = unchecked(h * 31 + GetHashCode(item));
            return h;
        }
        if (obj is EdnMap map)
        {
            int h = 0;
            foreach (var e in map.Entries) h = unchecked(h + (GetHashCode(e.Key) ^ GetHashCode(e.Value)));
            return h;
        }
        if (obj is IDictionary dict)
        {
            int h = 0;
            foreach (DictionaryEntry e in dict) h = unchecked(h + (GetHashCode(e.Key) ^ GetHashCode(e.Value)));
            return h;
        }
        if (obj is EdnSet || TypeShapes.IsSet(obj.GetType()))
        {
            int h = 0;
            foreach (var item in (IEnumerable)obj) h = unchecked(h + GetHashCode(item));
            return h;
        }
        return obj.GetHashCode();
    }

    /// <summary>
    /// True for values Clojure treats as sequential: EDN lists and vectors, and .NET lists and object
    /// arrays (not strings, not byte/float/double arrays, not maps or sets).
    /// </summary>
    internal static bool IsSequential(object x) =>
        x is EdnSequence || (x is IList && x is not byte[] and not float[] and not double[] and not string);

    private static int HashLong(long l) => unchecked((int)(l ^ (l >>> 32)));

    private static int HashElements<T>(T[] items)
        where T : struct
    {
        var h = new HashCode();
        foreach (var x in items) h.Add(x);
        return h.ToHashCode();
    }

    private bool SequenceEquals(IEnumerable x, IEnumerable y)
    {
        if (x is ICollection cx && y is ICollection cy && cx.Count != cy.Count) return false;
        if (x is IReadOnlyCollection<object?> rx && y is IReadOnlyCollection<object?> ry && rx.Count != ry.Count) return false;
        var ex = x.GetEnumerator();
        var ey = y.GetEnumerator();
        while (true)
        {
            bool hx = ex.MoveNext(), hy = ey.MoveNext();
            if (hx != hy) return false;
            if (!hx) return true;
            if (!Equals(ex.Current, ey.Current)) return false;
        }
    }

    private bool MapEquals(object x, object y)
    {
        if (x is EdnMap mx && y is EdnMap my)
        {
            if (mx.Count != my.Count) return false;
            foreach (var e in mx.Entries)
            {
                if (!my.TryGetValue(e.Key, out var v) || !Equals(e.Value, v)) return false;
            }
            return true;
        }
        var a = Maps.ToEntries(x);
        var b = Maps.ToEntries(y);
        if (a is null || b is null || a.Count != b.Count) return false;
        var other = EdnMap.Create(b);
        foreach (var e in a)
        {
            if (!other.TryGetValue(e.Key, out var v) || !Equals(e.Value, v)) return false;
        }
        return true;
    }

    private bool SetEquals(object x, object y)
    {
        if (!(y is EdnSet || TypeShapes.IsSet(y.GetType()))) return false;
        var a = x as EdnSet ?? EdnSet.Create(((IEnumerable)x).Cast<object?>());
        var b = y as EdnSet ?? EdnSet.Create(((IEnumerable)y).Cast<object?>());
        if (a.Count != b.Count) return false;
        foreach (var item in a)
        {
            if (!b.Contains(item)) return false;
        }
        return true;
    }
}
