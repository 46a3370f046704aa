namespace Hike.Query.Execution;

/// <summary>
/// A hash multimap from the key columns of one side of a join to its rows, probed with rows of the
/// other side without allocating a key per probe. Single-threaded.
/// </summary>
internal sealed class JoinTable
{
    private readonly RowKey _key;
    private readonly int[] _buckets;
    private readonly int[] _next;
    private readonly int[] _hashes;
    private readonly object?[][] _rows;
    private readonly int _mask;

    public JoinTable(RowList rows, int[] keyColumns)
    {
        _key = new RowKey(keyColumns);
        int size = 16;
        while (size < rows.Count * 2) size <<= 1;
        _mask = size - 1;
        _buckets = new int[size];
        Array.Fill(_buckets, -1);
        _next = new int[rows.Count];
        _hashes = new int[rows.Count];
        _rows = new object?[rows.Count][];
        var guard = QueryGuard.Current;
        for (int i = 0; i < rows.Count; i++)
        {
            guard.Tick();
            var row = rows[i];
            int h = _key.GetHashCode(row);
            int b = h & _mask;
            _rows[i] = row;
            _hashes[i] = h;
            _next[i] = _buckets[b];
            _buckets[b] = i;
        }
    }

    /// <summary>Visits the rows whose key equals <paramref name="probe"/>'s <paramref name="probeColumns"/>, most recently added first.</summary>
    public Enumerator Find(object?[] probe, int[] probeColumns) => new(this, probe, probeColumns, RowKey.HashOf(probe, probeColumns));

    public bool Contains(object?[] probe, int[] probeColumns)
    {
        var e = Find(probe, probeColumns);
        return e.MoveNext();
    }

    public struct Enumerator
    {
        private readonly JoinTable _table;
        private readonly object?[] _probe;
        private readonly int[] _columns;
        private readonly int _hash;
        private int _at;
        private bool _started;

        internal Enumerator(JoinTable table, object?[] probe, int[] columns, int hash)
        {
            _table = table;
            _probe = probe;
            _columns = columns;
            _hash = hash;
            _at = -1;
            _started = false;
        }

        public readonly object?[] Current => _table._rows[_at];

        public bool MoveNext()
        {
            _at = _started ? _table._next[_at] : _table._buckets[_hash & _table._mask];
            _started = true;
            while (_at >= 0)
            {
                if (_table._hashes[_at] == _hash && _table._key.Matches(_table._rows[_at], _probe, _columns)) return true;
                _at = _table._next[_at];
            }
            return false;
        }
    }
}
