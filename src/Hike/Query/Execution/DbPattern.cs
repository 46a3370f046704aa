using Hike.Db;
using Hike.Edn;
using Hike.Index.Datoms;
using Hike.Query.Syntax;

namespace Hike.Query.Execution;

/// <summary>
/// One data pattern prepared against a database and the current bindings: constants resolved to
/// stored form (entity references to ids, attributes to their ids, values coerced), each position
/// classified as fixed, read per input row, output or repeated. It estimates its result size from
/// O(log n) index counts (and a small sample where no index can count) and runs as an index scan,
/// a per-row index lookup, a merge with an attribute's index, or a scan and hash join.
/// Single-use, single-threaded.
/// </summary>
internal sealed partial class DbPattern
{
    private const int E = 0, A = 1, V = 2, T = 3, Op = 4;
    private const int SampleSize = 64;
    private static readonly object True = true;
    private static readonly object False = false;

    private readonly DbView _view;
    private readonly PatternClause _clause;
    private readonly Slot[] _slots = new Slot[5];
    private readonly List<Symbol> _outVars = [];
    private readonly List<Symbol> _rowVars = [];
    private DbAttribute? _attr;
    private object? _value;
    private bool _nothing;
    private readonly int[] _outPositions;
    private readonly bool _rareChecks;
    private readonly int _rowSlots;
    private readonly bool _dependsOnBindings;
    private ValueRange? _range;
    private long? _baseCount;

    /// <summary>The running query's guard, ticked per datom read.</summary>
    private readonly QueryGuard _guard = QueryGuard.Current;

    // rowsFrom: when given, only the variables this relation of the frame binds are read per row;
    // those other relations bind come out of the pattern, for the frame to join on.
    public DbPattern(DbView view, PatternClause clause, Frame frame, ValueRange? range, bool bindRowVars = true, Relation? rowsFrom = null)
    {
        _view = view;
        _clause = clause;
        _range = range;
        _dependsOnBindings = range is not null;
        var seen = new Dictionary<Symbol, int>();
        for (int i = 0; i < 5; i++)
        {
            var t = clause.Terms[i];
            switch (t.Kind)
            {
                case TermKind.Blank:
                    _slots[i] = new Slot(SlotKind.Blank, null, -1);
                    break;
                case TermKind.Constant:
                    _slots[i] = new Slot(SlotKind.Fixed, t.Value, -1);
                    break;
                default:
                    var v = t.Symbol!;
                    if (seen.TryGetValue(v, out int earlier))
                    {
                        _slots[i] = _slots[earlier].Kind is SlotKind.Fixed or SlotKind.Row ? _slots[earlier] : new Slot(SlotKind.Same, null, earlier);
                    }
                    else if (frame.TryGetSingle(v, out var single))
                    {
                        _dependsOnBindings = true;
                        _slots[i] = new Slot(SlotKind.Fixed, single, -1);
                    }
                    else if (bindRowVars && frame.IsBound(v) && (rowsFrom is null || rowsFrom.Has(v)))
                    {
                        _slots[i] = new Slot(SlotKind.Row, null, _rowVars.Count);
                        _rowVars.Add(v);
                    }
                    else
                    {
                        _slots[i] = new Slot(SlotKind.Out, null, _outVars.Count);
                        _outVars.Add(v);
                    }
                    seen[v] = i;
                    break;
            }
        }
        ResolveFixed();
        _outPositions = [.. Enumerable.Range(0, 5).Where(i => _slots[i].Kind == SlotKind.Out)];
        _rowSlots = _slots.Count(s => s.Kind == SlotKind.Row);
        _rareChecks = _slots[A].Kind == SlotKind.Row || Enumerable.Range(0, 5).Any(i =>
            _slots[i].Kind == SlotKind.Same || (i is T or Op && _slots[i].Kind is SlotKind.Fixed or SlotKind.Row));
    }

    /// <summary>The variables bound per input row, in <see cref="Slot.Index"/> order.</summary>
    public IReadOnlyList<Symbol> RowVars => _rowVars;

