using Hike.Db;
using Hike.FullText;
using Hike.Index.Stored;
using Hike.Index.Tree;
using Hike.Storage;
using Hike.Tests.FullText;

namespace Hike.Tests.Durability;

/// <summary>A segment's retractions are stored in chunks of 1,024 doc numbers: a retraction rewrites one chunk, however many the segment has.</summary>
public sealed class FullTextRetractionChunkTests
{
    private const int Attr = 64;

    private static (FullTextIndex Stored, NodeAddress Root) Commit(NodeStore nodes, FullTextIndex index)
    {
        nodes.OpenPack();
        var written = FullTextStore.Write(index, nodes);
        nodes.Persist(nodes.ClosePack());
        return written;
    }

    private static FullTextIndex Reread(NodeStore nodes, NodeAddress root) => FullTextStore.Read(nodes, root, nodes.ReadObject(root));

    [Fact]
    public void A_retraction_rewrites_only_its_chunk_and_every_retraction_reads_back()
    {
        var texts = Enumerable.Range(0, 5_000).Select(i => $"text number {i}").ToList();
        var segment = FullTextSegment.InMemory(SegmentBuilder.Build(FullTextAnalyzers.Get(FullTextAnalyzers.Default), HikeIndex.Docs(texts)));
        for (int doc = 0; doc < 5_000; doc += 2) segment = segment.Retract(doc, 536_870_913 + doc);
        var nodes = new NodeStore(new MemoryStore(), new NodeCache(1 << 20));
        var (first, _) = Commit(nodes, FullTextIndex.Empty.With(Attr, [segment]));
        var chunks = first.Of(Attr)[0].RetractionChunks;
        Assert.Equal([0, 1, 2, 3, 4], chunks.Keys);

        var retracted = first.With(Attr, [first.Of(Attr)[0].Retract(3_001, 536_880_000)]);
        long before = nodes.PersistedLength.Length;
        var (second, root) = Commit(nodes, retracted);
        long written = nodes.PersistedLength.Length - before;

        var now = second.Of(Attr)[0].RetractionChunks;
        Assert.Equal(chunks.Keys, now.Keys);
        Assert.Equal([2], now.Where(c => chunks[c.Key] != c.Value).Select(c => c.Key));
        // The 512 retractions of chunk 2 and a root; the 2,500 of the whole set would be several times that.
        Assert.InRange(written, 1, 8 * 1024);
        var read = Reread(nodes, root).Of(Attr)[0];
        Assert.Equal(2_501, read.Retracted.Count);
        Assert.Equal(536_880_000, read.Retracted[3_001]);
        Assert.Equal(retracted.Of(Attr)[0].Retracted, read.Retracted);
    }

    [Fact]
    public void A_chunk_holding_a_doc_outside_its_range_is_a_corruption_naming_it()
    {
        var texts = Enumerable.Range(0, 2_000).Select(i => $"text number {i}").ToList();
        var segment = FullTextSegment.InMemory(SegmentBuilder.Build(FullTextAnalyzers.Get(FullTextAnalyzers.Default), HikeIndex.Docs(texts))).Retract(1_500, 536_870_999);
        var nodes = new NodeStore(new MemoryStore(), new NodeCache(1 << 20));
        var (stored, root) = Commit(nodes, FullTextIndex.Empty.With(Attr, [segment]));
        var chunk = stored.Of(Attr)[0].RetractionChunks[1];
        // The same retractions filed as chunk 0 (docs 0 to 1023): a root that does not match its chunks.
        var forged = stored.With(Attr, [stored.Of(Attr)[0].At(stored.Of(Attr)[0].Address!.Value, System.Collections.Immutable.ImmutableSortedDictionary<int, NodeAddress>.Empty.Add(0, chunk))]);
        var (_, forgedRoot) = Commit(nodes, forged);

        var error = Assert.Throws<CorruptionException>(() => Reread(nodes, forgedRoot));
        Assert.Equal(Packs.Describe(chunk), error.Key);
        Assert.Contains("outside its chunk 0", error.Message, StringComparison.Ordinal);
    }
}
