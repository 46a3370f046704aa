using Hike.Edn;
using Hike.Index.Datoms;
using Hike.Index.Tree;

namespace Hike.Db;

/// <summary>
/// A readable database: a <see cref="DbState"/> seen now, as of a transaction, since a transaction,
/// through its whole history, or through a filter — or any combination. Every read (queries, pull,
/// entities, datoms) goes through <see cref="Range"/>. Immutable and thread-safe.
/// </summary>
internal sealed partial class DbView
{
    private const long NoAsOf = long.MaxValue;
    private const long NoSince = long.MinValue;

    private DbView(DbState state, bool history, long asOfTx, long sinceTx, Func<IndexDatom, bool>? filter)
    {
        State = state;
        IsHistory = history;
        AsOfTx = asOfTx;
        SinceTx = sinceTx;
        Filter = filter;
    }

    public DbState State { get; }

    public Schema Schema => State.Schema;

    /// <summary>True when reads return every assertion and retraction ever made.</summary>
    public bool IsHistory { get; }

    /// <summary>The last transaction visible, or <see cref="long.MaxValue"/>.</summary>
    public long AsOfTx { get; }

    /// <summary>
    /// The time point of <c>since</c>: only later transactions are visible (as Datahike's since-pred,
    /// the complement of as-of, which excludes it); <see cref="long.MinValue"/> when unset.
    /// </summary>
    public long SinceTx { get; }

    public Func<IndexDatom, bool>? Filter { get; }

    public bool HasAsOf => AsOfTx != NoAsOf;

    public bool HasSince => SinceTx != NoSince;

    /// <summary>True for the plain current view, whose reads go straight to the current indices.</summary>
    public bool IsCurrent => !IsHistory && AsOfTx == NoAsOf && SinceTx == NoSince && Filter is null;

    public static DbView Of(DbState state) => new(state, false, NoAsOf, NoSince, null);

    public DbView AsHistory() => IsHistory ? this : new(State, true, AsOfTx, SinceTx, Filter);

    public DbView AsOf(long tx) => new(State, IsHistory, Math.Min(tx, AsOfTx), SinceTx, Filter);

    public DbView Since(long tx) => new(State, IsHistory, AsOfTx, Math.Max(tx, SinceTx), Filter);

    public DbView Filtered(Func<IndexDatom, bool> predicate)
    {
        var inner = Filter;
        return new(State, IsHistory, AsOfTx, SinceTx, inner is null ? predicate : d => inner(d) && predicate(d));
    }

    /// <summary>The same kind of view over another state (used when a connection moves on).</summary>
    public DbView WithState(DbState state) => new(state, IsHistory, AsOfTx, SinceTx, Filter);

    /// <summary>
    /// The visible datoms of index <paramref name="index"/> between <paramref name="from"/> and
    /// <paramref name="to"/> (inclusive, in that index's order), ascending or descending.
    /// </summary>
    public IEnumerable<IndexDatom> Range(IndexType index, IndexDatom from, IndexDatom to, bool descending = false) => index switch
    {
        IndexType.Eavt => Range(State.Eavt, State.TemporalEavt, from, to, descending),
        IndexType.Aevt => Range(State.Aevt, State.TemporalAevt, from, to, descending),
        _ => Range(State.Avet, State.TemporalAvet, from, to, descending),
    };

    /// <summary>
    /// How many datoms <see cref="Range"/> would return: exact and O(log n) on the current view, an
    /// upper bound (current plus temporal) on the others.
    /// </summary>
    public long EstimateCount(IndexType index, IndexDatom from, IndexDatom to) => index switch
    {
        IndexType.Eavt => Estimate(State.Eavt, State.TemporalEavt, from, to),
        IndexType.Aevt => Estimate(State.Aevt, State.TemporalAevt, from, to),
        _ => Estimate(State.Avet, State.TemporalAvet, from, to),
    };

    /// <summary>
    /// Appends the visible datoms of <see cref="Range"/> to <paramref name="into"/>, at most
    /// <paramref name="limit"/> of them. Allocation-free on the current view, where it reads the
    /// index directly; the hot read of pull and entities.
    /// </summary>
    public void Collect(IndexType index, in IndexDatom from, in IndexDatom to, List<IndexDatom> into, int limit = int.MaxValue)
    {
        if (limit <= 0) return;
        int stop = into.Count + limit;
        if (IsCurrent)
        {
            switch (index)
            {
                case IndexType.Eavt:
                    CollectCurrent(State.Eavt, from, to, into, stop);
                    return;
                case IndexType.Aevt:
                    CollectCurrent(State.Aevt, from, to, into, stop);
                    return;
                default:
                    CollectCurrent(State.Avet, from, to, into, stop);
                    return;
            }
        }
        foreach (var d in Range(index, from, to))
        {
            into.Add(d);
            if (into.Count == stop) return;
        }
    }

