using Hike.FullText;
using Hike.Edn;
using Lucene.Net.Util;

namespace Hike.Tests.FullText;

/// <summary>Hike's ranking against Lucene.Net 4.8's own BM25Similarity over the same corpus and queries.</summary>
public sealed class Bm25Tests
{
    /// <summary>Thirty glosses, some sharing words, lengths and phrases, so idf, norms and ties all vary.</summary>
    internal static readonly string[] Corpus =
    [
        "a domesticated carnivorous mammal that typically has a long snout",
        "the cat sat on the mat",
        "a small domesticated carnivorous mammal with soft fur",
        "the dog chased the cat across the yard",
        "a person who is a member of the crew of a ship",
        "a large body of water",
        "a dog is a loyal companion and a good friend",
        "the quick brown fox jumps over the lazy dog",
        "water that is frozen into a solid state",
        "a solid state of matter",
        "the state of being a member of a group",
        "a ship that carries passengers over water",
        "a body of salt water covering much of the earth",
        "an animal that hunts other animals for food",
        "dog",
        "cat cat cat",
        "the cat and the dog and the bird",
        "a bird that cannot fly",
        "a domesticated animal kept for companionship",
        "the brown bear is a large carnivorous animal",
        "a loyal dog and a loyal cat",
        "frozen water falling as snow",
        "snow snow snow and more snow on the mountain",
        "a mountain of salt",
        "salt water fish",
        "the fish swam in the water",
        "a group of fish swimming together",
        "a member of the cat family",
        "the dog of war",
        "companion animal",
    ];

    public static TheoryData<string> Queries() =>
    [
        "dog", "cat", "water", "snow", "mammal",
        "+dog +cat", "+salt +water", "+member +group",
        "\"salt water\"", "\"member of the crew\"", "\"the cat\"", "\"loyal dog\"", "\"cat sat\"",
        "dom*", "sn*", "w*",
        "dog cat", "water OR snow", "fish salt mountain",
        "dog -cat", "water NOT salt", "+animal -bird",
        "(dog OR cat) AND loyal", "+water \"salt water\"", "carnivorous AND (dog OR mammal) -bear",
        "dog AND companion*", "state solid matter -water",
    ];

    [Theory]
    [MemberData(nameof(Queries))]
    public void Scores_and_ranking_equal_Lucene_Nets_BM25(string query)
    {
        using var lucene = new LuceneReference(FullTextAnalyzers.Get(Keyword.Intern("standard")), Corpus);
        var searcher = new FullTextSearcher([new SegmentView(HikeIndex.Build("standard", Corpus))]);

        var expected = lucene.Search(query, 30);
        var actual = HikeIndex.Search(searcher, "standard", query, 30);

        Assert.NotEmpty(expected);
        Assert.Equal(expected.Select(h => h.Id), actual.Select(h => h.Id));
        for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i].Score, actual[i].Score, 1e-5);
    }

    [Fact]
    public void A_corpus_split_into_segments_ranks_as_one_segment()
    {
        using var lucene = new LuceneReference(FullTextAnalyzers.Get(Keyword.Intern("standard")), Corpus);
        var searcher = new FullTextSearcher([
            new SegmentView(HikeIndex.Build("standard", Corpus, 0, 7)),
            new SegmentView(HikeIndex.Build("standard", Corpus, 7, 13)),
            new SegmentView(HikeIndex.Build("standard", Corpus, 20, 10)),
        ]);

        foreach (var query in new[] { "dog", "+salt +water", "\"the cat\"", "dom*", "dog -cat" })
        {
            var expected = lucene.Search(query, 10);
            var actual = HikeIndex.Search(searcher, "standard", query, 10);
            Assert.Equal(expected.Select(h => h.Id), actual.Select(h => h.Id));
            for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i].Score, actual[i].Score, 1e-5);
        }
    }

    [Fact]
    public void A_prefix_scores_one_for_every_match_and_ties_fall_in_insertion_order()
    {
        var searcher = new FullTextSearcher([new SegmentView(HikeIndex.Build("standard", Corpus))]);

        var hits = HikeIndex.Search(searcher, "standard", "dom*", 10);

        Assert.Equal([0, 2, 18], hits.Select(h => h.Id));
        Assert.All(hits, h => Assert.Equal(1f, h.Score));
    }

    [Fact]
    public void The_length_norm_is_Lucenes_one_byte_float()
    {
        for (int b = 0; b < 256; b++) Assert.Equal(SmallSingle.Byte315ToSingle((byte)b), SmallFloat.Byte315ToFloat((byte)b));
        var random = new Random(19);
        for (int i = 0; i < 10_000; i++)
        {
            float f = i < 1000 ? 1f / MathF.Sqrt(i) : (float)(random.NextDouble() * Math.Pow(10, random.Next(-12, 12)));
            Assert.Equal(SmallSingle.SingleToByte315(f), SmallFloat.FloatToByte315(f));
        }
        Assert.Equal(124, Bm25.EncodeNorm(1));
        Assert.Equal(1f, Bm25.DecodeNorm(124));
    }

    [Fact]
    public void Idf_follows_Lucenes_formula()
    {
        Assert.Equal((float)Math.Log(1 + (30 - 3 + 0.5) / (3 + 0.5)), Bm25.Idf(3, 30));
        Assert.True(Bm25.Idf(30, 30) > 0);
    }
}
