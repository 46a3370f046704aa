using System.Collections.Immutable;
using Hike.FullText;
using Hike.Index.Tree;

namespace Hike.Db;

/// <summary>
/// One segment of a full-text attribute's index as a database value holds it: the segment (in memory,
/// or stored at <see cref="Address"/> and read on first use), and the retractions of its documents, doc
/// number to retracting transaction. The segment never changes; a retraction makes a new value of this
/// type sharing it. Thread-safe.
/// </summary>
internal sealed class FullTextSegment
{
    private readonly Lazy<Segment> _segment;
    private readonly Lazy<int[]> _byEntity;
    private VisibleDocs? _current;

    /// <summary>Retractions are stored in chunks of this many doc numbers, so a retraction rewrites one chunk, not the segment's whole set.</summary>
    public const int RetractionChunkDocs = 1024;

    private FullTextSegment(Lazy<Segment> segment, NodeAddress? address, int docCount, long byteSize, ImmutableSortedDictionary<int, long> retracted, ImmutableSortedDictionary<int, NodeAddress> retractionChunks, bool isNew = false)
    {
        _segment = segment;
        IsNew = isNew;
        Address = address;
        DocCount = docCount;
        ByteSize = byteSize;
        Retracted = retracted;
        RetractionChunks = retractionChunks;
        _byEntity = new(() => DocsByEntity(_segment.Value));
    }

    /// <summary>Where the segment is stored; null while it lives only in memory (not yet committed, or a database in memory).</summary>
    public NodeAddress? Address { get; }

    /// <summary>
    /// True from its making by a transaction (or a merge on the commit path) until a commit keeps it
    /// (<see cref="At"/>, <see cref="Committed"/>); the segments a commit finds new at the end are its
    /// transactions' and become one. A segment without <see cref="Address"/> is written whether new or not.
    /// </summary>
    public bool IsNew { get; }

    /// <summary>
    /// Where <see cref="Retracted"/> is stored, by chunk (doc number / <see cref="RetractionChunkDocs"/>):
    /// the chunks stored as they are now; a chunk with retractions and no address is still to be written.
    /// </summary>
    public ImmutableSortedDictionary<int, NodeAddress> RetractionChunks { get; }

    public int DocCount { get; }

    /// <summary>The segment's encoded size, which the merge policy weighs.</summary>
    public long ByteSize { get; }

    /// <summary>Retracted documents: doc number to the transaction that retracted the value.</summary>
    public ImmutableSortedDictionary<int, long> Retracted { get; }

    /// <summary>The segment, read from the store on first use when it is stored.</summary>
    public Segment Segment => _segment.Value;

    /// <summary>A segment built in memory by a transaction, not stored yet.</summary>
    public static FullTextSegment InMemory(Segment segment, ImmutableSortedDictionary<int, long>? retracted = null) =>
        new(new Lazy<Segment>(segment), null, segment.DocCount, segment.ByteSize, retracted ?? ImmutableSortedDictionary<int, long>.Empty, ImmutableSortedDictionary<int, NodeAddress>.Empty, isNew: true);

    /// <summary>A stored segment, read through <paramref name="load"/> when first searched.</summary>
    public static FullTextSegment Stored(NodeAddress address, int docCount, long byteSize, ImmutableSortedDictionary<int, long> retracted, ImmutableSortedDictionary<int, NodeAddress> retractionChunks, Func<NodeAddress, Segment> load) =>
        new(new Lazy<Segment>(() => load(address)), address, docCount, byteSize, retracted, retractionChunks);

    /// <summary>This segment as stored: the segment at <paramref name="address"/>, its retractions in <paramref name="retractionChunks"/>.</summary>
    public FullTextSegment At(NodeAddress address, ImmutableSortedDictionary<int, NodeAddress> retractionChunks) => new(_segment, address, DocCount, ByteSize, Retracted, retractionChunks);

    /// <summary>This segment as a commit of a database in memory keeps it.</summary>
    public FullTextSegment Committed() => IsNew ? new(_segment, Address, DocCount, ByteSize, Retracted, RetractionChunks) : this;