    /// <summary>
    /// Feeds the visible datoms of <see cref="Range"/> to <paramref name="sink"/>, in index order.
    /// Allocation-free on the current view; the hot read of queries.
    /// </summary>
    public void Scan<TSink>(IndexType index, in IndexDatom from, in IndexDatom to, ref TSink sink)
        where TSink : struct, IDatomSink
    {
        if (IsCurrent)
        {
            switch (index)
            {
                case IndexType.Eavt:
                    ScanCurrent(State.Eavt, from, to, ref sink);
                    return;
                case IndexType.Aevt:
                    ScanCurrent(State.Aevt, from, to, ref sink);
                    return;
                default:
                    ScanCurrent(State.Avet, from, to, ref sink);
                    return;
            }
        }
        foreach (var d in Range(index, from, to))
        {
            if (!sink.Accept(d)) return;
        }
    }

    /// <summary>
    /// Feeds the visible datoms of <see cref="Range"/> to <paramref name="sink"/> in index order, a
    /// leaf at a time on the current view (a single run otherwise).
    /// </summary>
    public void ScanChunks<TSink>(IndexType index, in IndexDatom from, in IndexDatom to, ref TSink sink)
        where TSink : struct, IChunkSink
    {
        if (IsCurrent)
        {
            switch (index)
            {
                case IndexType.Eavt:
                    if (ChunksCurrent(State.Eavt, from, to, ref sink)) return;
                    break;
                case IndexType.Aevt:
                    if (ChunksCurrent(State.Aevt, from, to, ref sink)) return;
                    break;
                default:
                    if (ChunksCurrent(State.Avet, from, to, ref sink)) return;
                    break;
            }
        }
        var all = Range(index, from, to).ToArray();
        if (all.Length > 0) sink.Accept(all, 0, all.Length);
    }

    private static bool ChunksCurrent<TOrder, TSink>(DatomIndex<TOrder> index, in IndexDatom from, in IndexDatom to, ref TSink sink)
        where TOrder : struct, IDatomOrder
        where TSink : struct, IChunkSink
    {
        if (!index.TrySinglePartition(from, to, out var set)) return false;
        if (set is null) return true;
        var chunks = set.Slice(from, to).GetEnumerator();
        while (chunks.NextChunk(out var keys, out int start, out int end))
        {
            if (!sink.Accept(keys, start, end)) return true;
        }
        return true;
    }

    private static void ScanCurrent<TOrder, TSink>(DatomIndex<TOrder> index, in IndexDatom from, in IndexDatom to, ref TSink sink)
        where TOrder : struct, IDatomOrder
        where TSink : struct, IDatomSink
    {
        if (index.TrySinglePartition(from, to, out var set))
        {
            if (set is null) return;
            var chunks = set.Slice(from, to).GetEnumerator();
            while (chunks.NextChunk(out var keys, out int start, out int end))
            {
                for (int i = start; i < end; i++)
                {
                    if (!sink.Accept(in keys[i])) return;
                }
            }
            return;
        }
        foreach (var d in index.Slice(from, to))
        {
            if (!sink.Accept(d)) return;
        }
    }

    private static void CollectCurrent<TOrder>(DatomIndex<TOrder> index, in IndexDatom from, in IndexDatom to, List<IndexDatom> into, int stop)
        where TOrder : struct, IDatomOrder
    {
        if (index.TrySinglePartition(from, to, out var set))
        {
            if (set is null) return;
            var chunks = set.Slice(from, to).GetEnumerator();
            while (chunks.NextChunk(out var keys, out int start, out int end))
            {
                int take = Math.Min(end - start, stop - into.Count);
                into.AddRange(keys.AsSpan(start, take));
                if (into.Count == stop) return;
            }
            return;
        }
        foreach (var d in index.Slice(from, to))
        {
            into.Add(d);
            if (into.Count == stop) return;
        }
    }

    /// <summary>True when entity <paramref name="e"/> has a visible datom. O(log n) on the current view.</summary>
    public bool HasDatoms(long e)
    {
        if (IsCurrent) return State.Eavt.TryCeiling(new IndexDatom(e, 0, ValueOrder.Min, 0, false), out var first) && first.E == e;
        foreach (var _ in EntityDatoms(e)) return true;
        return false;
    }

