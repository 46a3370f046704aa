using System.Collections;
using Hike.Index.Tree;

namespace Hike.Index.Datoms;

/// <summary>
/// The datoms of a partitioned index between two inclusive bounds, partition after partition:
/// ascending from <c>from</c> up to <c>to</c>, or descending from <c>from</c> down to <c>to</c>.
/// A range inside one partition (one attribute, one entity) reads one tree. No allocation.
/// </summary>
internal readonly struct DatomSlice<TOrder> : IEnumerable<IndexDatom>
    where TOrder : struct, IDatomOrder
{
    private readonly IPartitions<TOrder> _source;
    private readonly IndexDatom _from;
    private readonly IndexDatom _to;
    private readonly bool _descending;

    internal DatomSlice(IPartitions<TOrder> source, in IndexDatom from, in IndexDatom to, bool descending)
    {
        _source = source;
        _from = from;
        _to = to;
        _descending = descending;
    }

    /// <summary>True when the slice has a datom.</summary>
    public bool Any()
    {
        var e = GetEnumerator();
        return e.MoveNext();
    }

    public Enumerator GetEnumerator() => new(_source, _from, _to, _descending);

    IEnumerator<IndexDatom> IEnumerable<IndexDatom>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public struct Enumerator : IEnumerator<IndexDatom>
    {
        private readonly IPartitions<TOrder> _source;
        private readonly IndexDatom _from;
        private readonly IndexDatom _to;
        private readonly bool _descending;
        private readonly int _last;
        private int _partition;
        private bool _inPartition;
        private Slice<IndexDatom, TOrder>.Enumerator _inner;

        internal Enumerator(IPartitions<TOrder> source, in IndexDatom from, in IndexDatom to, bool descending)
        {
            _source = source;
            _from = from;
            _to = to;
            _descending = descending;
            int limit = source.Limit - 1;
            int first = Math.Min(TOrder.Partition(from), limit);
            _last = Math.Min(TOrder.Partition(to), limit);
            _partition = descending ? first + 1 : first - 1;
            _inPartition = false;
            _inner = default;
            if (descending ? default(TOrder).Compare(from, to) < 0 : default(TOrder).Compare(from, to) > 0) _partition = descending ? -1 : int.MaxValue - 1;
        }

        public readonly IndexDatom Current => _inner.Current;

        readonly object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            while (true)
            {
                if (_inPartition && _inner.MoveNext()) return true;
                _inPartition = false;
                if (_descending ? --_partition < _last : ++_partition > _last) return false;
                if (_partition < 0) return false;
                if (_source.TrySlice(_partition, _from, _to, _descending, out var slice))
                {
                    _inner = slice.GetEnumerator();
                    _inPartition = true;
                }
            }
        }

        public void Reset() => throw new NotSupportedException();

        public readonly void Dispose()
        {
        }
    }
}
