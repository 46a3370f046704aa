using Hike.Db;
using Hike.Edn;
using Hike.Index.Datoms;

namespace Hike.Query.Execution;

internal sealed partial class DbPattern
{
    private readonly object?[] _rowValues = new object?[5];

    /// <summary>Runs the pattern, joining its matches into <paramref name="frame"/>; returns how it ran, for <c>Explain</c>.</summary>
    public string Run(Frame frame, ScanCache scans)
    {
        if (_nothing)
        {
            if (_rowVars.Count > 0)
            {
                var rel = frame.Collapse(_rowVars);
                frame.Replace(rel, new Relation([.. rel.Vars, .. _outVars], [], true));
            }
            else
            {
                frame.Add(new Relation([.. _outVars], [], true));
            }
            return "no match possible";
        }
        if (_rowVars.Count == 0)
        {
            var (scanned, how) = Scan(scans);
            AddScanned(frame, scanned);
            return how;
        }
        var input = frame.Collapse(_rowVars);
        long baseCount = BaseCount();
        double lookupCost = input.Count * 24.0;
        double hashCost = baseCount * 3.0 + input.Count * 4.0;
        bool eRow = _slots[E].Kind == SlotKind.Row;
        bool vLookup = !eRow && _slots[V].Kind == SlotKind.Row && _attr is { InAvet: true };
        if (eRow && _attr is not null && baseCount < lookupCost && SortedEntities(input) is { } entities)
        {
            frame.Replace(input, Merge(input, entities));
            return $"merge with AEVT {_attr.Ident} by entity";
        }
        // Entity references given as lookup refs or idents resolve only through lookups.
        bool mustLookUp = eRow && !AllIds(input, input.IndexOf(_rowVars[_slots[E].Index]))
            || vLookup && _attr!.IsRef && !AllIds(input, input.IndexOf(_rowVars[_slots[V].Index]));
        if ((eRow || vLookup) && (lookupCost <= hashCost || mustLookUp))
        {
            frame.Replace(input, Lookup(input));
            return eRow ? "lookup EAVT per row" : $"lookup AVET {_attr!.Ident} per row";
        }
        var (all, scanHow) = new DbPattern(_view, _clause, frame, _range, bindRowVars: false).Scan(scans);
        frame.Replace(input, Joins.HashJoin(input, all));
        return scanHow + ", hash join";
    }

    /// <summary>
    /// Every match of the fixed positions as a relation over the output variables. A pattern whose
    /// fixed values are all literals gives the same answer every time it runs in a query (a rule body
    /// runs once per round), so its answer is kept for the rest of the query.
    /// </summary>
    private (Relation Rows, string How) Scan(ScanCache scans)
    {
        bool reusable = !_dependsOnBindings;
        if (reusable && scans.TryGet(_clause, _view, out var cached)) return (cached, "reuse the scan made earlier in this query");
        var rows = new RowList((int)Math.Min(Estimate(1), 1 << 16));
        var sink = new RowSink(this, rows, null);
        string how = ScanFixed(ref sink);
        var relation = new Relation([.. _outVars], rows, OutputDistinct());
        if (reusable) scans.Add(_clause, _view, relation);
        return (relation, how);
    }

    private void AddScanned(Frame frame, Relation scanned)
    {
        if (_outVars.Count > 0)
        {
            frame.Add(scanned);
        }
        else if (scanned.Count == 0)
        {
            frame.Add(new Relation([], [], true));
        }
    }

    /// <summary>Feeds every datom matching the fixed positions to <paramref name="sink"/>, choosing the index.</summary>
    private string ScanFixed(ref RowSink sink)
    {
        if (Fixed(E))
        {
            long e = (long)_slots[E].Value!;
            _view.Scan(IndexType.Eavt, EavtFrom(e), EavtTo(e), ref sink);
            return "scan EAVT by entity";
        }
        if (_attr is not null) return ScanAttribute(ref sink);
        if (Fixed(V))
        {
            // Any attribute: read each one's datoms holding the value, in its own stored form.
            var raw = _value!;
            foreach (var attr in _view.Schema.Attributes)
            {
                var stored = _view.StoredValue(attr, raw);
                if (stored is null) continue;
                _attr = attr;
                _value = stored;
                ScanAttribute(ref sink);
            }
            _attr = null;
            _value = raw;
            return "scan each attribute for the value";
        }
        _view.Scan(IndexType.Eavt, AllFrom, AllTo, ref sink);
        return "scan all of EAVT";
    }

