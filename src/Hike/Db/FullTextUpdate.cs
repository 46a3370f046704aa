using System.Collections.Immutable;
using Hike.FullText;
using Hike.Index.Datoms;

namespace Hike.Db;

/// <summary>
/// The full-text side of one transaction, computed from its datoms once they are final: the values of
/// full-text attributes it asserted become documents of one new segment per attribute; those it
/// retracted (explicitly, or replaced in a cardinality-one attribute) are marked retracted where
/// they live, or dropped from the new segment when this transaction asserted them. An attribute that
/// became full-text, or changed its analyzer, is indexed afresh from its current values; one that
/// stopped being full-text loses its index.
/// </summary>
internal static class FullTextUpdate
{
    /// <param name="index">The index before the transaction.</param>
    /// <param name="beforeSchema">The schema before the transaction.</param>
    /// <param name="schema">The schema after the transaction.</param>
    /// <param name="txData">The transaction's datoms, in the order it produced them (each carries the transaction that asserted or retracted it).</param>
    /// <param name="currentValues">An attribute's current datoms after the transaction (for an attribute indexed afresh).</param>
    /// <param name="analyzedAhead">Values the submitting thread analysed already, if any.</param>
    public static FullTextIndex Apply(FullTextIndex index, Schema beforeSchema, Schema schema, IEnumerable<IndexDatom> txData, Func<int, IEnumerable<IndexDatom>> currentValues, AnalyzedValues? analyzedAhead = null)
    {
        var rebuilt = new HashSet<int>();
        if (!ReferenceEquals(beforeSchema, schema)) index = Reindexed(beforeSchema, schema, currentValues, index, rebuilt);

        Dictionary<int, Pending>? added = null;
        foreach (var d in txData)
        {
            if (rebuilt.Contains(d.A) || !schema.TryGet(d.A, out var attribute) || !attribute.FullText || d.V is not string value) continue;
            added ??= [];
            if (!added.TryGetValue(d.A, out var pending)) added[d.A] = pending = new Pending();
            if (d.Added) pending.Add(new FullTextDocument(d.E, value, d.Tx));
            else if (!pending.TryRemove(d.E, value)) index = index.With(d.A, Retract(index.Of(d.A), d.E, value, d.Tx));
        }
        if (added is null) return index;
        foreach (var (attrId, pending) in added)
        {
            var documents = pending.Documents();
            if (documents.Count == 0) continue;
            var segment = SegmentBuilder.Build(FullTextIndex.AnalyzerOf(schema[attrId]), documents, analyzedAhead);
            index = index.With(attrId, index.Of(attrId).Add(FullTextSegment.InMemory(segment)));
        }
        return index;
    }

    /// <summary>The documents a transaction asserted for one attribute, less those it retracted again; O(1) per change.</summary>
    private sealed class Pending
    {
        private readonly List<FullTextDocument?> _documents = [];
        private readonly Dictionary<(long Entity, string Value), List<int>> _at = [];

        public void Add(FullTextDocument document)
        {
            var key = (document.Entity, document.Value);
            if (!_at.TryGetValue(key, out var positions)) _at[key] = positions = [];
            positions.Add(_documents.Count);
            _documents.Add(document);
        }

        /// <summary>Takes back the latest pending document of (entity, value); false when there is none.</summary>
        public bool TryRemove(long entity, string value)
        {
            if (!_at.TryGetValue((entity, value), out var positions) || positions.Count == 0) return false;
            _documents[positions[^1]] = null;
            positions.RemoveAt(positions.Count - 1);
            return true;
        }

        public List<FullTextDocument> Documents() => [.. _documents.Where(d => d is not null).Select(d => d!.Value)];
    }

    /// <summary>
    /// The index after the transaction's schema changes: attributes no longer full-text dropped, and those
    /// newly full-text (or with another analyzer) indexed afresh from their current values, collected in
    /// <paramref name="rebuilt"/> so that the transaction's own datoms are not indexed twice.
    /// </summary>
    private static FullTextIndex Reindexed(Schema beforeSchema, Schema schema, Func<int, IEnumerable<IndexDatom>> currentValues, FullTextIndex index, HashSet<int> rebuilt)
    {
        foreach (var attrId in index.Attributes.Keys)
        {
            if (!schema.TryGet(attrId, out var now) || !now.FullText) index = index.With(attrId, []);
        }
        foreach (var attribute in schema.Attributes)
        {
            if (!attribute.FullText) continue;
            bool was = beforeSchema.TryGet(attribute.Id, out var old) && old.FullText;
            if (was && old!.Analyzer == attribute.Analyzer) continue;
            var documents = currentValues(attribute.Id).Select(d => new FullTextDocument(d.E, (string)d.V, d.Tx));
            var segment = SegmentBuilder.Build(FullTextIndex.AnalyzerOf(attribute), documents);
            index = index.With(attribute.Id, segment.DocCount == 0 ? [] : [FullTextSegment.InMemory(segment)]);
            rebuilt.Add(attribute.Id);
        }
        return index;
    }

    /// <summary>
    /// The index without the documents whose fact is gone from the database: a live one whose value is not
    /// current, a retracted one whose assertion history no longer holds (a purge removed them). Segments
    /// that lose documents are rewritten without them. O(documents).
    /// </summary>
    public static FullTextIndex Swept(FullTextIndex index, Func<long, int, string, bool> isCurrent, Func<long, int, string, bool> inHistory)
    {
        foreach (var (attrId, segments) in index.Attributes)
        {
            var kept = ImmutableArray.CreateBuilder<FullTextSegment>(segments.Length);
            foreach (var segment in segments)
            {
                var source = segment.Segment;
                bool Keeps(int doc) => segment.Retracted.ContainsKey(doc)
                    ? inHistory(source.Entity(doc), attrId, source.Value(doc))
                    : isCurrent(source.Entity(doc), attrId, source.Value(doc));
                var gone = Enumerable.Range(0, segment.DocCount).Where(doc => !Keeps(doc)).ToHashSet();
                if (gone.Count == 0) kept.Add(segment);
                else if (gone.Count < segment.DocCount) kept.Add(FullTextSegment.Without(segment, gone));
            }
            index = index.With(attrId, kept.ToImmutable());
        }
        return index;
    }

    /// <summary>Marks the live document of (entity, value) retracted in the newest segment that has it.</summary>
    private static ImmutableArray<FullTextSegment> Retract(ImmutableArray<FullTextSegment> segments, long entity, string value, long tx)
    {
        for (int s = segments.Length - 1; s >= 0; s--)
        {
            int doc = segments[s].FindLive(entity, value);
            if (doc >= 0) return segments.SetItem(s, segments[s].Retract(doc, tx));
        }
        // A value asserted before the attribute was full-text and not indexed since: nothing to retract.
        return segments;
    }
}
