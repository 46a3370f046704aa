using Hike.Edn;
using Hike.FullText;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Standard;

namespace Hike.Tests.FullText;

public sealed class FullTextAnalyzersTests
{
    public static TheoryData<string, string> Texts() => new()
    {
        { "standard", "The Quick brown fox, and the lazy dog's bone: e-mail me at x@example.com in 2026!" },
        { "standard", "a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with" },
        { "english", "The runners were running quickly through the forests' cities" },
        { "simple", "The Quick brown fox's 42 bones" },
        { "whitespace", "The Quick  brown\tfox's 42 bones" },
        { "french", "Les chevaux mangeaient l'herbe des prairies" },
        { "german", "Die Häuser der Straßen waren schön" },
        { "spanish", "Los niños estaban jugando en las calles" },
        { "russian", "Кошки спали на тёплых подоконниках" },
        { "italian", "Le città italiane erano bellissime" },
        { "cjk", "東京都に住んでいる" },
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Terms_and_positions_are_those_Lucene_Net_indexes(string analyzer, string text)
    {
        var a = FullTextAnalyzers.Get(Keyword.Intern(analyzer));
        using var lucene = new LuceneReference(a, [text]);
        var sink = new Collect();

        var length = FullTextAnalyzers.Analyze(a, text, ref sink);

        var expected = lucene.IndexedPositions(0);
        var actual = sink.Tokens.OrderBy(p => p.Position).ThenBy(p => p.Term, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);
        Assert.Equal(expected.Count, length.Tokens);
    }

    [Fact]
    public void Standard_drops_Lucenes_English_stop_words_and_leaves_their_positions_empty()
    {
        var sink = new Collect();
        FullTextAnalyzers.Analyze(FullTextAnalyzers.Get(FullTextAnalyzers.Default), "The cat is on the mat", ref sink);

        Assert.Equal([("cat", 1), ("mat", 5)], sink.Tokens);
        Assert.Equal(StopAnalyzer.ENGLISH_STOP_WORDS_SET.Count, StandardAnalyzer.STOP_WORDS_SET.Count);
        Assert.Equal(33, StandardAnalyzer.STOP_WORDS_SET.Count);
    }

    [Fact]
    public void English_stems()
    {
        var sink = new Collect();
        FullTextAnalyzers.Analyze(FullTextAnalyzers.Get(Keyword.Intern("english")), "running dogs", ref sink);

        Assert.Equal([("run", 0), ("dog", 1)], sink.Tokens);
    }

    [Fact]
    public void Every_named_analyzer_analyzes()
    {
        var failed = new List<string>();
        foreach (var name in FullTextAnalyzers.Names)
        {
            var sink = new Collect();
            try
            {
                if (FullTextAnalyzers.Analyze(FullTextAnalyzers.Get(Keyword.Intern(name)), "Hike 2026 database", ref sink).Tokens == 0) failed.Add(name);
            }
            catch (Exception e)
            {
                failed.Add($"{name}: {e.InnerException?.Message ?? e.Message}");
            }
        }
        Assert.Empty(failed);
        Assert.Contains("french", FullTextAnalyzers.Names);
        Assert.Equal(30, FullTextAnalyzers.Names.Count);
    }

    [Fact]
    public void An_unknown_analyzer_is_an_error_listing_the_known_ones()
    {
        var e = Assert.Throws<HikeException>(() => FullTextAnalyzers.Get(Keyword.Intern("klingon")));

        Assert.Equal(ErrorCodes.FulltextAnalyzer, e.Code);
        Assert.Contains(":klingon", e.Message);
        Assert.Contains(":standard, ", e.Message);
        Assert.Contains(":english", e.Message);
        Assert.Throws<HikeException>(() => FullTextAnalyzers.Get(Keyword.Intern("db", "standard")));
        Assert.False(FullTextAnalyzers.IsKnown(Keyword.Intern("klingon")));
        Assert.True(FullTextAnalyzers.IsKnown(Keyword.Intern("german")));
    }

    private struct Collect : ITermSink
    {
        public Collect() { }

        public List<(string Term, int Position)> Tokens { get; } = [];

        public readonly void Add(ReadOnlySpan<char> term, int position) => Tokens.Add((term.ToString(), position));
    }
}
