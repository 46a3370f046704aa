namespace Hike.FullText;

/// <summary>
/// An exact phrase (slop 0): the visible documents holding every term at its offset from a common
/// start, scored by BM25 with the number of such starts as the frequency (Lucene's
/// <c>ExactPhraseScorer</c>; like it, a start before position 0 does not count, which matters when
/// the phrase begins with a removed stop word).
/// </summary>
internal sealed class PhraseScorer : DocScorer
{
    private readonly PostingsCursor[] _cursors;
    private readonly int[] _offsets;
    private readonly int[][] _positions;
    private readonly VisibleDocs? _visible;
    private readonly byte[] _norms;
    private readonly float _weightValue;
    private readonly float[] _lengthCache;
    private int _freq;

    public PhraseScorer(PostingsCursor[] cursors, int[] offsets, VisibleDocs? visible, byte[] norms, float weightValue, float[] lengthCache)
    {
        _cursors = cursors;
        _offsets = offsets;
        _visible = visible;
        _norms = norms;
        _weightValue = weightValue;
        _lengthCache = lengthCache;
        _positions = new int[cursors.Length][];
        for (int i = 0; i < _positions.Length; i++) _positions[i] = new int[8];
    }

    public override int Advance(int target)
    {
        if (Doc >= target) return Doc;
        var cursors = _cursors;
        int doc = target;
        while (true)
        {
            if (!cursors[0].Advance(doc)) return Doc = NoMoreDocs;
            doc = cursors[0].Doc;
            bool aligned = true;
            for (int i = 1; i < cursors.Length; i++)
            {
                if (!cursors[i].Advance(doc)) return Doc = NoMoreDocs;
                if (cursors[i].Doc > doc)
                {
                    doc = cursors[i].Doc;
                    aligned = false;
                    break;
                }
            }
            if (!aligned) continue;
            if (_visible is null || _visible.Contains(doc))
            {
                _freq = PhraseFreq();
                if (_freq > 0) return Doc = doc;
            }
            doc++;
        }
    }

    public override float Score() => Bm25.Score(_weightValue, _freq, _lengthCache[_norms[Doc]]);

    private int PhraseFreq()
    {
        for (int i = 0; i < _cursors.Length; i++)
        {
            int freq = _cursors[i].Freq;
            if (_positions[i].Length < freq) _positions[i] = new int[Math.Max(freq, _positions[i].Length * 2)];
            _cursors[i].ReadPositions(_positions[i]);
        }
        int count = 0, previous = int.MinValue;
        var first = _positions[0].AsSpan(0, _cursors[0].Freq);
        foreach (int p in first)
        {
            if (p == previous) continue;
            previous = p;
            int start = p - _offsets[0];
            if (start < 0) continue;
            bool all = true;
            for (int i = 1; i < _cursors.Length && all; i++)
            {
                all = _positions[i].AsSpan(0, _cursors[i].Freq).BinarySearch(start + _offsets[i]) >= 0;
            }
            if (all) count++;
        }
        return count;
    }
}
