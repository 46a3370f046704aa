using Hike.Edn;
using Hike.FullText;
using Lucene.Net.Analysis;

namespace Hike.Tests.FullText;

/// <summary>Values analysed ahead of the segment build (on the submitting thread, shared with the writer): the segment is the same whoever analysed what.</summary>
public sealed class AnalyzedValuesTests
{
    private static readonly Analyzer Standard = FullTextAnalyzers.Get(Keyword.Intern("standard"));
    private static readonly Analyzer English = FullTextAnalyzers.Get(Keyword.Intern("english"));

    private static byte[] BuiltAlone(IReadOnlyList<string> texts) =>
        SegmentBuilder.Build(Standard, HikeIndex.Docs(texts)).Encode();

    [Fact]
    public void A_segment_built_from_values_analysed_ahead_equals_one_analysed_in_place()
    {
        var texts = Bm25Tests.Corpus;
        var ahead = new AnalyzedValues(texts.Select(t => (Standard, t)));
        ahead.Run();

        Assert.Equal(BuiltAlone(texts), SegmentBuilder.Build(Standard, HikeIndex.Docs(texts), ahead.Take()).Encode());
    }

    [Fact]
    public void Values_not_foreseen_or_foreseen_for_another_analyzer_are_analysed_in_place()
    {
        var texts = Bm25Tests.Corpus;
        // Half the values, and every value once more under another analyzer (whose tokens differ: stemming).
        var ahead = new AnalyzedValues([.. texts.Where((_, i) => i % 2 == 0).Select(t => (Standard, t)), .. texts.Select(t => (English, t))]);
        ahead.Run();

        Assert.Equal(BuiltAlone(texts), SegmentBuilder.Build(Standard, HikeIndex.Docs(texts), ahead.Take()).Encode());
    }

    [Fact]
    public void The_writer_taking_over_before_the_submitter_starts_analyses_everything_and_a_late_run_does_nothing()
    {
        var texts = Bm25Tests.Corpus;
        var ahead = new AnalyzedValues(texts.Select(t => (Standard, t)));

        var taken = ahead.Take();
        ahead.Run();

        Assert.True(taken.TryGet(Standard, texts[0], out var entry));
        Assert.Equal(1, entry.Part);
        Assert.Equal(0, taken.TermCount(0));
        Assert.Equal(BuiltAlone(texts), SegmentBuilder.Build(Standard, HikeIndex.Docs(texts), taken).Encode());
    }

    [Fact]
    public async Task Two_threads_share_the_values_and_the_segment_is_the_same()
    {
        var random = new Random(19);
        var texts = Enumerable.Range(0, 3_000).Select(i => string.Join(' ', Enumerable.Range(0, 5 + i % 20).Select(_ => Bm25Tests.Corpus[random.Next(Bm25Tests.Corpus.Length)]))).ToList();
        for (int round = 0; round < 5; round++)
        {
            var ahead = new AnalyzedValues(texts.Select(t => (Standard, t)));
            using var started = new ManualResetEventSlim();
            var submitter = Task.Run(() =>
            {
                started.Set();
                ahead.Run();
            });
            started.Wait();
            var taken = ahead.Take();
            await submitter;

            Assert.Equal(BuiltAlone(texts), SegmentBuilder.Build(Standard, HikeIndex.Docs(texts), taken).Encode());
        }
    }

    [Fact]
    public void Once_released_nothing_is_found_so_a_transaction_run_again_analyses_its_values_itself()
    {
        var texts = Bm25Tests.Corpus;
        var ahead = new AnalyzedValues(texts.Select(t => (Standard, t)));
        ahead.Run();
        var taken = ahead.Take();

        taken.Release();

        Assert.False(taken.TryGet(Standard, texts[0], out _));
        Assert.Same(taken, taken.Take());
        Assert.Equal(BuiltAlone(texts), SegmentBuilder.Build(Standard, HikeIndex.Docs(texts), taken).Encode());
    }
}
