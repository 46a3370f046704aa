using System.Collections;

namespace Hike.Query.Execution;

/// <summary>
/// The rows of a relation, kept in fixed-size segments rather than one growing array, so that large
/// intermediate results never land on the large object heap (whose collections are full, gen-2
/// collections) and growing never copies. It grows under the guard of the query that made it: past
/// <see cref="QueryGuard.MaxRows"/> rows it fails with <c>query/too-large</c>, and every
/// <see cref="QueryGuard.CheckEvery"/> rows it lets the guard stop a cancelled or timed-out query.
/// Append-only; single-threaded.
/// </summary>
internal sealed class RowList : IReadOnlyList<object?[]>
{
    private const int Shift = 12;
    private const int SegmentSize = 1 << Shift;
    private const int Mask = SegmentSize - 1;

    private object?[][][] _segments = [];
    private int _segmentCount;
    private object?[][]? _last;
    private int _count;
    private readonly QueryGuard _guard = QueryGuard.Current;
    private int _checkAt;

    public RowList() => _checkAt = Math.Min(QueryGuard.CheckEvery, _guard.MaxRows);

    /// <summary>Room for <paramref name="capacity"/> rows in the first segment (at most one segment).</summary>
    public RowList(int capacity)
        : this()
    {
        if (capacity > 0) StartSegment(Math.Min(capacity, SegmentSize));
    }

    public int Count => _count;

    public object?[] this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_count) throw new ArgumentOutOfRangeException(nameof(index));
            return _segments[index >> Shift][index & Mask];
        }
    }

    public void Add(object?[] row)
    {
        if (_count >= _checkAt) Grow();
        int at = _count & Mask;
        if (_last is null || at == 0 && _count > 0 || at >= _last.Length)
        {
            if (_last is not null && at != 0)
            {
                // The first segment was sized small; grow it up to a full segment.
                Array.Resize(ref _last, Math.Min(SegmentSize, _last.Length * 2));
                _segments[_segmentCount - 1] = _last;
            }
            else
            {
                StartSegment(_count == 0 ? 16 : SegmentSize);
            }
        }
        _last![at] = row;
        _count++;
    }

    public void AddRange(IEnumerable<object?[]> rows)
    {
        foreach (var row in rows) Add(row);
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<object?[]> IEnumerable<object?[]>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Lets the guard see the relation grow: fails when one more row is over the bound, or the query should stop.</summary>
    private void Grow()
    {
        _guard.CheckRows(_count + 1L);
        _guard.Check();
        _checkAt = (int)Math.Min((long)_count + QueryGuard.CheckEvery, _guard.MaxRows);
    }

    private void StartSegment(int size)
    {
        if (_segmentCount == _segments.Length) Array.Resize(ref _segments, Math.Max(4, _segments.Length * 2));
        _last = new object?[size][];
        _segments[_segmentCount++] = _last;
    }

    public struct Enumerator : IEnumerator<object?[]>
    {
        private readonly RowList _list;
        private int _index;
        private object?[][]? _segment;

        internal Enumerator(RowList list)
        {
            _list = list;
            _index = -1;
            _segment = null;
        }

        public readonly object?[] Current => _segment![_index & Mask];

        readonly object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            if (++_index >= _list._count) return false;
            if ((_index & Mask) == 0 || _segment is null) _segment = _list._segments[_index >> Shift];
            return true;
        }

        public void Reset() => _index = -1;

        public readonly void Dispose()
        {
        }
    }
}