    /// <summary>This segment with document <paramref name="doc"/> retracted by transaction <paramref name="tx"/>.</summary>
    public FullTextSegment Retract(int doc, long tx) =>
        new(_segment, Address, DocCount, ByteSize, Retracted.SetItem(doc, tx), RetractionChunks.Remove(doc / RetractionChunkDocs), IsNew);

    /// <summary>True when <paramref name="other"/> holds the same segment (its retractions may differ).</summary>
    public bool SameSegment(FullTextSegment other) => ReferenceEquals(_segment, other._segment) || (Address is { } address && address == other.Address);

    /// <summary>This segment rewritten without the documents <paramref name="gone"/> (its retractions renumbered).</summary>
    public static FullTextSegment Without(FullTextSegment segment, IReadOnlySet<int> gone) => Merge([segment], (_, d) => !gone.Contains(d));

    /// <summary>
    /// One segment of the documents of <paramref name="inputs"/> in their order: with history, all of
    /// them with their retractions; without, only the live ones.
    /// </summary>
    public static FullTextSegment Merge(IReadOnlyList<FullTextSegment> inputs, bool keepHistory, CancellationToken cancellationToken = default) =>
        Merge(inputs, (s, d) => keepHistory || !inputs[s].Retracted.ContainsKey(d), cancellationToken);

    /// <summary>One segment of the documents of <paramref name="inputs"/> that <paramref name="keep"/>(input, doc) holds for, in their order, with their retractions.</summary>
    private static FullTextSegment Merge(IReadOnlyList<FullTextSegment> inputs, Func<int, int, bool> keep, CancellationToken cancellationToken = default)
    {
        var retracted = ImmutableSortedDictionary.CreateBuilder<int, long>();
        int next = 0;
        for (int s = 0; s < inputs.Count; s++)
        {
            for (int d = 0; d < inputs[s].DocCount; d++)
            {
                if (!keep(s, d)) continue;
                if (inputs[s].Retracted.TryGetValue(d, out long tx)) retracted[next] = tx;
                next++;
            }
        }
        return InMemory(Segment.Merge([.. inputs.Select(i => i.Segment)], keep, cancellationToken), retracted.ToImmutable());
    }

    /// <summary>The live (not retracted) document of <paramref name="entity"/> whose value is <paramref name="value"/>, or -1.</summary>
    public int FindLive(long entity, string value)
    {
        var byEntity = _byEntity.Value;
        var segment = Segment;
        int lo = 0, hi = byEntity.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (segment.Entity(byEntity[mid]) < entity) lo = mid + 1;
            else hi = mid;
        }
        for (int i = lo; i < byEntity.Length && segment.Entity(byEntity[i]) == entity; i++)
        {
            int doc = byEntity[i];
            if (!Retracted.ContainsKey(doc) && segment.Value(doc) == value) return doc;
        }
        return -1;
    }

    /// <summary>The documents the current database value sees (null: all of them).</summary>
    public VisibleDocs? CurrentlyVisible()
    {
        if (Retracted.IsEmpty) return null;
        return _current ??= VisibleDocs.Where(DocCount, doc => !Retracted.ContainsKey(doc));
    }

    /// <summary>True when the document was current right after transaction <paramref name="asOf"/> (asserted by then, not retracted by then).</summary>
    public bool CurrentAsOf(int doc, long asOf) =>
        Segment.Tx(doc) <= asOf && !(Retracted.TryGetValue(doc, out long retractedBy) && retractedBy <= asOf);

    private static int[] DocsByEntity(Segment segment)
    {
        var docs = new int[segment.DocCount];
        for (int d = 0; d < docs.Length; d++) docs[d] = d;
        Array.Sort(docs, (a, b) => segment.Entity(a) != segment.Entity(b) ? segment.Entity(a).CompareTo(segment.Entity(b)) : a.CompareTo(b));
        return docs;
    }
}
