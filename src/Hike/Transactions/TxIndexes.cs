using Hike.Db;
using Hike.Edn;
using Hike.Index.Datoms;
using Hike.Index.Tree;

namespace Hike.Transactions;

/// <summary>
/// The six indices of a database while one transaction changes them in place (transient mode), with
/// the reads a transaction needs. Temporal indices turn transient only when something is retracted.
/// Not thread-safe; used by one transaction.
/// </summary>
internal sealed class TxIndexes
{
    private DbState _origin;
    private TransientDatomIndex<EavtOrder>? _temporalEavt;
    private TransientDatomIndex<AevtOrder>? _temporalAevt;
    private TransientDatomIndex<AvetOrder>? _temporalAvet;

    public TxIndexes(DbState origin)
    {
        _origin = origin;
        Eavt = origin.Eavt.ToTransient();
        Aevt = origin.Aevt.ToTransient();
        Avet = origin.Avet.ToTransient();
    }

    public TransientDatomIndex<EavtOrder> Eavt { get; private set; }

    public TransientDatomIndex<AevtOrder> Aevt { get; private set; }

    public TransientDatomIndex<AvetOrder> Avet { get; private set; }

    public TransientDatomIndex<EavtOrder> TemporalEavt => _temporalEavt ??= _origin.TemporalEavt.ToTransient();

    public TransientDatomIndex<AevtOrder> TemporalAevt => _temporalAevt ??= _origin.TemporalAevt.ToTransient();

    public TransientDatomIndex<AvetOrder> TemporalAvet => _temporalAvet ??= _origin.TemporalAvet.ToTransient();

    public bool TemporalTouched => _temporalEavt is not null;

    /// <summary>Adds a current datom to EAVT, AEVT and, when <paramref name="inAvet"/>, AVET.</summary>
    public void Insert(in IndexDatom d, bool inAvet)
    {
        Eavt.Add(d);
        Aevt.Add(d);
        if (inAvet) Avet.Add(d);
    }

    /// <summary>Removes a current datom (exactly as stored) from the current indices.</summary>
    public void Delete(in IndexDatom d, bool inAvet)
    {
        Eavt.Remove(d);
        Aevt.Remove(d);
        if (inAvet) Avet.Remove(d);
    }

    public void InsertTemporal(in IndexDatom d, bool inAvet)
    {
        TemporalEavt.Add(d);
        TemporalAevt.Add(d);
        if (inAvet) TemporalAvet.Add(d);
    }

    public void DeleteTemporal(in IndexDatom d, bool inAvet)
    {
        TemporalEavt.Remove(d);
        TemporalAevt.Remove(d);
        if (inAvet) TemporalAvet.Remove(d);
    }

    /// <summary>The stored datom for fact (e, a, v), if present.</summary>
    public bool TryFindFact(long e, int a, object v, out IndexDatom found) =>
        Eavt.TryCeiling(new IndexDatom(e, a, v, 0, false), out found) && found.E == e && found.A == a && ValueOrder.CompareValues(found.V, v) == 0;

    /// <summary>The first stored datom of (e, a) — the value of a cardinality-one attribute.</summary>
    public bool TryFirst(long e, int a, out IndexDatom found) =>
        Eavt.TryCeiling(new IndexDatom(e, a, ValueOrder.Min, 0, false), out found) && found.E == e && found.A == a;

    /// <summary>All stored datoms of (e, a), copied so the caller may change the indices while using them.</summary>
    public List<IndexDatom> Values(long e, int a)
    {
        var list = new List<IndexDatom>();
        foreach (var d in Eavt.Slice(new IndexDatom(e, a, ValueOrder.Min, 0, false), new IndexDatom(e, a, ValueOrder.Max, Ids.TxMax, true))) list.Add(d);
        return list;
    }

    /// <summary>All stored datoms of entity e, copied.</summary>
    public List<IndexDatom> EntityDatoms(long e)
    {
        var list = new List<IndexDatom>(16);
        foreach (var d in Eavt.Slice(new IndexDatom(e, 0, ValueOrder.Min, 0, false), new IndexDatom(e, int.MaxValue, ValueOrder.Max, Ids.TxMax, true))) list.Add(d);
        return list;
    }

    /// <summary>All datoms of attribute a, copied (AEVT order).</summary>
    public List<IndexDatom> AttributeDatoms(int a)
    {
        var list = new List<IndexDatom>();
        foreach (var d in Aevt.Slice(new IndexDatom(0, a, ValueOrder.Min, 0, false), new IndexDatom(Ids.EMax, a, ValueOrder.Max, Ids.TxMax, true))) list.Add(d);
        return list;
    }

    /// <summary>All temporal datoms of attribute a, copied (AEVT order).</summary>
    public List<IndexDatom> TemporalAttributeDatoms(int a)
    {
        var from = new IndexDatom(0, a, ValueOrder.Min, 0, false);
        var to = new IndexDatom(Ids.EMax, a, ValueOrder.Max, Ids.TxMax, true);
        var list = new List<IndexDatom>();
        var source = _temporalAevt is null ? (IEnumerable<IndexDatom>)_origin.TemporalAevt.Slice(from, to) : _temporalAevt.Slice(from, to);
        foreach (var d in source) list.Add(d);
        return list;
    }