    /// <summary>Appends the visible datoms of entity <paramref name="e"/> to <paramref name="into"/> (EAVT order).</summary>
    public void CollectEntity(long e, List<IndexDatom> into)
    {
        if (TryEntityInLeaf(e, out var datoms)) into.AddRange(datoms);
        else Collect(IndexType.Eavt, new IndexDatom(e, 0, ValueOrder.Min, 0, false), new IndexDatom(e, int.MaxValue, ValueOrder.Max, Ids.TxMax, true), into);
    }

    /// <summary>The visible datoms of entity <paramref name="e"/>, in EAVT order, as a new array.</summary>
    public IndexDatom[] EntityArray(long e)
    {
        if (TryEntityInLeaf(e, out var datoms)) return datoms.ToArray();
        var list = new List<IndexDatom>();
        Collect(IndexType.Eavt, new IndexDatom(e, 0, ValueOrder.Min, 0, false), new IndexDatom(e, int.MaxValue, ValueOrder.Max, Ids.TxMax, true), list);
        return [.. list];
    }

    /// <summary>
    /// The usual case on the current view, an entity whose datoms sit inside one leaf: found with one
    /// descent and no cursor (an entity's datoms all sit in one EAVT partition).
    /// </summary>
    private bool TryEntityInLeaf(long e, out ReadOnlySpan<IndexDatom> datoms)
    {
        datoms = default;
        if (!IsCurrent) return false;
        var from = new IndexDatom(e, 0, ValueOrder.Min, 0, false);
        var set = State.Eavt.Partition(EavtOrder.Partition(from));
        if (set is null) return true;
        var leaf = set.LeafAt(from, out int start);
        var keys = leaf.Keys;
        int len = leaf.Len, end = start;
        while (end < len && keys[end].E == e) end++;
        if (end == len && !set.IsTail(leaf)) return false;
        datoms = keys.AsSpan(start, end - start);
        return true;
    }

    /// <summary>Appends up to <paramref name="limit"/> visible datoms of (<paramref name="e"/>, <paramref name="a"/>).</summary>
    public void CollectEntityAttr(long e, int a, List<IndexDatom> into, int limit = int.MaxValue) =>
        Collect(IndexType.Eavt, new IndexDatom(e, a, ValueOrder.Min, 0, false), new IndexDatom(e, a, ValueOrder.Max, Ids.TxMax, true), into, limit);

    /// <summary>Appends up to <paramref name="limit"/> visible datoms of ref attribute <paramref name="a"/> pointing at <paramref name="target"/>.</summary>
    public void CollectReverseRefs(long target, int a, List<IndexDatom> into, int limit = int.MaxValue) =>
        Collect(IndexType.Avet, new IndexDatom(0, a, target, 0, false), new IndexDatom(Ids.EMax, a, target, Ids.TxMax, true), into, limit);

    /// <summary>The visible datoms of entity <paramref name="e"/> (all attributes), in EAVT order.</summary>
    public IEnumerable<IndexDatom> EntityDatoms(long e) =>
        Range(IndexType.Eavt, new IndexDatom(e, 0, ValueOrder.Min, 0, false), new IndexDatom(e, int.MaxValue, ValueOrder.Max, Ids.TxMax, true));

    /// <summary>The visible datoms of attribute <paramref name="a"/> on entity <paramref name="e"/>.</summary>
    public IEnumerable<IndexDatom> EntityAttrDatoms(long e, int a) =>
        Range(IndexType.Eavt, new IndexDatom(e, a, ValueOrder.Min, 0, false), new IndexDatom(e, a, ValueOrder.Max, Ids.TxMax, true));

    /// <summary>The visible datoms of ref attribute <paramref name="a"/> pointing at <paramref name="target"/>.</summary>
    public IEnumerable<IndexDatom> ReverseRefDatoms(long target, int a) =>
        Range(IndexType.Avet, new IndexDatom(0, a, target, 0, false), new IndexDatom(Ids.EMax, a, target, Ids.TxMax, true));

    /// <summary>The first visible value of (<paramref name="e"/>, <paramref name="a"/>), or null.</summary>
    public object? FirstValue(long e, int a)
    {
        foreach (var d in EntityAttrDatoms(e, a)) return d.V;
        return null;
    }

