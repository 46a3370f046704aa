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
internal sealed class FullTextIndex
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
    /// due. Without history a merge leaves retracted documents out; with it they stay, for as-of views.
    /// </summary>
    public FullTextIndex Compact(bool keepHistory)
    {
        var index = this;
        foreach (var (attrId, segments) in Attributes)
        {
            var compacted = Compact(segments, keepHistory);
            if (compacted != segments) index = index.With(attrId, compacted);
        }
        return index;
    }

    private static ImmutableArray<FullTextSegment> Compact(ImmutableArray<FullTextSegment> segments, bool keepHistory)
    {
        int firstNew = segments.Length;
        while (firstNew > 0 && segments[firstNew - 1].Address is null) firstNew--;
        if (segments.Length - firstNew > 1) segments = Replace(segments, firstNew, segments.Length - firstNew, keepHistory);
        while (TieredMergePolicy.FindMerge([.. segments.Select(s => s.ByteSize)]) is var (start, count))
        {
            segments = Replace(segments, start, count, keepHistory);
        }
        return segments;
    }

    /// <summary>The run of <paramref name="count"/> segments from <paramref name="start"/> replaced by their merge (by nothing when no document is left).</summary>
    private static ImmutableArray<FullTextSegment> Replace(ImmutableArray<FullTextSegment> segments, int start, int count, bool keepHistory)
    {
        var merged = FullTextSegment.Merge(segments.Slice(start, count), keepHistory);
        segments = segments.RemoveRange(start, count);
        return merged.DocCount == 0 ? segments : segments.Insert(start, merged);
    }

    /// <summary>Every segment, for storing and for marking what a commit references.</summary>
    public IEnumerable<FullTextSegment> AllSegments() => Attributes.Values.SelectMany(s => s);
}
