using Hike.Db;
using Hike.Edn;
using Hike.Index;

namespace Hike.Transactions;

/// <summary>
/// Loads assertions straight into the indices, without transaction processing (no tempids, upserts,
/// transaction entity or history), for imports and DataScript's <c>init-db</c>. Values are checked
/// against the schema; a second value for a cardinality-one attribute and a taken unique value are
/// errors. The indices are bulk-built from sorted arrays: O(n log n).
/// </summary>
internal static class BulkLoader
{
    public static DbState Load(DbState state, IEnumerable<(long E, Keyword A, object V, long Tx)> datoms)
    {
        var schema = new SchemaBuilder(state.Schema);
        var added = new List<Datom>();
        long maxEid = state.MaxEid, maxTx = state.MaxTx;
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
            added.Add(new Datom(e, attribute.Id, value, tx, true));
            if (e > maxEid && e < Ids.Tx0) maxEid = e;
            if (tx > maxTx) maxTx = tx;
        }
        var final = schema.Current;
        var all = new List<Datom>(state.Eavt.Count > int.MaxValue ? 0 : (int)state.Eavt.Count + added.Count);
        foreach (var d in state.Eavt) all.Add(d);
        all.AddRange(added);
        var eavt = SortedDistinct(all, default(EavtOrder));
        CheckCardinality(eavt, final);
        var aevt = eavt.ToArray();
        Array.Sort(aevt, default(AevtOrder));
        var avet = eavt.Where(d => final[d.A].InAvet).ToArray();
        Array.Sort(avet, default(AvetOrder));
        CheckUnique(avet, final);
        return state with
        {
            Eavt = EavtSet.FromSorted(eavt),
            Aevt = AevtSet.FromSorted(aevt),
            Avet = AvetSet.FromSorted(avet),
            Schema = final,
            MaxEid = maxEid,
            MaxTx = maxTx,
        };
    }

    /// <summary>Sorts and drops repeats of a fact (same entity, attribute and value), keeping the first.</summary>
    private static Datom[] SortedDistinct(List<Datom> datoms, EavtOrder order)
    {
        var array = datoms.ToArray();
        Array.Sort(array, order);
        int n = 0;
        for (int i = 0; i < array.Length; i++)
        {
            if (n > 0 && array[n - 1].SameFact(array[i])) continue;
            array[n++] = array[i];
        }
        Array.Resize(ref array, n);
        return array;
    }

    private static void CheckCardinality(Datom[] eavt, Schema schema)
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

    private static void CheckUnique(Datom[] avet, Schema schema)
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