    /// <summary>The entity other than <paramref name="except"/> holding (a, v) in AVET, if any.</summary>
    public bool TryFindOwner(int a, object v, long except, out IndexDatom owner)
    {
        if (!Avet.TryCeiling(new IndexDatom(0, a, v, 0, false), out owner) || owner.A != a || ValueOrder.CompareValues(owner.V, v) != 0) return false;
        if (owner.E != except) return true;
        foreach (var d in Avet.Slice(new IndexDatom(0, a, v, 0, false), new IndexDatom(Ids.EMax, a, v, Ids.TxMax, true)))
        {
            if (d.E == except) continue;
            owner = d;
            return true;
        }
        owner = default;
        return false;
    }

    /// <summary>An entity that held (a, v) in a fact since retracted (temporal AVET), if any.</summary>
    public bool TryFindRetractedOwner(int a, object v, out long e)
    {
        var from = new IndexDatom(0, a, v, 0, false);
        var to = new IndexDatom(Ids.EMax, a, v, Ids.TxMax, true);
        var source = _temporalAvet is null ? (IEnumerable<IndexDatom>)_origin.TemporalAvet.Slice(from, to) : _temporalAvet.Slice(from, to);
        foreach (var d in source)
        {
            e = d.E;
            return true;
        }
        e = 0;
        return false;
    }

    /// <summary>The datoms of ref attribute a whose value is <paramref name="target"/>, copied.</summary>
    public List<IndexDatom> Referencing(int a, long target)
    {
        var list = new List<IndexDatom>();
        foreach (var d in Avet.Slice(new IndexDatom(0, a, target, 0, false), new IndexDatom(Ids.EMax, a, target, Ids.TxMax, true))) list.Add(d);
        return list;
    }

    /// <summary>The temporal datoms of fact (e, a, v), copied, in transaction order.</summary>
    public List<IndexDatom> TemporalFact(long e, int a, object v)
    {
        var list = new List<IndexDatom>();
        var source = _temporalEavt is null ? (IEnumerable<IndexDatom>)_origin.TemporalEavt.Slice(new IndexDatom(e, a, v, 0, false), new IndexDatom(e, a, v, Ids.TxMax, true))
            : _temporalEavt.Slice(new IndexDatom(e, a, v, 0, false), new IndexDatom(e, a, v, Ids.TxMax, true));
        foreach (var d in source) list.Add(d);
        return list;
    }

    /// <summary>The temporal datoms of entity e (optionally only attribute a), copied.</summary>
    public List<IndexDatom> TemporalEntity(long e, int? a)
    {
        var from = new IndexDatom(e, a ?? 0, ValueOrder.Min, 0, false);
        var to = new IndexDatom(e, a ?? int.MaxValue, ValueOrder.Max, Ids.TxMax, true);
        var list = new List<IndexDatom>();
        var source = _temporalEavt is null ? (IEnumerable<IndexDatom>)_origin.TemporalEavt.Slice(from, to) : _temporalEavt.Slice(from, to);
        foreach (var d in source) list.Add(d);
        return list;
    }

    /// <summary>Every temporal datom, copied (EAVT order).</summary>
    public List<IndexDatom> AllTemporal()
    {
        var list = new List<IndexDatom>();
        if (_temporalEavt is null)
        {
            foreach (var d in _origin.TemporalEavt) list.Add(d);
        }
        else
        {
            foreach (var d in _temporalEavt.Slice(new IndexDatom(0, 0, ValueOrder.Min, 0, false), new IndexDatom(Ids.EMax, int.MaxValue, ValueOrder.Max, Ids.TxMax, true))) list.Add(d);
        }
        return list;
    }

    /// <summary>
    /// Freezes the indices into <paramref name="shape"/> (a state whose other parts are already
    /// final) and continues with fresh transients over them, so a transaction function can read a
    /// consistent snapshot mid-transaction.
    /// </summary>
    public DbState Checkpoint(DbState shape)
    {
        var state = Persist(shape);
        _origin = state;
        Eavt = state.Eavt.ToTransient();
        Aevt = state.Aevt.ToTransient();
        Avet = state.Avet.ToTransient();
        _temporalEavt = null;
        _temporalAevt = null;
        _temporalAvet = null;
        return state;
    }

    /// <summary>Freezes the indices into <paramref name="shape"/>; this object must not be changed afterwards.</summary>
    public DbState Persist(DbState shape) => shape with
    {
        Commit = null,
        Eavt = Eavt.ToPersistent(),
        Aevt = Aevt.ToPersistent(),
        Avet = Avet.ToPersistent(),
        TemporalEavt = _temporalEavt?.ToPersistent() ?? _origin.TemporalEavt,
        TemporalAevt = _temporalAevt?.ToPersistent() ?? _origin.TemporalAevt,
        TemporalAvet = _temporalAvet?.ToPersistent() ?? _origin.TemporalAvet,
    };
}
