using System.Collections.Immutable;
using Hike.Db;
using Hike.FullText;

namespace Hike.Tests.FullText;

/// <summary>Large merges done apart from the commit path, and put in place only where their inputs still are.</summary>
public sealed class FullTextMergerTests
{
    private const int Attr = 7;

    /// <summary>Ten committed segments of three documents each (entities 1000 + i), as a database in memory keeps them.</summary>
    private static FullTextIndex TenSegments()
    {
        var texts = Bm25Tests.Corpus;
        var index = FullTextIndex.Empty;
        for (int s = 0; s < 10; s++)
        {
            var segment = HikeIndex.Build("standard", texts, 3 * s, 3);
            index = index.With(Attr, index.Of(Attr).Add(FullTextSegment.InMemory(segment))).Committed();
        }
        return index;
    }

    private static List<long> Entities(FullTextIndex index) =>
        [.. index.Of(Attr).SelectMany(s => Enumerable.Range(0, s.DocCount).Select(s.Segment.Entity))];

    private static (FullTextMergeRun Run, FullTextMergeRun.Result Merged) MergeDue(FullTextIndex index, bool keepHistory)
    {
        var run = index.LargeMergeDue(inlineBytes: 0)!;
        return (run, run.Merge(keepHistory, CancellationToken.None));
    }

    [Fact]
    public void A_large_merge_is_left_to_the_background_and_put_in_place_by_a_later_commit()
    {
        var index = TenSegments();
        Assert.Equal(10, index.Compact(keepHistory: true, inlineBytes: 0).Of(Attr).Length);
        using var merger = new FullTextMerger(inlineBytes: 0);

        var committed = merger.Compact(index, keepHistory: true);
        merger.StartNext(committed, keepHistory: true);
        merger.WaitIdle();
        var next = merger.Compact(committed, keepHistory: true);

        Assert.Equal(10, committed.Of(Attr).Length);
        var merged = Assert.Single(next.Of(Attr));
        Assert.Equal(Entities(index), Entities(next));
        // Not new: a transaction's segment after it must not be merged with it as the commit's own.
        Assert.False(merged.IsNew);
        Assert.Null(merged.Address);
        // Inline, the same merge happens at once.
        Assert.Single(index.Compact(keepHistory: true).Of(Attr));
    }

    [Fact]
    public void A_retraction_made_while_the_merge_ran_is_carried_over_to_the_merged_document()
    {
        var index = TenSegments();
        var (run, merged) = MergeDue(index, keepHistory: false);
        var retracted = index.With(Attr, index.Of(Attr).SetItem(4, index.Of(Attr)[4].Retract(1, 536871000)));

        var result = retracted.WithMerged(run, merged);

        var segment = Assert.Single(result.Of(Attr));
        Assert.Equal(30, segment.DocCount);
        Assert.Equal(536871000, segment.Retracted[13]);
        Assert.Equal(1013, segment.Segment.Entity(13));
    }

    [Fact]
    public void Without_history_a_merge_that_dropped_a_retracted_document_is_not_put_where_that_document_is_live()
    {
        var index = TenSegments();
        // Retracted where the merge ran (its result leaves the document out), live in the index it is offered to (another branch).
        var where = index.With(Attr, index.Of(Attr).SetItem(2, index.Of(Attr)[2].Retract(0, 536871000)));
        var (run, merged) = MergeDue(where, keepHistory: false);
        Assert.Equal(29, merged.Segment.DocCount);

        Assert.Same(index, index.WithMerged(run, merged));
        Assert.Single(where.WithMerged(run, merged).Of(Attr));
    }

    [Fact]
    public void A_merge_whose_inputs_are_gone_or_changed_is_dropped()
    {
        var index = TenSegments();
        var (run, merged) = MergeDue(index, keepHistory: true);
        var rewritten = index.With(Attr, index.Of(Attr).SetItem(5, FullTextSegment.Without(index.Of(Attr)[5], new HashSet<int> { 0 })));
        var dropped = FullTextIndex.Empty;

        Assert.Same(rewritten, rewritten.WithMerged(run, merged));
        Assert.Same(dropped, dropped.WithMerged(run, merged));
    }

