using System.Buffers;
using Hike.Db;
using Hike.Edn;
using Hike.Index.Datoms;

namespace Hike.Transactions;

/// <summary>
/// Loads assertions straight into the indices, without transaction processing (no tempids, upserts,
/// transaction entity or history), for imports and DataScript's <c>init-db</c>. Values are checked
/// against the schema; a second value for a cardinality-one attribute and a taken unique value are
/// errors. Sorting is by counting sorts over entity and attribute ids plus short comparison sorts
/// within each entity, then the indices are bulk-built: O(n) for dense entity ids, O(n log n) else.
/// Working arrays come from the shared pool, so a large load does not churn the large-object heap.
/// </summary>
internal static class BulkLoader
{
    /// <summary>True when <paramref name="eavt"/> holds the fact (e, a, v) of <paramref name="d"/>, from any transaction.</summary>
    private static bool HasFact(EavtSet eavt, in IndexDatom d) =>
        eavt.TryCeiling(new IndexDatom(d.E, d.A, d.V, 0, false), out var found) && found.E == d.E && found.A == d.A && ValueOrder.CompareValues(found.V, d.V) == 0;

    public static DbState Load(DbState state, IEnumerable<(long E, Keyword A, object V, long Tx)> datoms)
    {
        var schema = new SchemaBuilder(state.Schema);
        int capacity = (int)Math.Min(int.MaxValue / 2, state.Eavt.Count + (datoms.TryGetNonEnumeratedCount(out int expected) ? expected : 1024));
        var all = ArrayPool<IndexDatom>.Shared.Rent(Math.Max(capacity, 16));
        int n = 0;
        foreach (var d in state.Eavt) all[n++] = d;
        long maxEid = state.MaxEid, maxTx = state.MaxTx;
        var added = new List<IndexDatom>();
        foreach (var (e, a, v, tx) in datoms)
        {
            if (!schema.Current.TryGet(a, out var attribute))
            {
                if (state.Options.SchemaFlexibility != SchemaFlexibility.Read || SystemAttributes.IsSystem(a)) throw Errors.UnknownAttribute(a, $"[{e} {a} {Errors.Show(v)}]");
                attribute = schema.AddImplicit(a);
            }
            if (SystemAttributes.DefinesSchema(attribute.Id))
            {
                throw Errors.TxSchema($"Schema datoms cannot be bulk-loaded ({a} on entity {e}); transact them");
            }
            if (!ValueCoercion.TryCoerce(attribute.Type, v, out var value))
            {
                throw Errors.TxSchema($"Bad entity value {Errors.Show(v)} for {a} on entity {e}, value does not match schema definition. Must be conform to: {DbTypes.ToKeyword(attribute.Type)}");
            }
            TxProcessor.EnsureStorable(a, value);
            if (n == all.Length) Grow(ref all, n);
            all[n++] = new IndexDatom(e, attribute.Id, value, tx, true);
            if (SecondaryIndexes.AnyIndexes(attribute)) added.Add(all[n - 1]);
            if (e > maxEid && e < Ids.Tx0) maxEid = e;
            if (tx > maxTx) maxTx = tx;
        }
        var final = schema.Current;
        var eavt = ArrayPool<IndexDatom>.Shared.Rent(Math.Max(n, 16));
        var aevt = ArrayPool<IndexDatom>.Shared.Rent(Math.Max(n, 16));
        try
        {
            SortByEntity(all.AsSpan(0, n), eavt);
            SortRuns(eavt.AsSpan(0, n), default(EavtOrder));
            n = Distinct(eavt.AsSpan(0, n));
            CheckCardinality(eavt.AsSpan(0, n), final);
            var eavtSet = EavtSet.FromSorted(eavt.AsSpan(0, n));
            int na = GroupByAttribute(eavt.AsSpan(0, n), aevt, _ => true);
            var aevtSet = AevtSet.FromSorted(aevt.AsSpan(0, na));
            int nv = GroupByAttribute(eavt.AsSpan(0, n), aevt, a => final.TryGet(a, out var attr) && attr.InAvet);
            SortRuns(aevt.AsSpan(0, nv), default(AvetOrder));
            CheckUnique(aevt.AsSpan(0, nv), final);
            // The secondary indices take the facts the load adds (not those the database had).
            var newFacts = added.DistinctBy(d => (d.E, d.A, d.V)).Where(d => !HasFact(state.Eavt, d)).ToList();
            var secondary = state.Secondary.Select((kind, index) => kind.Apply(index, new SecondaryIndexChange(state.Schema, final, newFacts, _ => [], null)));
            return state with
            {
                Commit = null,
                Eavt = eavtSet,
                Aevt = aevtSet,
                Avet = AvetSet.FromSorted(aevt.AsSpan(0, nv)),
                Schema = final,
                MaxEid = maxEid,
                MaxTx = maxTx,
                Secondary = secondary,
            };
        }
        finally
        {
            ArrayPool<IndexDatom>.Shared.Return(all, clearArray: true);
            ArrayPool<IndexDatom>.Shared.Return(eavt, clearArray: true);
            ArrayPool<IndexDatom>.Shared.Return(aevt, clearArray: true);
        }
    }

    private static void Grow(ref IndexDatom[] array, int n)
    {
        var bigger = ArrayPool<IndexDatom>.Shared.Rent(n * 2);
        array.AsSpan(0, n).CopyTo(bigger);
        ArrayPool<IndexDatom>.Shared.Return(array, clearArray: true);
        array = bigger;
    }

