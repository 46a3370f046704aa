using System.Text;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace Hike.FullText;

/// <summary>
/// Marks the words of a text that a query matched: the text is analysed again, as it was when indexed,
/// and every token whose term the query asks for (a term, a word of a phrase, a term a prefix starts)
/// is wrapped in the given markers, by the offsets the analyzer reports, so the original spelling and
/// spacing stay. Words of a phrase are marked wherever they occur, as Lucene's default highlighter
/// does. Stateless and thread-safe.
/// </summary>
internal static class FullTextHighlighter
{
    public static string Highlight(Analyzer analyzer, FullTextQuery query, string text, string before, string after)
    {
        ArgumentNullException.ThrowIfNull(analyzer);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(text);
        var terms = new HashSet<string>(StringComparer.Ordinal);
        var prefixes = new List<string>();
        Collect(query, terms, prefixes);
        var marked = new StringBuilder(text.Length + 16);
        int copied = 0;
        using var stream = analyzer.GetTokenStream(FullTextAnalyzers.FieldName, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            var word = term.Buffer.AsSpan(0, term.Length);
            if (offset.StartOffset < copied || !Matches(word, terms, prefixes)) continue;
            marked.Append(text, copied, offset.StartOffset - copied).Append(before).Append(text, offset.StartOffset, offset.EndOffset - offset.StartOffset).Append(after);
            copied = offset.EndOffset;
        }
        stream.End();
        return marked.Append(text, copied, text.Length - copied).ToString();
    }

    private static bool Matches(ReadOnlySpan<char> word, HashSet<string> terms, List<string> prefixes)
    {
        if (terms.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word)) return true;
        foreach (var prefix in prefixes)
        {
            if (word.StartsWith(prefix, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>The terms and prefixes a query asks for, leaving out those of prohibited clauses.</summary>
    private static void Collect(FullTextQuery query, HashSet<string> terms, List<string> prefixes)
    {
        switch (query)
        {
            case FullTextTerm t:
                terms.Add(t.Term);
                break;
            case FullTextPhrase p:
                terms.UnionWith(p.Terms);
                break;
            case FullTextPrefix p:
                prefixes.Add(p.Prefix);
                break;
            case FullTextBoolean b:
                foreach (var clause in b.Clauses)
                {
                    if (clause.Occur != FullTextOccur.MustNot) Collect(clause.Query, terms, prefixes);
                }
                break;
        }
    }
}
