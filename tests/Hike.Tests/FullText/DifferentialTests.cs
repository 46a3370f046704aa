using Hike.Edn;
using Hike.FullText;
using Hike.Testing;
using Xunit.Abstractions;

namespace Hike.Tests.FullText;

/// <summary>
/// Hike against Lucene.Net on a seeded random corpus spread over several segments with some documents
/// invisible. Lucene counts a deleted document in its statistics until a merge, Hike counts only what
/// a database value shows, so the Lucene index holds just the visible documents (in the same order).
/// The segments merged into one, without the invisible documents, must rank the same.
/// </summary>
public sealed class DifferentialTests(ITestOutputHelper output)
{
    private static readonly string[] Vocabulary =
    [
        "the", "of", "a", "and", "to", "in", "is", "that", "for", "with", "as", "or", "not", "by",
        "animal", "animals", "body", "water", "salt", "snow", "mountain", "river", "rivers", "cat", "cats", "dog", "dogs",
        "bird", "fish", "small", "large", "domestic", "domesticated", "member", "members", "group", "state", "solid",
        "liquid", "frozen", "carnivore", "carnivorous", "mammal", "mammals", "plant", "plants", "tree", "trees", "leaf",
        "leaves", "green", "brown", "quick", "lazy", "person", "people", "ship", "crew", "sea", "earth", "food", "hunt",
    ];

    [Fact]
    public void Top_ten_ids_and_scores_equal_Lucene_Nets_for_random_queries_of_every_kind()
    {
        int seed = TestSeed.Next(output.WriteLine);
        var random = new Random(seed);
        var texts = Enumerable.Range(0, 400).Select(_ => RandomText(random)).ToList();
        var visible = texts.Select(_ => random.NextDouble() > 0.2).ToArray();

        // Segments of random sizes, in order; each with its visible-docs set.
        var views = new List<SegmentView>();
        for (int from = 0; from < texts.Count;)
        {
            int count = Math.Min(texts.Count - from, random.Next(1, 150));
            var segment = HikeIndex.Build("standard", texts, from, count);
            int start = from;
            views.Add(new SegmentView(segment, VisibleDocs.Where(count, d => visible[start + d])));
            from += count;
        }
        var searcher = new FullTextSearcher(views);
        // The same documents merged into one segment without the invisible ones rank the same.
        var merged = new FullTextSearcher([new SegmentView(Segment.Merge([.. views.Select(v => v.Segment)], (s, d) => views[s].IsVisible(d)))]);
        var visibleIds = Enumerable.Range(0, texts.Count).Where(i => visible[i]).ToList();
        using var lucene = new LuceneReference(FullTextAnalyzers.Get(Keyword.Intern("standard")), [.. visibleIds.Select(i => texts[i])]);
        Assert.Equal(visibleIds.Count, searcher.DocCount);

        int compared = 0, nonEmpty = 0;
        foreach (var kind in new[] { "term", "and", "phrase", "prefix", "or", "not" })
        {
            for (int q = 0; q < 40; q++)
            {
                string query = RandomQuery(random, kind, texts);
                var expected = lucene.Search(query, 10).Select(h => (Id: visibleIds[h.Id], h.Score)).ToList();
                foreach (var s in new[] { searcher, merged })
                {
                    var actual = HikeIndex.Search(s, "standard", query, 10);
                    Assert.True(expected.Select(h => h.Id).SequenceEqual(actual.Select(h => h.Id)),
                        $"{kind} query {query}: Lucene {string.Join(" ", expected)}, Hike {string.Join(" ", actual)}");
                    for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i].Score, actual[i].Score, 1e-5);
                }
                compared++;
                if (expected.Count > 0) nonEmpty++;
            }
        }
        output.WriteLine($"{compared} queries compared, {nonEmpty} with hits");
        Assert.True(nonEmpty > compared / 2, $"only {nonEmpty} of {compared} queries found anything");
    }

    private static string RandomText(Random random)
    {
        int length = random.Next(1, 16);
        return string.Join(" ", Enumerable.Range(0, length).Select(_ => Word(random)));
    }

    /// <summary>A word, the early ones of the vocabulary (stop words among them) more often, as in text.</summary>
    private static string Word(Random random) => Vocabulary[(int)(Math.Pow(random.NextDouble(), 1.7) * Vocabulary.Length)];

    private static string ContentWord(Random random)
    {
        while (true)
        {
            string w = Word(random);
            if (w.Length > 3) return w;
        }
    }

    private static string RandomQuery(Random random, string kind, List<string> texts)
    {
        switch (kind)
        {
            case "term":
                return ContentWord(random);
            case "and":
                return $"+{ContentWord(random)} +{ContentWord(random)}";
            case "phrase":
            {
                var words = texts[random.Next(texts.Count)].Split(' ');
                int length = Math.Min(words.Length, random.Next(2, 4));
                int start = random.Next(words.Length - length + 1);
                return "\"" + string.Join(" ", words.Skip(start).Take(length)) + "\"";
            }
            case "prefix":
                return ContentWord(random)[..random.Next(2, 4)] + "*";
            case "or":
                return $"{ContentWord(random)} {ContentWord(random)}";
            default:
                return $"{ContentWord(random)} -{ContentWord(random)}";
        }
    }
}