    private string ScanAttribute(ref RowSink sink)
    {
        if ((Fixed(V) || _range is not null) && _attr!.InAvet)
        {
            _view.Scan(IndexType.Avet, AvetFrom(), AvetTo(), ref sink);
            return Fixed(V) ? $"scan AVET {_attr.Ident} = value" : $"scan AVET {_attr.Ident} in {_range}";
        }
        _view.Scan(IndexType.Aevt, AevtFrom(), AevtTo(), ref sink);
        return Fixed(V) ? $"scan AEVT {_attr!.Ident}, filter value" : _range is not null ? $"scan AEVT {_attr!.Ident}, filter {_range}" : $"scan AEVT {_attr!.Ident}";
    }

    private Relation Lookup(Relation input)
    {
        var rows = new RowList(input.Count);
        var cols = input.Columns(_rowVars);
        var sink = new RowSink(this, rows, null);
        foreach (var row in input.Rows)
        {
            _guard.Tick();
            if (!PrepareRow(row, cols)) continue;
            sink.Input = row;
            if (_slots[E].Kind == SlotKind.Row)
            {
                long e = (long)_rowValues[E]!;
                var from = EavtFrom(e);
                var to = EavtTo(e);
                if (_attr is not null && _slots[V].Kind == SlotKind.Row)
                {
                    from = new IndexDatom(e, _attr.Id, _rowValues[V]!, 0, false);
                    to = new IndexDatom(e, _attr.Id, _rowValues[V]!, Ids.TxMax, true);
                }
                _view.Scan(IndexType.Eavt, from, to, ref sink);
            }
            else
            {
                var v = _rowValues[V]!;
                _view.Scan(IndexType.Avet, new IndexDatom(0, _attr!.Id, v, 0, false), new IndexDatom(Ids.EMax, _attr.Id, v, Ids.TxMax, true), ref sink);
            }
        }
        return new Relation([.. input.Vars, .. _outVars], rows, input.Distinct && OutputDistinct());
    }

    private static bool AllIds(Relation input, int col)
    {
        foreach (var row in input.Rows)
        {
            if (row[col] is not long) return false;
        }
        return true;
    }

    /// <summary>
    /// The input's entity ids when they are in ascending order (as a scan of AEVT leaves them), so a
    /// merge with the attribute's index can replace lookups; null otherwise.
    /// </summary>
    private long[]? SortedEntities(Relation input)
    {
        int col = input.IndexOf(_rowVars[_slots[E].Index]);
        if (input.Count == 0) return null;
        var ids = new long[input.Count];
        long previous = long.MinValue;
        int i = 0;
        foreach (var row in input.Rows)
        {
            if (row[col] is not long e || e < previous) return null;
            ids[i++] = previous = e;
        }
        return ids;
    }

    private Relation Merge(Relation input, long[] entities)
    {
        var rows = new RowList(input.Count);
        var sink = new MergeSink(this, input, entities, input.Columns(_rowVars), rows);
        _view.ScanChunks(IndexType.Aevt, new IndexDatom(entities[0], _attr!.Id, ValueOrder.Min, 0, false), new IndexDatom(entities[^1], _attr.Id, ValueOrder.Max, Ids.TxMax, true), ref sink);
        return new Relation([.. input.Vars, .. _outVars], rows, input.Distinct && OutputDistinct());
    }

    /// <summary>Resolves the per-row positions of <paramref name="row"/> to stored form; false when one refers to nothing.</summary>
    private bool PrepareRow(object?[] row, int[] cols)
    {
        for (int i = 0; i < 5; i++)
        {
            if (_slots[i].Kind != SlotKind.Row) continue;
            var value = row[cols[_slots[i].Index]];
            switch (i)
            {
                case E:
                    var e = ToEntity(value);
                    if (e is null) return false;
                    _rowValues[E] = e.Value;
                    break;
                case A:
                    if (value is not Keyword k || !_view.Schema.TryGet(k, out var attr)) return false;
                    _rowValues[A] = attr.Ident;
                    break;
                case V:
                    object? stored = value is null ? null
                        : _attr is null || (!_attr.IsRef && value is string or long or Keyword or bool) ? value
                        : _view.StoredValue(_attr, value);
                    if (stored is null) return false;
                    _rowValues[V] = stored;
                    break;
                case T:
                    if (value is null || !Numbers.IsIntegral(value)) return false;
                    _rowValues[T] = Numbers.ToLongUnchecked(value);
                    break;
                default:
                    if (value is not bool) return false;
                    _rowValues[Op] = value;
                    break;
            }
        }
        return true;
    }

