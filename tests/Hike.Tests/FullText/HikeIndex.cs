using Hike.Edn;
using Hike.FullText;

namespace Hike.Tests.FullText;

/// <summary>Test helpers: texts as documents (entity = 1000 + index, tx = 536870913 + index).</summary>
internal static class HikeIndex
{
    public static FullTextDocument Doc(int i, string text) => new(1000 + i, text, 536870913 + i);

    /// <summary>Every text as a document, by index.</summary>
    public static IEnumerable<FullTextDocument> Docs(IEnumerable<string> texts) => texts.Select((text, i) => Doc(i, text));

    public static Segment Build(string analyzer, IReadOnlyList<string> texts, int from = 0, int count = -1)
    {
        if (count < 0) count = texts.Count - from;
        var builder = new SegmentBuilder(FullTextAnalyzers.Get(Keyword.Intern(analyzer)));
        for (int i = from; i < from + count; i++) builder.Add(Doc(i, texts[i]));
        return builder.Build();
    }

    /// <summary>The text index of a hit, from its entity.</summary>
    public static int Id(FullTextHit hit) => (int)(hit.Entity - 1000);

    public static List<(int Id, float Score)> Search(FullTextSearcher searcher, string analyzer, string query, int n) =>
        [.. searcher.Search(FullTextQueryParser.Parse(query, FullTextAnalyzers.Get(Keyword.Intern(analyzer))), n).Select(h => (Id(h), h.Score))];
}
