using System.Collections;

namespace Hike.Index.Tree;

/// <summary>
/// The elements of a tree between two inclusive bounds: ascending from <c>from</c> up to <c>to</c>,
/// or descending from <c>from</c> down to <c>to</c>. Enumerating allocates nothing.
/// </summary>
internal readonly struct Slice<T, TOrder> : IEnumerable<T>
    where TOrder : struct, IComparer<T>
{
    private readonly Node<T> _root;
    private readonly TailLeaf<T>? _tail;
    private readonly INodeLoader<T>? _loader;
    private readonly T _from;
    private readonly T _to;
    private readonly bool _descending;

    internal Slice(Node<T> root, TailLeaf<T>? tail, INodeLoader<T>? loader, in T from, in T to, bool descending)
    {
        _root = root;
        _tail = tail;
        _loader = loader;
        _from = from;
        _to = to;
        _descending = descending;
    }

    /// <summary>Number of elements in the slice. O(log n).</summary>
    public long Count() => _descending
        ? PersistentSortedSet<T, TOrder>.CountRange(_root, _tail, _loader, _to, _from)
        : PersistentSortedSet<T, TOrder>.CountRange(_root, _tail, _loader, _from, _to);

    /// <summary>True when the slice has an element. O(log n).</summary>
    public bool Any()
    {
        var e = GetEnumerator();
        return e.MoveNext();
    }

    public Enumerator GetEnumerator() => new(_root, _tail, _loader, _from, _to, _descending);

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public struct Enumerator : IEnumerator<T>
    {
        private const int Fresh = 0, Running = 1, Done = 2;

        private Cursor<T, TOrder> _cursor;
        private readonly T _from;
        private readonly T _to;
        private readonly int _sign;
        private int _state;

        internal Enumerator(Node<T> root, TailLeaf<T>? tail, INodeLoader<T>? loader, in T from, in T to, bool descending)
        {
            _cursor = new Cursor<T, TOrder>(root, tail, loader);
            _from = from;
            _to = to;
            _sign = descending ? -1 : 1;
            _state = BTree<T, TOrder>.Count(root, tail) == 0 || BTree<T, TOrder>.Cmp(from, to) * _sign > 0 ? Done : Fresh;
        }

        public readonly T Current => _cursor.Current;

        readonly object? IEnumerator.Current => Current;

        public bool MoveNext()
        {
            if (_state == Done) return false;
            bool moved = _state == Fresh
                ? (_sign > 0 ? _cursor.SeekCeiling(_from) : _cursor.SeekFloor(_from))
                : (_sign > 0 ? _cursor.Next() : _cursor.Previous());
            _state = Running;
            if (moved && default(TOrder).Compare(_cursor.CurrentRef, _to) * _sign <= 0) return true;
            _state = Done;
            return false;
        }

        /// <summary>
        /// Ascending slices only: the next run of elements as a leaf's array and the bounds
        /// [<paramref name="start"/>, <paramref name="end"/>) in it, so a reader can loop over whole
        /// leaves without a bound check per element. Do not mix with <see cref="MoveNext"/>.
        /// </summary>
        public bool NextChunk(out T[] keys, out int start, out int end)
        {
            keys = [];
            start = end = 0;
            if (_state == Done) return false;
            if (_sign < 0) throw new InvalidOperationException("Chunks are read in ascending order only.");
            bool moved = _state == Fresh ? _cursor.SeekCeiling(_from) : _cursor.NextLeafStart();
            _state = Running;
            if (!moved)
            {
                _state = Done;
                return false;
            }
            keys = _cursor.LeafKeys;
            start = _cursor.Position;
            int len = _cursor.LeafLength;
            var order = default(TOrder);
            if (order.Compare(keys[len - 1], _to) <= 0)
            {
                end = len;
                return true;
            }
            int lo = start, hi = len;
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (order.Compare(keys[mid], _to) <= 0) lo = mid + 1;
                else hi = mid;
            }
            end = lo;
            _state = Done;
            return end > start;
        }

        public void Reset() => throw new NotSupportedException();

        public readonly void Dispose()
        {
        }
    }
}