    /// <summary>
    /// True when <paramref name="d"/> satisfies the positions its index range does not already
    /// guarantee. Every scan bounds the entity and attribute when they are known, so only the value,
    /// transaction, operation, a per-row attribute and repeated variables are checked here.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private bool Matches(in IndexDatom d)
    {
        var vKind = _slots[V].Kind;
        if (vKind == SlotKind.Fixed ? !SameStored(d.V, _value) : vKind == SlotKind.Row && !SameStored(d.V, _rowValues[V])) return false;
        if (_range is not null && !_range.Contains(d.V)) return false;
        return !_rareChecks || RareChecks(d);
    }

    private bool RareChecks(in IndexDatom d)
    {
        for (int i = 0; i < 5; i++)
        {
            var slot = _slots[i];
            switch (slot.Kind)
            {
                case SlotKind.Fixed when i is T or Op:
                    if (!Equal(d, i, slot.Value)) return false;
                    break;
                case SlotKind.Row when i == A:
                    if (!ReferenceEquals(_view.Schema[d.A].Ident, _rowValues[A])) return false;
                    break;
                case SlotKind.Row when i is T or Op:
                    if (!Equal(d, i, _rowValues[i])) return false;
                    break;
                case SlotKind.Same:
                    if (!ValueEquality.Instance.Equals(Output(d, slot.Index), Output(d, i))) return false;
                    break;
            }
        }
        return true;
    }

    /// <summary>Compares the transaction or operation of <paramref name="d"/> with a stored value.</summary>
    private static bool Equal(in IndexDatom d, int pos, object? expected) => pos == T
        ? expected is long t && d.Tx == t
        : expected is bool b && d.Added == b;

    private object? Output(in IndexDatom d, int pos) => pos switch
    {
        E => d.E,
        A => _view.Schema[d.A].Ident,
        V => d.V,
        T => d.Tx,
        _ => d.Added ? True : False,
    };

    private object?[] Build(in IndexDatom d, object?[]? input)
    {
        // A pattern that only filters adds nothing to a row; rows never change, so share it.
        if (_outPositions.Length == 0 && input is not null) return input;
        int w = input?.Length ?? 0;
        var row = new object?[w + _outPositions.Length];
        if (input is not null) Array.Copy(input, row, w);
        for (int i = 0; i < _outPositions.Length; i++) row[w + i] = Output(d, _outPositions[i]);
        return row;
    }

    private struct RowSink(DbPattern pattern, RowList rows, object?[]? input) : IDatomSink
    {
        public object?[]? Input = input;

        public bool Accept(in IndexDatom d)
        {
            pattern._guard.Tick();
            if (pattern.Matches(d)) rows.Add(pattern.Build(d, Input));
            return true;
        }
    }

    /// <summary>
    /// Walks the attribute's AEVT datoms and the input's sorted entity ids together, skipping within
    /// each leaf by binary search to the next entity either side needs.
    /// </summary>
    private struct MergeSink(DbPattern pattern, Relation input, long[] entities, int[] cols, RowList rows) : IChunkSink
    {
        private int _at;

        public bool Accept(IndexDatom[] keys, int start, int end)
        {
            pattern._guard.Tick(end - start);
            int i = start;
            while (i < end && _at < entities.Length)
            {
                long target = entities[_at];
                if (keys[i].E < target)
                {
                    if (keys[end - 1].E < target) return true;
                    i = FirstAtLeast(keys, i, end, target);
                }
                long e = keys[i].E;
                if (e > target)
                {
                    _at = FirstAtLeast(entities, _at, entities.Length, e);
                    continue;
                }
                int j = i;
                while (j < end && keys[j].E == e) j++;
                int next = _at;
                while (next < entities.Length && entities[next] == e) next++;
                for (int k = i; k < j; k++)
                {
                    for (int r = _at; r < next; r++)
                    {
                        var row = input.Rows[r];
                        // The entity matches by construction; other per-row positions need resolving.
                        if (pattern._rowSlots > 1 && !pattern.PrepareRow(row, cols)) continue;
                        if (!pattern.Matches(keys[k])) continue;
                        rows.Add(pattern.Build(keys[k], row));
                    }
                }
                i = j;
                // An entity whose datoms reach the end of this leaf may continue in the next one.
                if (j < end) _at = next;
            }
            return _at < entities.Length;
        }

        private static int FirstAtLeast(IndexDatom[] keys, int lo, int hi, long e)
        {
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (keys[mid].E < e) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        }

        private static int FirstAtLeast(long[] ids, int lo, int hi, long e)
        {
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (ids[mid] < e) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        }
    }
}