    /// <summary>
    /// Writes <paramref name="source"/> ordered by entity id into <paramref name="target"/>: a counting
    /// sort over the dense range of ids (they are allocated consecutively), merged with a primitive-key
    /// sort of any ids far outside it (transaction entities).
    /// </summary>
    private static void SortByEntity(Span<IndexDatom> source, IndexDatom[] target)
    {
        int n = source.Length;
        if (n == 0) return;
        long min = long.MaxValue;
        foreach (var d in source) min = Math.Min(min, d.E);
        long limit = min + 4L * n;
        var counts = new int[4 * n + 2];
        int outliers = 0;
        foreach (var d in source)
        {
            if (d.E < limit) counts[d.E - min + 1]++;
            else outliers++;
        }
        for (int i = 1; i < counts.Length; i++) counts[i] += counts[i - 1];
        var far = new IndexDatom[outliers];
        var farKeys = new long[outliers];
        int f = 0;
        foreach (var d in source)
        {
            if (d.E < limit) target[counts[d.E - min]++] = d;
            else
            {
                farKeys[f] = d.E;
                far[f++] = d;
            }
        }
        if (outliers == 0) return;
        Array.Sort(farKeys, far);
        // The dense part fills target[0..n - outliers); merge the sorted outliers in from the back.
        int i1 = n - outliers - 1, i2 = outliers - 1;
        for (int k = n - 1; i2 >= 0; k--)
        {
            target[k] = i1 >= 0 && target[i1].E > far[i2].E ? target[i1--] : far[i2--];
        }
    }

    /// <summary>
    /// Sorts each run of datoms that share their first key part (entity for EAVT, attribute for
    /// AVET) by the full order; the runs themselves are already in order.
    /// </summary>
    private static void SortRuns<TOrder>(Span<IndexDatom> datoms, TOrder order)
        where TOrder : struct, IComparer<IndexDatom>
    {
        bool byEntity = typeof(TOrder) == typeof(EavtOrder);
        for (int start = 0; start < datoms.Length;)
        {
            int end = start + 1;
            while (end < datoms.Length && (byEntity ? datoms[end].E == datoms[start].E : datoms[end].A == datoms[start].A)) end++;
            SortRange(datoms[start..end], order);
            start = end;
        }
    }

    private static void SortRange<TOrder>(Span<IndexDatom> datoms, TOrder order)
        where TOrder : struct, IComparer<IndexDatom>
    {
        if (datoms.Length > 16)
        {
            datoms.Sort(order);
            return;
        }
        // Insertion sort: runs are short, and the struct order is called directly, not boxed.
        for (int i = 1; i < datoms.Length; i++)
        {
            var item = datoms[i];
            int j = i - 1;
            while (j >= 0 && order.Compare(datoms[j], item) > 0)
            {
                datoms[j + 1] = datoms[j];
                j--;
            }
            datoms[j + 1] = item;
        }
    }

    /// <summary>Drops repeats of a fact (same entity, attribute and value) in EAVT order, keeping the first; returns the new length.</summary>
    private static int Distinct(Span<IndexDatom> eavt)
    {
        int n = 0;
        for (int i = 0; i < eavt.Length; i++)
        {
            if (n > 0 && eavt[n - 1].SameFact(eavt[i])) continue;
            eavt[n++] = eavt[i];
        }
        return n;
    }

    /// <summary>
    /// A stable counting sort by attribute of the EAVT-ordered datoms whose attribute passes
    /// <paramref name="keep"/>, into <paramref name="target"/>: within one attribute entity order is
    /// kept, which is AEVT order. Returns how many were written. O(n).
    /// </summary>
    private static int GroupByAttribute(ReadOnlySpan<IndexDatom> eavt, IndexDatom[] target, Func<int, bool> keep)
    {
        int maxA = 0;
        foreach (var d in eavt) maxA = Math.Max(maxA, d.A);
        var counts = new int[maxA + 2];
        var kept = new bool[maxA + 1];
        for (int a = 0; a <= maxA; a++) kept[a] = keep(a);
        foreach (var d in eavt)
        {
            if (kept[d.A]) counts[d.A + 1]++;
        }
        for (int a = 1; a < counts.Length; a++) counts[a] += counts[a - 1];
        foreach (var d in eavt)
        {
            if (kept[d.A]) target[counts[d.A]++] = d;
        }
        return counts[^1];
    }

    private static void CheckCardinality(ReadOnlySpan<IndexDatom> eavt, Schema schema)
    {
        for (int i = 1; i < eavt.Length; i++)
        {
            var (p, d) = (eavt[i - 1], eavt[i]);
            if (p.E == d.E && p.A == d.A && !schema[d.A].Many)
            {
                throw Errors.TxSchema($"Cardinality-one attribute {schema[d.A].Ident} has two values for entity {d.E}: {Errors.Show(p.V)} and {Errors.Show(d.V)}");
            }
        }
    }

    private static void CheckUnique(ReadOnlySpan<IndexDatom> avet, Schema schema)
    {
        for (int i = 1; i < avet.Length; i++)
        {
            var (p, d) = (avet[i - 1], avet[i]);
            if (p.A == d.A && p.E != d.E && schema[d.A].Unique != Unique.None && ValueOrder.CompareValues(p.V, d.V) == 0)
            {
                throw Errors.Unique($"Unique attribute {schema[d.A].Ident} has value {Errors.Show(d.V)} on entities {p.E} and {d.E}");
            }
        }
    }
}