    public IReadOnlyList<Symbol> OutVars => _outVars;

    /// <summary>True when a constant can match nothing (an unknown attribute, a lookup ref to no entity, a value of the wrong type).</summary>
    public bool MatchesNothing => _nothing;

    private bool Fixed(int pos) => _slots[pos].Kind == SlotKind.Fixed;

    private void ResolveFixed()
    {
        var schema = _view.Schema;
        if (Fixed(A))
        {
            var a = _slots[A].Value;
            if (a is Keyword k && schema.TryGet(k, out var attr)) _attr = attr;
            else if (a is not null && Numbers.IsIntegral(a) && Numbers.FitsLong(a) && schema.TryGetByEid(Numbers.ToLongUnchecked(a), out var byEid)) _attr = byEid;
            else _nothing = true;
        }
        if (Fixed(E))
        {
            var e = ToEntity(_slots[E].Value);
            if (e is null) _nothing = true;
            else _slots[E] = _slots[E] with { Value = e.Value };
        }
        if (Fixed(V))
        {
            var v = _slots[V].Value;
            if (_attr is not null)
            {
                var stored = v is null ? null : _view.StoredValue(_attr, v);
                if (stored is null) _nothing = true;
                _value = stored;
            }
            else
            {
                _value = v;
                if (v is null) _nothing = true;
            }
        }
        if (Fixed(T))
        {
            var t = _slots[T].Value;
            if (t is null || !Numbers.IsIntegral(t) || !Numbers.FitsLong(t)) _nothing = true;
            else _slots[T] = _slots[T] with { Value = Numbers.ToLongUnchecked(t) };
        }
        if (Fixed(Op) && _slots[Op].Value is not bool) _nothing = true;
        if (_range is not null && _attr is not null)
        {
            // Bounds compare with stored values, so coerce them as the attribute stores values.
            _range = _range with
            {
                Low = _range.HasLow && _range.Low is not null ? _view.StoredValue(_attr, _range.Low) ?? _range.Low : _range.Low,
                High = _range.HasHigh && _range.High is not null ? _view.StoredValue(_attr, _range.High) ?? _range.High : _range.High,
            };
        }
    }

    private long? ToEntity(object? value)
    {
        if (value is long l) return l;
        if (value is null) return null;
        if (value is Keyword or EdnSequence || Numbers.IsNumber(value) || ValueEquality.IsSequential(value))
        {
            try
            {
                return _view.Entid(value);
            }
            catch (HikeException)
            {
                return null;
            }
        }
        return null;
    }

    /// <summary>
    /// Estimated rows this pattern yields given <paramref name="inputRows"/> rows binding its
    /// per-row variables (ignored when it has none).
    /// </summary>
    public double Estimate(long inputRows)
    {
        if (_nothing) return 0;
        long baseCount = BaseCount();
        if (_rowVars.Count == 0) return baseCount;
        bool eKnown = _slots[E].Kind is SlotKind.Row;
        if (eKnown)
        {
            double fanout = _attr is null ? 8 : _attr.Many ? 3 : 1;
            if (Fixed(V) || _range is not null)
            {
                long attrCount = AttrCount();
                fanout *= attrCount == 0 ? 0 : Math.Min(1.0, (double)baseCount / attrCount);
            }
            return Math.Max(inputRows * fanout, 0.5);
        }
        if (_slots[V].Kind == SlotKind.Row && _attr is not null)
        {
            return Math.Min(baseCount, inputRows * Math.Max(1.0, baseCount / Math.Max(1.0, Math.Sqrt(baseCount))));
        }
        return Math.Min((double)baseCount * inputRows, baseCount + (double)inputRows);
    }

