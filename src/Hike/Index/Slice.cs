using System.Collections;

namespace Hike.Index;

/// <summary>The elements of a tree between two bounds (inclusive), ascending. Enumerating allocates only the cursor's path.</summary>
internal readonly struct Slice<T, TOrder> : IEnumerable<T>
    where TOrder : struct, IComparer<T>
{
    private readonly Node<T> _root;
    private readonly INodeLoader<T>? _loader;
    private readonly T _from;
    private readonly T _to;

    internal Slice(Node<T> root, INodeLoader<T>? loader, in T from, in T to)
    {
        _root = root;
        _loader = loader;
        _from = from;
        _to = to;
    }

    /// <summary>Number of elements in the slice. O(log n).</summary>
    public long Count() => PersistentSortedSet<T, TOrder>.CountRange(_root, _loader, _from, _to);

    /// <summary>True when the slice has an element. O(log n).</summary>
    public bool Any()
    {
        var e = GetEnumerator();
        return e.MoveNext();
    }

    public Enumerator GetEnumerator() => new(_root, _loader, _from, _to);

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public struct Enumerator : IEnumerator<T>
    {
        private Cursor<T, TOrder> _cursor;
        private readonly T _from;
        private readonly T _to;
        private int _state;

        internal Enumerator(Node<T> root, INodeLoader<T>? loader, in T from, in T to)
        {
            _cursor = new Cursor<T, TOrder>(root, loader);
            _from = from;
            _to = to;
            _state = root.Len == 0 || BTree<T, TOrder>.Cmp(from, to) > 0 ? 2 : 0;
        }

        public readonly T Current => _cursor.Current;

        readonly object? IEnumerator.Current => Current;

        public bool MoveNext()
        {
            if (_state == 2) return false;
            bool moved = _state == 0 ? _cursor.SeekCeiling(_from) : _cursor.Next();
            _state = 1;
            if (moved && default(TOrder).Compare(_cursor.CurrentRef, _to) <= 0) return true;
            _state = 2;
            return false;
        }

        public void Reset() => throw new NotSupportedException();

        public readonly void Dispose()
        {
        }
    }
}
