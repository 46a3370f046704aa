namespace Hike.FullText;

/// <summary>A term's visible documents, each scored by BM25 from the term's frequency and the document's norm.</summary>
internal sealed class TermScorer(PostingsCursor cursor, VisibleDocs? visible, byte[] norms, float weightValue, float[] lengthCache) : DocScorer
{
    private PostingsCursor _cursor = cursor;

    public override int Advance(int target)
    {
        if (Doc >= target) return Doc;
        if (!_cursor.Advance(target)) return Doc = NoMoreDocs;
        while (visible is not null && !visible.Contains(_cursor.Doc))
        {
            if (!_cursor.MoveNext()) return Doc = NoMoreDocs;
        }
        return Doc = _cursor.Doc;
    }

    public override float Score() => Bm25.Score(weightValue, _cursor.Freq, lengthCache[norms[Doc]]);
}
