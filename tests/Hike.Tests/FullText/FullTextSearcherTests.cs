using Hike.Edn;
using Hike.FullText;

namespace Hike.Tests.FullText;

public sealed class FullTextSearcherTests
{
    private static readonly string[] Texts = ["cat sat", "the cat sat", "dog cat sat", "a cat", "dog"];

    [Fact]
    public void A_phrase_starting_with_a_stop_word_needs_room_for_it_as_in_Lucene()
    {
        using var lucene = new LuceneReference(FullTextAnalyzers.Get(FullTextAnalyzers.Default), Texts);
        var searcher = new FullTextSearcher([new SegmentView(HikeIndex.Build("standard", Texts))]);

        var expected = lucene.Search("\"the cat sat\"", 10);
        var actual = HikeIndex.Search(searcher, "standard", "\"the cat sat\"", 10);

        Assert.Equal([1, 2], expected.Select(h => h.Id).Order());
        Assert.Equal(expected.Select(h => h.Id), actual.Select(h => h.Id));
        for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i].Score, actual[i].Score, 1e-5);
    }

    [Fact]
    public void Invisible_documents_neither_match_nor_count_in_the_statistics()
    {
        var segment = HikeIndex.Build("standard", Texts);
        var all = new FullTextSearcher([new SegmentView(segment)]);
        var some = new FullTextSearcher([new SegmentView(segment, VisibleDocs.Where(segment.DocCount, d => d != 2))]);

        Assert.Equal(5, all.DocCount);
        Assert.Equal(4, some.DocCount);
        Assert.Equal(all.TotalTokens - 3, some.TotalTokens);
        Assert.Equal(2, all.DocFreq("dog"));
        Assert.Equal(1, some.DocFreq("dog"));
        Assert.Equal([0, 1, 3], HikeIndex.Search(some, "standard", "cat", int.MaxValue).Select(h => h.Id).Order());
        Assert.Equal([4], HikeIndex.Search(some, "standard", "dog", int.MaxValue).Select(h => h.Id));
        Assert.Empty(HikeIndex.Search(some, "standard", "+dog +cat", int.MaxValue));
        Assert.Empty(HikeIndex.Search(new FullTextSearcher([new SegmentView(segment, VisibleDocs.Where(segment.DocCount, _ => false))]), "standard", "cat", 10));
    }

    [Fact]
    public void A_search_without_a_limit_returns_every_match_best_first_with_its_entity_tx_and_value()
    {
        var searcher = new FullTextSearcher([new SegmentView(HikeIndex.Build("standard", Texts, 0, 2)), new SegmentView(HikeIndex.Build("standard", Texts, 2, 3))]);

        var hits = searcher.Search(FullTextQueryParser.Parse("cat OR dog", FullTextAnalyzers.Get(FullTextAnalyzers.Default)), int.MaxValue);

        Assert.Equal(5, hits.Count);
        Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Score > p.Second.Score || (p.First.Score == p.Second.Score && (p.First.Segment, p.First.Doc).CompareTo((p.Second.Segment, p.Second.Doc)) < 0)));
        // "dog" alone: the rarer term in the shortest text.
        Assert.Equal(1004, hits[0].Entity);
        Assert.Equal(536870917, hits[0].Tx);
        Assert.Equal("dog", searcher.Value(hits[0]));
        Assert.Equal((1, 2), (hits[0].Segment, hits[0].Doc));
        Assert.Equal(3, searcher.Search(new FullTextTerm("cat"), 3).Count);
    }

    [Fact]
    public void Queries_that_can_match_nothing_find_nothing()
    {
        var searcher = new FullTextSearcher([new SegmentView(HikeIndex.Build("standard", Texts))]);

        Assert.Empty(HikeIndex.Search(searcher, "standard", "the", 10));
        Assert.Empty(HikeIndex.Search(searcher, "standard", "-cat", 10));
        Assert.Empty(HikeIndex.Search(searcher, "standard", "cow", 10));
        Assert.Empty(HikeIndex.Search(searcher, "standard", "+cat +cow", 10));
        Assert.Empty(HikeIndex.Search(searcher, "standard", "\"sat cat\"", 10));
        Assert.Empty(HikeIndex.Search(searcher, "standard", "co*", 10));
        Assert.Empty(new FullTextSearcher([]).Search(new FullTextTerm("cat"), 10));
        Assert.Equal([0, 1, 2, 3], HikeIndex.Search(searcher, "standard", "cat -cow", 10).Select(h => h.Id).Order());
    }

    [Fact]
    public void A_visible_set_must_cover_its_segment()
    {
        var segment = HikeIndex.Build("standard", Texts);

        Assert.Throws<ArgumentException>(() => new FullTextSearcher([new SegmentView(segment, VisibleDocs.Where(3, _ => true))]));
        Assert.Equal(3, VisibleDocs.Where(70, d => d % 30 == 0).Count);
        Assert.True(VisibleDocs.Where(70, d => d == 64).Contains(64));
    }
}
