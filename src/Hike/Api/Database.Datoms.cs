using Hike.Db;
using Hike.Edn;
using Hike.Index.Datoms;

namespace Hike.Api;

public sealed partial class Database
{
    /// <summary>
    /// The datoms of <paramref name="index"/> whose leading parts equal <paramref name="components"/>
    /// (EAVT: e a v tx; AEVT: a e v tx; AVET: a v e tx), in index order. Entities may be given as ids,
    /// lookup refs or idents. Lazy; O(log n) to the first datom.
    /// </summary>
    public IEnumerable<Datom> Datoms(IndexType index, params object?[] components) => Datoms(index, components, CancellationToken.None);

    /// <summary>
    /// As <see cref="Datoms(IndexType, object?[])"/>; enumerating stops with
    /// <see cref="OperationCanceledException"/> once <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public IEnumerable<Datom> Datoms(IndexType index, object?[] components, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(components);
        var bounds = DatomBounds.Resolve(View, index, components);
        return bounds is { } b ? Convert(Read(index, b.From, b.To, descending: false, cancellationToken), cancellationToken) : [];
    }

    /// <summary>As <see cref="Datoms(IndexType, object?[])"/> with the index given as a keyword (<c>:eavt</c>, <c>:aevt</c>, <c>:avet</c>).</summary>
    public IEnumerable<Datom> Datoms(Keyword index, params object?[] components) => Datoms(DatomBounds.ParseIndex(index), components);

    /// <summary>As <see cref="Datoms(Keyword, object?[])"/>, stopped by <paramref name="cancellationToken"/>.</summary>
    public IEnumerable<Datom> Datoms(Keyword index, object?[] components, CancellationToken cancellationToken) =>
        Datoms(DatomBounds.ParseIndex(index), components, cancellationToken);

    /// <summary>
    /// The datoms of <paramref name="index"/> from the position of <paramref name="components"/> to the
    /// end of the index, in index order.
    /// </summary>
    public IEnumerable<Datom> SeekDatoms(IndexType index, params object?[] components) => SeekDatoms(index, components, CancellationToken.None);

    /// <summary>As <see cref="SeekDatoms(IndexType, object?[])"/>, stopped by <paramref name="cancellationToken"/>.</summary>
    public IEnumerable<Datom> SeekDatoms(IndexType index, object?[] components, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(components);
        var bounds = DatomBounds.Resolve(View, index, components);
        return bounds is { } b ? Convert(Read(index, b.From, DatomBounds.End, descending: false, cancellationToken), cancellationToken) : [];
    }

    /// <summary>
    /// The datoms of <paramref name="index"/> from the position of <paramref name="components"/> back to
    /// the start of the index, in reverse index order.
    /// </summary>
    public IEnumerable<Datom> RSeekDatoms(IndexType index, params object?[] components) => RSeekDatoms(index, components, CancellationToken.None);

    /// <summary>As <see cref="RSeekDatoms(IndexType, object?[])"/>, stopped by <paramref name="cancellationToken"/>.</summary>
    public IEnumerable<Datom> RSeekDatoms(IndexType index, object?[] components, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(components);
        var bounds = DatomBounds.Resolve(View, index, components);
        return bounds is { } b ? Convert(Read(index, DatomBounds.Begin, b.To, descending: true, cancellationToken), cancellationToken) : [];
    }

    /// <summary>
    /// The AVET datoms of <paramref name="attribute"/> with <paramref name="start"/> ≤ value ≤
    /// <paramref name="end"/> (null leaves that side open), in value order. Enumerating stops with
    /// <see cref="OperationCanceledException"/> once <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public IEnumerable<Datom> IndexRange(Keyword attribute, object? start, object? end, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        if (!State.Schema.TryGet(attribute, out var attr))
        {
            throw Errors.IndexRangeAttribute(attribute);
        }
        object lo = start is null ? ValueOrder.Min : View.StoredValue(attr, start) ?? ValueOrder.Min;
        object hi = end is null ? ValueOrder.Max : View.StoredValue(attr, end) ?? ValueOrder.Max;
        var from = new IndexDatom(0, attr.Id, lo, 0, false);
        var to = new IndexDatom(Ids.EMax, attr.Id, hi, Ids.TxMax, true);
        return Convert(Read(IndexType.Avet, from, to, descending: false, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Reads an index range. AVET holds only indexed, unique and ref attributes; for any other
    /// attribute the same answer is computed from AEVT and sorted by value.
    /// </summary>
    private IEnumerable<IndexDatom> Read(IndexType index, IndexDatom from, IndexDatom to, bool descending, CancellationToken cancellationToken)
    {
        if (index != IndexType.Avet || from.A != to.A || !State.Schema.TryGet(from.A, out var attr) || attr.InAvet)
        {
            return View.Range(index, from, to, descending);
        }
        var all = Checked(View.Range(IndexType.Aevt, new IndexDatom(0, from.A, ValueOrder.Min, 0, false), new IndexDatom(Ids.EMax, from.A, ValueOrder.Max, Ids.TxMax, true)), cancellationToken).ToList();
        cancellationToken.ThrowIfCancellationRequested();
        all.Sort(default(Index.Datoms.AvetOrder));
        var order = default(Index.Datoms.AvetOrder);
        var inRange = all.Where(d => order.Compare(d, from) >= 0 && order.Compare(d, to) <= 0);
        return descending ? inRange.Reverse() : inRange;
    }

    private IEnumerable<Datom> Convert(IEnumerable<IndexDatom> datoms, CancellationToken cancellationToken)
    {
        var schema = State.Schema;
        foreach (var d in Checked(datoms, cancellationToken)) yield return ToDatom(schema, d);
    }

    /// <summary><paramref name="datoms"/>, looking at <paramref name="cancellationToken"/> every 1,024 of them.</summary>
    private static IEnumerable<IndexDatom> Checked(IEnumerable<IndexDatom> datoms, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled) return datoms;
        return Iterate();

        IEnumerable<IndexDatom> Iterate()
        {
            int n = 0;
            foreach (var d in datoms)
            {
                if ((n++ & 1023) == 0) cancellationToken.ThrowIfCancellationRequested();
                yield return d;
            }
        }
    }
}
