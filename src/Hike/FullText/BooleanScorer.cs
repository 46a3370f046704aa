namespace Hike.FullText;

/// <summary>
/// A <see cref="FullTextBoolean"/> in one segment: the documents every required scorer matches (or,
/// with none required, any optional one), less those a prohibited scorer matches, scored by the sum
/// of the required and the matching optional scores (BM25's coord is 1). Clause counts are small,
/// so the scorers are scanned linearly.
/// </summary>
internal sealed class BooleanScorer(DocScorer[] required, DocScorer[] optional, DocScorer[] prohibited) : DocScorer
{
    public override int Advance(int target)
    {
        if (Doc >= target) return Doc;
        while (true)
        {
            int doc = required.Length > 0 ? AlignRequired(target) : FirstOptional(target);
            if (doc == NoMoreDocs) return Doc = NoMoreDocs;
            bool excluded = false;
            foreach (var p in prohibited)
            {
                if (p.Doc < doc) p.Advance(doc);
                if (p.Doc == doc)
                {
                    excluded = true;
                    break;
                }
            }
            if (!excluded) return Doc = doc;
            target = doc + 1;
        }
    }

    public override float Score()
    {
        // Summed in double and rounded once, as Lucene's BooleanScorer does for optional clauses.
        double sum = 0;
        foreach (var r in required) sum += r.Score();
        foreach (var o in optional)
        {
            if (o.Doc < Doc) o.Advance(Doc);
            if (o.Doc == Doc) sum += o.Score();
        }
        return (float)sum;
    }

    private int AlignRequired(int target)
    {
        int doc = target;
        for (int i = 0; i < required.Length;)
        {
            var r = required[i];
            if (r.Doc < doc) r.Advance(doc);
            if (r.Doc == NoMoreDocs) return NoMoreDocs;
            if (r.Doc > doc)
            {
                doc = r.Doc;
                i = 0;
                continue;
            }
            i++;
        }
        return doc;
    }

    private int FirstOptional(int target)
    {
        int doc = NoMoreDocs;
        foreach (var o in optional)
        {
            if (o.Doc < target) o.Advance(target);
            if (o.Doc < doc) doc = o.Doc;
        }
        return doc;
    }
}
