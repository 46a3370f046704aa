namespace Hike.FullText;

/// <summary>A segment as one search sees it: with the documents visible to it, or all when <paramref name="Visible"/> is null.</summary>
internal readonly record struct SegmentView(Segment Segment, VisibleDocs? Visible = null)
{
    /// <summary>True when document <paramref name="doc"/> is visible.</summary>
    public bool IsVisible(int doc) => Visible is null || Visible.Contains(doc);
}