    [Fact]
    public void A_finished_merge_is_announced_and_can_be_put_into_heads_before_the_next_commit_takes_it()
    {
        var index = TenSegments();
        using var announced = new ManualResetEventSlim();
        using var merger = new FullTextMerger(announced.Set, inlineBytes: 0);
        var committed = merger.Compact(index, keepHistory: true);
        Assert.Same(committed, merger.WithFinished(committed));

        merger.StartNext(committed, keepHistory: true);

        Assert.True(announced.Wait(TimeSpan.FromSeconds(30)));
        Assert.Single(merger.WithFinished(committed).Of(Attr));
        Assert.Single(merger.WithFinished(committed).Of(Attr));
        Assert.Single(merger.Compact(committed, keepHistory: true).Of(Attr));
        Assert.Same(committed, merger.WithFinished(committed));
    }

    [Fact]
    public async Task A_connection_searches_the_merged_segment_once_the_merge_is_done_without_another_commit()
    {
        using var conn = Transactions.TxFixture.Connect("[{:db/ident :gloss :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/fulltext true}]");
        // Ten commits of some 40 KB of segment each: a run of more than 256 KB, merged in the background.
        for (int batch = 0; batch < 10; batch++)
        {
            conn.Transact(Hike.Edn.EdnReader.Read("[" + string.Concat(Enumerable.Range(batch * 600, 600).Select(i => $"{{:gloss \"gloss {i} about {(i % 2 == 0 ? "even" : "odd")} things, item{i} of many\"}} ")) + "]"));
        }
        Assert.True(conn.Db.State.Schema.TryGet(Hike.Edn.Keyword.Intern("gloss"), out var gloss));
        long maxTx = conn.Db.State.MaxTx;
        var commit = conn.Db.CommitId;

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (conn.Db.State.FullText.Of(gloss.Id).Length > 1 && DateTime.UtcNow < deadline) await Task.Delay(10);

        var db = conn.Db;
        Assert.Single(db.State.FullText.Of(gloss.Id));
        Assert.Equal(maxTx, db.State.MaxTx);
        Assert.Equal(commit, db.CommitId);
        // The commit itself holds the ten segments: the merge was not on its path.
        var stored = await conn.CommitAsDbAsync(commit!.Value);
        Assert.Equal(10, stored.State.FullText.Of(gloss.Id).Length);
        Assert.Equal(3_000, stored.Search("gloss", "even", 10_000).Count);
        Assert.Equal(3_000, db.Search("gloss", "even", 10_000).Count);
        Assert.Equal("gloss 4321 about odd things, item4321 of many", Assert.Single(db.Search("gloss", "item4321")).Value);
        // The next commit stores the merged segment and adds its own after it.
        conn.Transact("[{:gloss \"one more about even things\"}]");
        Assert.Equal(2, conn.Db.State.FullText.Of(gloss.Id).Length);
        Assert.Equal(3_001, conn.Db.Search("gloss", "even", 10_000).Count);
    }

    [Fact]
    public void A_merge_that_cannot_read_its_inputs_is_dropped_and_the_index_keeps_every_segment()
    {
        // Ten stored segments whose bytes are damaged: reading any is storage/corrupt.
        var index = FullTextIndex.Empty.With(Attr, [.. Enumerable.Range(0, 10).Select(i => FullTextSegment.Stored(
            new Hike.Index.Tree.NodeAddress(((UInt128)1 << 64) | (uint)(1000 * (i + 1))), 3, 1_000,
            System.Collections.Immutable.ImmutableSortedDictionary<int, long>.Empty,
            System.Collections.Immutable.ImmutableSortedDictionary<int, Hike.Index.Tree.NodeAddress>.Empty,
            address => throw Errors.Corrupt($"segment {address}", "damaged")))]);
        int announced = 0;
        using var merger = new FullTextMerger(() => announced++, inlineBytes: 0);

        var committed = merger.Compact(index, keepHistory: true);
        merger.StartNext(committed, keepHistory: true);
        merger.WaitIdle();

        Assert.Equal(0, announced);
        Assert.Same(committed, merger.WithFinished(committed));
        var next = merger.Compact(committed, keepHistory: true);
        Assert.Equal(index.Of(Attr).Select(s => s.Address), next.Of(Attr).Select(s => s.Address));
        Assert.Equal(30, next.Of(Attr).Sum(s => s.DocCount));
    }

    [Fact]
    public void Disposing_stops_a_merge_and_what_it_leaves_changes_nothing()
    {
        var index = TenSegments();
        var merger = new FullTextMerger(inlineBytes: 0);
        var committed = merger.Compact(index, keepHistory: true);
        merger.StartNext(committed, keepHistory: true);

        merger.Dispose();
        merger.StartNext(committed, keepHistory: true);

        Assert.Equal(Entities(index), Entities(committed));
    }
}
