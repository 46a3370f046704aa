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

    /// <summary>Every segment, for storing and for marking what a commit references.</summary>
    public IEnumerable<FullTextSegment> AllSegments() => Attributes.Values.SelectMany(s => s);
}
