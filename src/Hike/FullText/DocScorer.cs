namespace Hike.FullText;

/// <summary>
/// Walks the documents one part of a query matches in one segment, in ascending doc order, and scores
/// the current one (Lucene's <c>Scorer</c>, document at a time). Visibility is applied by the leaves,
/// so every document a scorer stops at is visible. Made per search; not thread-safe.
/// </summary>
internal abstract class DocScorer
{
    /// <summary>The <see cref="Doc"/> past the last match.</summary>
    public const int NoMoreDocs = int.MaxValue;

    /// <summary>The current document: -1 before the first, <see cref="NoMoreDocs"/> after the last.</summary>
    public int Doc = -1;

    /// <summary>Moves to the next matching document and returns it (or <see cref="NoMoreDocs"/>).</summary>
    public int NextDoc() => Advance(Doc + 1);

    /// <summary>Moves to the first matching document at or after <paramref name="target"/>; stays when <see cref="Doc"/> is there already.</summary>
    public abstract int Advance(int target);

    /// <summary>The current document's score.</summary>
    public abstract float Score();
}
