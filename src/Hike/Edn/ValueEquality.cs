using System.Collections;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Hike.Edn;

/// <summary>
/// Value equality and hashing for every value Hike stores or returns, following Clojure's <c>=</c>:
/// integers are equal across integral types (<c>1</c> = <c>1N</c>), floating values across
/// float/double, lists equal vectors with equal elements, maps and sets compare by content, and byte,
/// float and double arrays compare by content. Integers never equal floating values (<c>1</c> ≠ <c>1.0</c>).
/// Stateless and thread-safe.
/// </summary>
internal sealed class ValueEquality : IEqualityComparer<object?>
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
        if (IsSequential(x) || x is EdnMap || x is IDictionary) return DeepEquals(x, y);
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
        if (KindOf(obj) == Kind.None) return obj.GetHashCode();
        return obj is IHashCached { CachedHash: var cached and not 0 } ? (int)cached : HashCollection(obj);
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

    private bool SetEquals(object x, object y)
    {
        // Membership compares elements with Equals: sets nested in sets recurse, so only they need the guard.
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack()) throw Errors.NestedTooDeep("compare");
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

    /// <summary>The collection shapes equality and hashing look into; sets, which compare by membership, are not walked.</summary>
    private enum Kind : byte
    {
        None,
        Sequence,
        Map,
        Set,
    }

    private static Kind KindOf(object? x)
    {
        if (x is null or string) return Kind.None;
        if (IsSequential(x)) return Kind.Sequence;
        if (x is EdnMap or IDictionary) return Kind.Map;
        if (x is EdnSet || TypeShapes.IsSet(x.GetType())) return Kind.Set;
        return Kind.None;
    }

    /// <summary>
    /// Equality of sequences and maps at any depth: pairs still to compare wait on a worklist instead
    /// of the call stack. Scalars compare in place, so a tuple of scalars allocates nothing.
    /// </summary>
    private bool DeepEquals(object x, object y)
    {
        Stack<(object, object)>? pending = null;
        while (true)
        {
            if (!ShallowEquals(x, y, ref pending)) return false;
            if (pending is null || !pending.TryPop(out var next)) return true;
            (x, y) = next;
        }
    }

    /// <summary>Compares one pair of collections; their nested sequences and maps go to <paramref name="pending"/>.</summary>
    private bool ShallowEquals(object x, object y, ref Stack<(object, object)>? pending)
    {
        if (ReferenceEquals(x, y)) return true;
        // Both hashes known and different: unequal without a look inside.
        if (x is IHashCached { CachedHash: var hx and not 0 } && y is IHashCached { CachedHash: var hy and not 0 } && hx != hy) return false;
        if (IsSequential(x))
        {
            if (!IsSequential(y)) return false;
            int n = Count(x);
            if (Count(y) != n) return false;
            for (int i = 0; i < n; i++)
            {
                if (!ItemEquals(Item(x, i), Item(y, i), ref pending)) return false;
            }
            return true;
        }
        if (x is not EdnMap mx) mx = EdnMap.Create(Maps.ToEntries(x)!);
        if (y is not EdnMap my)
        {
            if (Maps.ToEntries(y) is not { } entries) return false;
            my = EdnMap.Create(entries);
        }
        if (mx.Count != my.Count) return false;
        foreach (var e in mx.Entries)
        {
            if (!my.TryGetValue(e.Key, out var v) || !ItemEquals(e.Value, v, ref pending)) return false;
        }
        return true;
    }

    private bool ItemEquals(object? a, object? b, ref Stack<(object, object)>? pending)
    {
        if (a is null || b is null || KindOf(a) is Kind.None or Kind.Set) return Equals(a, b);
        (pending ??= new()).Push((a, b));
        return true;
    }

    private static int Count(object sequence) => sequence is EdnSequence s ? s.Count : ((IList)sequence).Count;

    private static object? Item(object sequence, int i) => sequence is EdnSequence s ? s[i] : ((IList)sequence)[i];

    /// <summary>
    /// Hashes a sequence, map or set bottom-up with an explicit stack, so any depth hashes on any
    /// thread; every EDN collection met is given its hash to keep.
    /// </summary>
    private int HashCollection(object root)
    {
        var stack = t_frames ?? new HashFrame[16];
        t_frames = null;
        int count = 0;
        stack[count++] = HashFrame.Of(root);
        int hash;
        while (true)
        {
            ref var top = ref stack[count - 1];
            if (top.TryNext(out var child))
            {
                if (KindOf(child) != Kind.None && child is not IHashCached { CachedHash: not 0 })
                {
                    if (count == stack.Length) Array.Resize(ref stack, count * 2);
                    stack[count++] = HashFrame.Of(child!);
                    continue;
                }
                top.Add(GetHashCode(child));
                continue;
            }
            hash = top.Hash;
            if (top.Source is IHashCached cached) cached.CachedHash = (1L << 32) | (uint)hash;
            top = default;
            if (--count == 0) break;
            stack[count - 1].Add(hash);
        }
        t_frames = stack;
        return hash;
    }

    [ThreadStatic]
    private static HashFrame[]? t_frames;

    /// <summary>A collection being hashed: where its walk is, and its hash so far (Clojure's combination per kind).</summary>
    private struct HashFrame
    {
        public object Source;
        private Kind _kind;
        private int _index;
        private IEnumerator? _enumerator;
        private int _acc;
        private int _keyHash;
        private bool _inValue;

        public readonly int Hash => _acc;

        public static HashFrame Of(object source)
        {
            var kind = KindOf(source);
            var frame = new HashFrame { Source = source, _kind = kind, _acc = kind == Kind.Sequence ? 1 : 0 };
            if (source is IDictionary dictionary) frame._enumerator = dictionary.GetEnumerator();
            else if (source is not (EdnSequence or EdnMap or EdnSet or IList)) frame._enumerator = ((IEnumerable)source).GetEnumerator();
            return frame;
        }

        /// <summary>The next element (for a map: key, then value, entry by entry); false at the end.</summary>
        public bool TryNext(out object? item)
        {
            switch (Source)
            {
                case EdnMap map:
                    if (_index == map.Count) break;
                    item = _inValue ? map.Entries[_index++].Value : map.Entries[_index].Key;
                    _inValue = !_inValue;
                    return true;
                case EdnSet set:
                    if (_index == set.Count) break;
                    item = set.Items[_index++];
                    return true;
                case EdnSequence or IList:
                    if (_index == Count(Source)) break;
                    item = Item(Source, _index++);
                    return true;
                case IDictionary:
                    if (!_inValue && !_enumerator!.MoveNext()) break;
                    var entry = ((IDictionaryEnumerator)_enumerator!).Entry;
                    item = _inValue ? entry.Value : entry.Key;
                    _inValue = !_inValue;
                    return true;
                default:
                    if (!_enumerator!.MoveNext()) break;
                    item = _enumerator.Current;
                    return true;
            }
            item = null;
            return false;
        }

        /// <summary>Takes the hash of the element <see cref="TryNext"/> gave last.</summary>
        public void Add(int h)
        {
            switch (_kind)
            {
                case Kind.Sequence:
                    _acc = unchecked(_acc * 31 + h);
                    break;
                case Kind.Set:
                    _acc = unchecked(_acc + h);
                    break;
                default:
                    // After a key, TryNext expects the value: remember the key's hash until it comes.
                    if (_inValue) _keyHash = h;
                    else _acc = unchecked(_acc + (_keyHash ^ h));
                    break;
            }
        }
    }
}