    /// <summary>How many datoms match the fixed positions alone.</summary>
    public long BaseCount()
    {
        if (_baseCount is { } known) return known;
        long n;
        if (_nothing) n = 0;
        else if (Fixed(E)) n = _view.EstimateCount(IndexType.Eavt, EavtFrom((long)_slots[E].Value!), EavtTo((long)_slots[E].Value!));
        else if (_attr is not null)
        {
            if ((Fixed(V) || _range is not null) && _attr.InAvet) n = _view.EstimateCount(IndexType.Avet, AvetFrom(), AvetTo());
            else
            {
                n = AttrCount();
                if (Fixed(V) || _range is not null) n = SampledCount(n);
            }
        }
        else n = _view.EstimateCount(IndexType.Eavt, AllFrom, AllTo);
        _baseCount = n;
        return n;
    }

    private long AttrCount() => _attr is null ? 0 : _view.EstimateCount(IndexType.Aevt, AevtFrom(), AevtTo());

    /// <summary>Estimates how many of an attribute's <paramref name="total"/> datoms pass the value test, from its first datoms.</summary>
    private long SampledCount(long total)
    {
        var sink = new SampleSink(this);
        _view.Scan(IndexType.Aevt, AevtFrom(), AevtTo(), ref sink);
        if (sink.Seen == 0) return 0;
        if (sink.Seen < SampleSize) return sink.Matched;
        return (long)Math.Ceiling(total * (sink.Matched + 0.5) / sink.Seen);
    }

    private struct SampleSink(DbPattern pattern) : IDatomSink
    {
        public int Seen;
        public int Matched;

        public bool Accept(in IndexDatom d)
        {
            Seen++;
            if (pattern.ValueMatches(d.V)) Matched++;
            return Seen < SampleSize;
        }
    }

    private bool ValueMatches(object v)
    {
        if (Fixed(V) && !SameStored(v, _value)) return false;
        return _range is null || _range.Contains(v);
    }

    /// <summary>Stored values compared as the indices compare them.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static bool SameStored(object v, object? expected)
    {
        if (ReferenceEquals(v, expected)) return true;
        if (v is string s) return expected is string x && s.Length == x.Length && string.Equals(s, x);
        if (v is long l && expected is long m) return l == m;
        if (v is Keyword) return false;
        return ValueOrder.CompareValues(v, expected) == 0;
    }

    private static readonly IndexDatom AllFrom = new(0, 0, ValueOrder.Min, 0, false);
    private static readonly IndexDatom AllTo = new(Ids.EMax, int.MaxValue, ValueOrder.Max, Ids.TxMax, true);

    private IndexDatom EavtFrom(long e) => _attr is null
        ? new IndexDatom(e, 0, ValueOrder.Min, 0, false)
        : new IndexDatom(e, _attr.Id, Fixed(V) ? _value! : ValueOrder.Min, 0, false);

    private IndexDatom EavtTo(long e) => _attr is null
        ? new IndexDatom(e, int.MaxValue, ValueOrder.Max, Ids.TxMax, true)
        : new IndexDatom(e, _attr.Id, Fixed(V) ? _value! : ValueOrder.Max, Ids.TxMax, true);

    private IndexDatom AevtFrom() => new(0, _attr!.Id, ValueOrder.Min, 0, false);

    private IndexDatom AevtTo() => new(Ids.EMax, _attr!.Id, ValueOrder.Max, Ids.TxMax, true);

    private IndexDatom AvetFrom() => new(0, _attr!.Id, Fixed(V) ? _value! : _range is { HasLow: true } r ? r.Low! : ValueOrder.Min, 0, false);

    private IndexDatom AvetTo() => new(Ids.EMax, _attr!.Id, Fixed(V) ? _value! : _range is { HasHigh: true } r ? r.High! : ValueOrder.Max, Ids.TxMax, true);

    /// <summary>Whether rows from this pattern are pairwise distinct: every key position of a datom is bound, fixed or output.</summary>
    private bool OutputDistinct()
    {
        int keys = _view.IsHistory ? 5 : 3;
        for (int i = 0; i < keys; i++)
        {
            if (_slots[i].Kind == SlotKind.Blank) return false;
        }
        return true;
    }

    public override string ToString() => _clause.ToString();
}