    /// <summary>
    /// Resolves an entity reference — an id, a lookup ref <c>[attr value]</c> or an ident keyword —
    /// to an entity id; null when a lookup ref or ident matches nothing.
    /// </summary>
    public long? Entid(object? eid)
    {
        switch (eid)
        {
            case long l:
                return l;
            case Keyword k:
                return Schema.TryGetEid(k, out long ie) ? ie : null;
            case null:
                throw Errors.EntityIdSyntax(eid);
        }
        if (Numbers.IsIntegral(eid) && Numbers.FitsLong(eid)) return Numbers.ToLongUnchecked(eid);
        if (ValueEquality.IsSequential(eid)) return ResolveLookupRef(eid);
        throw Errors.EntityIdSyntax(eid);
    }

    /// <summary>As <see cref="Entid"/>, but an unresolved reference is an <c>entity-id/missing</c> error.</summary>
    public long EntidStrict(object? eid) => Entid(eid) ?? throw Errors.EntityIdMissing(eid);

    /// <summary>
    /// <paramref name="value"/> as <paramref name="attribute"/> stores it: refs resolved to entity ids
    /// (null when the reference matches nothing), numbers, instants and tuples coerced; null when the
    /// value cannot be a value of the attribute.
    /// </summary>
    public object? StoredValue(DbAttribute attribute, object value)
    {
        if (attribute.IsRef) return value is long l ? l : Entid(value);
        if (attribute.Type == DbType.Tuple)
        {
            return ValueCoercion.TryCoerceTuple(value, attribute.TupleType, attribute.TupleTypes, attribute.TupleAttrs?.Length, out var t) ? t : null;
        }
        return ValueCoercion.TryCoerce(attribute.Type, value, out var coerced) ? coerced : ValueCoercion.TryNormalize(value, out var n) ? n : null;
    }

    /// <summary>The entity holding unique <paramref name="attribute"/> = <paramref name="value"/> (value already coerced).</summary>
    public long? LookupUnique(DbAttribute attribute, object value)
    {
        foreach (var d in Range(IndexType.Avet, new IndexDatom(0, attribute.Id, value, 0, false), new IndexDatom(Ids.EMax, attribute.Id, value, Ids.TxMax, true)))
        {
            if (d.Added) return d.E;
        }
        return null;
    }

    private long? ResolveLookupRef(object lookupRef)
    {
        var items = ((System.Collections.IEnumerable)lookupRef).Cast<object?>().ToArray();
        if (items.Length != 2) throw Errors.LookupRefSyntax(lookupRef);
        if (items[0] is not Keyword attrIdent) throw Errors.LookupRefSyntax(lookupRef);
        if (!Schema.TryGet(attrIdent, out var attribute) || attribute.Unique == Unique.None) throw Errors.LookupRefUnique(lookupRef);
        if (items[1] is null) return null;
        object? value = items[1];
        if (attribute.IsRef)
        {
            var target = Entid(value);
            if (target is null) return null;
            value = target.Value;
        }
        if (!ValueCoercion.TryCoerce(attribute.Type, value, out var coerced)) return null;
        return LookupUnique(attribute, coerced);
    }

    private long Estimate<TOrder>(DatomIndex<TOrder> current, DatomIndex<TOrder> temporal, IndexDatom from, IndexDatom to)
        where TOrder : struct, IDatomOrder
    {
        long n = current.CountRange(from, to);
        return IsCurrent || !(IsHistory || HasAsOf) ? n : n + temporal.CountRange(from, to);
    }

    private IEnumerable<IndexDatom> Range<TOrder>(DatomIndex<TOrder> current, DatomIndex<TOrder> temporal, IndexDatom from, IndexDatom to, bool descending)
        where TOrder : struct, IDatomOrder
    {
        if (IsCurrent) return Slice(current, from, to, descending);
        if (!IsHistory && !HasAsOf) return Where(Slice(current, from, to, descending));
        var merged = DatomMerge.Merge<TOrder>(Slice(current, from, to, descending), Slice(temporal, from, to, descending), descending);
        return IsHistory ? Where(merged) : Where(DatomMerge.AsOf(merged, AsOfTx));
    }

    private static IEnumerable<IndexDatom> Slice<TOrder>(DatomIndex<TOrder> set, IndexDatom from, IndexDatom to, bool descending)
        where TOrder : struct, IDatomOrder
    {
        if (descending)
        {
            foreach (var d in set.ReverseSlice(to, from)) yield return d;
        }
        else
        {
            foreach (var d in set.Slice(from, to)) yield return d;
        }
    }

    private IEnumerable<IndexDatom> Where(IEnumerable<IndexDatom> source)
    {
        long asOf = AsOfTx, since = SinceTx;
        var filter = Filter;
        foreach (var d in source)
        {
            if (d.Tx > asOf || d.Tx <= since) continue;
            if (filter is not null && !filter(d)) continue;
            yield return d;
        }
    }
}
