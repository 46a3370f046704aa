using System.Collections.Immutable;
using Hike.FullText;
using Lucene.Net.Analysis;

namespace Hike.Db;

/// <summary>
/// The full-text index of one database value: for each full-text attribute (by id), its segments in
/// insertion order, oldest first, each with its retractions. Transactions append a small segment and
/// record retractions; commits merge segments log-structured. Immutable: a new value shares every
/// segment it did not change, so as-of views, branches and older values keep theirs.
/// </summary>
internal sealed class FullTextIndex : ISecondaryIndex
{
    public static readonly FullTextIndex Empty = new(ImmutableSortedDictionary<int, ImmutableArray<FullTextSegment>>.Empty);

    private FullTextIndex(ImmutableSortedDictionary<int, ImmutableArray<FullTextSegment>> attributes) => Attributes = attributes;

    /// <summary>Attribute id to its segments, oldest first.</summary>
    public ImmutableSortedDictionary<int, ImmutableArray<FullTextSegment>> Attributes { get; }

    public bool IsEmpty => Attributes.IsEmpty;

    /// <summary>The segments of attribute <paramref name="attrId"/> (none when it has no documents).</summary>
    public ImmutableArray<FullTextSegment> Of(int attrId) => Attributes.TryGetValue(attrId, out var segments) ? segments : [];

    /// <summary>This index with <paramref name="segments"/> as attribute <paramref name="attrId"/>'s; none removes it.</summary>
    public FullTextIndex With(int attrId, ImmutableArray<FullTextSegment> segments) =>
        new(segments.IsEmpty ? Attributes.Remove(attrId) : Attributes.SetItem(attrId, segments));

    /// <summary>The analyzer <paramref name="attribute"/>'s schema names, or the default one.</summary>
    public static Analyzer AnalyzerOf(DbAttribute attribute) => FullTextAnalyzers.Get(attribute.Analyzer ?? FullTextAnalyzers.Default);

    /// <summary>
    /// The index as a commit keeps it: per attribute, the segments transactions added since the last
    /// commit merged into one, then neighbours merged by <see cref="TieredMergePolicy"/> until none is
    /// due, except runs of more than <paramref name="inlineBytes"/> (those are left for
    /// <see cref="LargeMergeDue"/>). Without history a merge leaves retracted documents out; with it
    /// they stay, for as-of views.
    /// </summary>
    public FullTextIndex Compact(bool keepHistory, long inlineBytes = long.MaxValue)
    {
        var index = this;
        foreach (var (attrId, segments) in Attributes)
        {
            var compacted = Compact(segments, keepHistory, inlineBytes);
            if (compacted != segments) index = index.With(attrId, compacted);
        }
        return index;
    }

    private static ImmutableArray<FullTextSegment> Compact(ImmutableArray<FullTextSegment> segments, bool keepHistory, long inlineBytes)
    {
        int firstNew = segments.Length;
        while (firstNew > 0 && segments[firstNew - 1].IsNew) firstNew--;
        if (segments.Length - firstNew > 1) segments = Replace(segments, firstNew, segments.Length - firstNew, keepHistory);
        int from = 0;
        while (TieredMergePolicy.FindMerge(Sizes(segments), from) is var (start, count))
        {
            if (Bytes(segments, start, count) > inlineBytes)
            {
                from = start + count;
                continue;
            }
            segments = Replace(segments, start, count, keepHistory);
            from = 0;
        }
        return segments;
    }

    /// <summary>The first merge <see cref="Compact(bool, long)"/> left undone (a run of more than <paramref name="inlineBytes"/>), or null.</summary>
    public FullTextMergeRun? LargeMergeDue(long inlineBytes)
    {
        foreach (var (attrId, segments) in Attributes)
        {
            int from = 0;
            while (TieredMergePolicy.FindMerge(Sizes(segments), from) is var (start, count))
            {
                if (Bytes(segments, start, count) > inlineBytes) return new FullTextMergeRun(attrId, segments.Slice(start, count));
                from = start + count;
            }
        }
        return null;
    }

    /// <summary>
    /// This index with a merge done apart from it (<see cref="FullTextMergeRun.Merge"/>) put in place of its
    /// inputs, when they are still a run of the attribute's segments with at least the retractions they
    /// had (those made since are carried over to the merged documents); else this index unchanged.
    /// </summary>
    public FullTextIndex WithMerged(FullTextMergeRun run, FullTextMergeRun.Result merged)
    {
        var segments = Of(run.AttrId);
        int start = -1;
        for (int i = 0; i + run.Inputs.Length <= segments.Length && start < 0; i++)
        {
            if (segments[i].SameSegment(run.Inputs[0])) start = i;
        }
        if (start < 0) return this;
        var result = merged.Segment;
        for (int k = 0; k < run.Inputs.Length; k++)
        {
            var now = segments[start + k];
            var then = run.Inputs[k];
            if (!now.SameSegment(then)) return this;
            foreach (var (doc, tx) in then.Retracted)
            {
                if (!now.Retracted.TryGetValue(doc, out long still) || still != tx) return this;
            }
            foreach (var (doc, tx) in now.Retracted)
            {
                if (!then.Retracted.ContainsKey(doc)) result = result.Retract(merged.DocMaps[k][doc], tx);
            }
        }
        segments = segments.RemoveRange(start, run.Inputs.Length);
        // Not new: the next commit must not take it for a transaction's segment and merge it with those.
        return With(run.AttrId, result.DocCount == 0 ? segments : segments.Insert(start, result.Committed()));
    }

    private static long[] Sizes(ImmutableArray<FullTextSegment> segments) => [.. segments.Select(s => s.ByteSize)];

    private static long Bytes(ImmutableArray<FullTextSegment> segments, int start, int count)
    {
        long bytes = 0;
        for (int i = start; i < start + count; i++) bytes += segments[i].ByteSize;
        return bytes;
    }

    /// <summary>The run of <paramref name="count"/> segments from <paramref name="start"/> replaced by their merge (by nothing when no document is left).</summary>
    private static ImmutableArray<FullTextSegment> Replace(ImmutableArray<FullTextSegment> segments, int start, int count, bool keepHistory)
    {
        var merged = FullTextSegment.Merge(segments.Slice(start, count), keepHistory);
        segments = segments.RemoveRange(start, count);
        return merged.DocCount == 0 ? segments : segments.Insert(start, merged);
    }

    /// <summary>This index as a commit of a database in memory keeps it: no segment is new any more.</summary>
    public FullTextIndex Committed()
    {
        var index = this;
        foreach (var (attrId, segments) in Attributes)
        {
            if (segments.Any(s => s.IsNew)) index = index.With(attrId, [.. segments.Select(s => s.Committed())]);
        }
        return index;
    }

    /// <summary>Every segment, for storing and for marking what a commit references.</summary>
    public IEnumerable<FullTextSegment> AllSegments() => Attributes.Values.SelectMany(s => s);
}
