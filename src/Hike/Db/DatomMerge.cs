using Hike.Index.Datoms;


namespace Hike.Db;

/// <summary>Stream operations that combine the current and temporal indices into history and as-of views.</summary>
internal static class DatomMerge
{
    /// <summary>Merges two streams sorted in the same index order (ascending or descending) into one.</summary>
    public static IEnumerable<IndexDatom> Merge<TOrder>(IEnumerable<IndexDatom> a, IEnumerable<IndexDatom> b, bool descending)
        where TOrder : struct, IComparer<IndexDatom>
    {
        using var ea = a.GetEnumerator();
        using var eb = b.GetEnumerator();
        bool ha = ea.MoveNext(), hb = eb.MoveNext();
        int sign = descending ? -1 : 1;
        while (ha && hb)
        {
            if (default(TOrder).Compare(ea.Current, eb.Current) * sign <= 0)
            {
                yield return ea.Current;
                ha = ea.MoveNext();
            }
            else
            {
                yield return eb.Current;
                hb = eb.MoveNext();
            }
        }
        while (ha)
        {
            yield return ea.Current;
            ha = ea.MoveNext();
        }
        while (hb)
        {
            yield return eb.Current;
            hb = eb.MoveNext();
        }
    }

    /// <summary>
    /// Turns a merged history stream into the facts true as of transaction <paramref name="asOfTx"/>.
    /// The datoms of one fact (entity, attribute, value) are adjacent in every index order. A fact is
    /// asserted only while absent and retracted only while present, so it holds at
    /// <paramref name="asOfTx"/> exactly when its assertions up to then outnumber its retractions;
    /// that counting also gets an assertion and a retraction within one transaction right, whatever
    /// their order. The datom returned is the fact's latest visible assertion.
    /// </summary>
    public static IEnumerable<IndexDatom> AsOf(IEnumerable<IndexDatom> history, long asOfTx)
    {
        bool have = false;
        IndexDatom group = default, latest = default;
        int balance = 0;
        foreach (var d in history)
        {
            if (d.Tx > asOfTx) continue;
            if (have && !group.SameFact(d))
            {
                if (balance > 0) yield return latest;
                have = false;
            }
            if (!have)
            {
                have = true;
                group = d;
                balance = 0;
                latest = default;
            }
            if (d.Added)
            {
                balance++;
                if (latest.V is null || d.Tx >= latest.Tx) latest = d;
            }
            else
            {
                balance--;
            }
        }
        if (have && balance > 0) yield return latest;
    }
}
