using Hike.Edn;
using Hike.FullText;
using Hike.Index.Codec;

namespace Hike.Tests.FullText;

public sealed class SegmentTests
{
    private static readonly string[] Texts = ["the cat sat on the mat", "a dog and a cat", "cat cat cat", "Ünïcödé wörds 東京", ""];

    [Fact]
    public void A_segment_decodes_to_the_documents_terms_and_postings_it_was_built_from()
    {
        var segment = HikeIndex.Build("standard", Texts);

        var decoded = Segment.Decode(segment.Encode());

        Assert.Equal(Texts.Length, decoded.DocCount);
        for (int d = 0; d < Texts.Length; d++)
        {
            Assert.Equal(1000 + d, decoded.Entity(d));
            Assert.Equal(536870913 + d, decoded.Tx(d));
            Assert.Equal(Texts[d], decoded.Value(d));
            Assert.Equal(segment.Norm(d), decoded.Norm(d));
        }
        Assert.Equal([3, 2, 3, 4, 0], Enumerable.Range(0, Texts.Length).Select(decoded.Tokens));
        Assert.Equal(12, decoded.TotalTokens);
        Assert.Equal(Terms(segment), Terms(decoded));
        Assert.Equal(["cat", "dog", "mat", "sat", "wörds", "ünïcödé", "京", "東"], Terms(decoded).Select(t => t.Term));
        var cat = decoded.FindTerm("cat"u8);
        Assert.Equal(3, decoded.DocFreq(cat));
        Assert.Equal([(0, "1"), (1, "4"), (2, "0,1,2")], Postings(decoded, cat));
        Assert.Equal(-1, decoded.FindTerm("cow"u8));
        Assert.Equal(segment.Encode(), decoded.Encode());
    }

    [Fact]
    public void An_empty_segment_round_trips()
    {
        var empty = new SegmentBuilder(FullTextAnalyzers.Get(FullTextAnalyzers.Default)).Build();

        var decoded = Segment.Decode(empty.Encode());

        Assert.Equal(0, decoded.DocCount);
        Assert.Equal(0, decoded.TermCount);
        Assert.Empty(new FullTextSearcher([new SegmentView(decoded)]).Search(new FullTextTerm("cat"), 10));
    }

    [Fact]
    public void Every_damaged_byte_is_malformed_data_never_a_wrong_answer()
    {
        var bytes = HikeIndex.Build("standard", Texts).Encode();

        for (int i = 0; i < bytes.Length; i++)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[i] ^= 0x20;
            Assert.Throws<MalformedDataException>(() => Segment.Decode(damaged));
        }
        Assert.Throws<MalformedDataException>(() => Segment.Decode(bytes.AsMemory(0, bytes.Length - 1)));
        Assert.Throws<MalformedDataException>(() => Segment.Decode(Array.Empty<byte>()));
    }

    [Fact]
    public void A_newer_format_version_is_malformed_data()
    {
        var bytes = HikeIndex.Build("standard", Texts).Encode();
        var other = (byte[])bytes.Clone();
        other[0] = 2;
        // Seal again so only the version is wrong.
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(other.AsSpan(other.Length - 4), Hike.Storage.Crc32C.Compute(other.AsSpan(0, other.Length - 4)));

        var e = Assert.Throws<MalformedDataException>(() => Segment.Decode(other));

        Assert.Contains("format version 2", e.Message);
    }

    [Fact]
    public void A_merge_keeps_the_kept_documents_in_order_and_drops_the_rest_with_their_terms()
    {
        var a = HikeIndex.Build("standard", Texts, 0, 2);
        var b = HikeIndex.Build("standard", Texts, 2, 3);

        var merged = Segment.Merge([a, b], (s, d) => !(s == 0 && d == 1) && !(s == 1 && d == 1));

        Assert.Equal([1000L, 1002, 1004], Enumerable.Range(0, merged.DocCount).Select(merged.Entity));
        Assert.Equal(["the cat sat on the mat", "cat cat cat", ""], Enumerable.Range(0, merged.DocCount).Select(merged.Value));
        Assert.Equal(["cat", "mat", "sat"], Terms(merged).Select(t => t.Term));
        Assert.Equal([(0, "1"), (1, "0,1,2")], Postings(merged, merged.FindTerm("cat"u8)));
        Assert.Equal(6, merged.TotalTokens);
    }

    [Fact]
    public void A_merge_of_everything_equals_one_segment_built_at_once()
    {
        var whole = HikeIndex.Build("standard", Bm25Tests.Corpus);
        var parts = new[] { HikeIndex.Build("standard", Bm25Tests.Corpus, 0, 10), HikeIndex.Build("standard", Bm25Tests.Corpus, 10, 1), HikeIndex.Build("standard", Bm25Tests.Corpus, 11, 19) };

        var merged = Segment.Merge(parts, (_, _) => true);

        Assert.Equal(whole.Encode(), merged.Encode());
    }

    [Fact]
    public void A_merge_that_copies_whole_inputs_and_renumbers_thinned_ones_equals_a_build_of_the_kept_documents()
    {
        var corpus = Bm25Tests.Corpus;
        var parts = new[] { HikeIndex.Build("standard", corpus, 0, 10), HikeIndex.Build("standard", corpus, 10, 10), HikeIndex.Build("standard", corpus, 20, 10) };
        var kept = Enumerable.Range(0, 30).Where(i => i != 13 && i != 17).ToList();
        using var builder = new SegmentBuilder(FullTextAnalyzers.Get(Keyword.Intern("standard")));
        foreach (int i in kept) builder.Add(HikeIndex.Doc(i, corpus[i]));

        // The first and last inputs keep every document (their postings are copied), the middle one loses two.
        var merged = Segment.Merge(parts, (s, d) => !(s == 1 && (d == 3 || d == 7)));

        Assert.Equal(builder.Build().Encode(), merged.Encode());
    }

    [Fact]
    public void Terms_are_in_UTF8_byte_order_past_their_first_eight_bytes_and_outside_the_basic_plane()
    {
        string[] terms = ["abcdefghij", "abcdefghia", "abcdefgh", "abcdefgh\u0001", "\uE000x", "\U0001F600", "\uFFFD", "z", "é", "ab", "abcdefgi"];
        var segment = HikeIndex.Build("whitespace", [string.Join(' ', terms)]);

        var expected = terms.Select(t => System.Text.Encoding.UTF8.GetBytes(t)).Order(Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))).Select(System.Text.Encoding.UTF8.GetString);
        Assert.Equal(expected, Terms(segment).Select(t => t.Term));
        // UTF-16 order would put U+1F600 (a surrogate pair) before U+E000; UTF-8 puts it after U+FFFD.
        Assert.Equal(["\uE000x", "\uFFFD", "\U0001F600"], Terms(segment).Select(t => t.Term).Where(t => t[0] > '\u00FF'));
    }

    [Fact]
    public void A_prefix_range_covers_exactly_the_terms_with_the_prefix()
    {
        var segment = HikeIndex.Build("standard", Bm25Tests.Corpus);

        var (start, end) = segment.PrefixRange("sn"u8);
        var all = Terms(segment).Select(t => t.Term).ToList();

        Assert.Equal(all.Where(t => t.StartsWith("sn", StringComparison.Ordinal)), all.Skip(start).Take(end - start));
        Assert.Equal(["snout", "snow"], all.Skip(start).Take(end - start));
        Assert.Equal((0, 0), HikeIndex.Build("standard", ["cat"]).PrefixRange("a"u8));
        Assert.Equal((1, 1), HikeIndex.Build("standard", ["cat"]).PrefixRange("d"u8));
    }

    private static List<(string Term, int DocFreq)> Terms(Segment segment) =>
        [.. Enumerable.Range(0, segment.TermCount).Select(t => (System.Text.Encoding.UTF8.GetString(segment.Term(t)), segment.DocFreq(t)))];

    private static List<(int Doc, string Positions)> Postings(Segment segment, int term)
    {
        var result = new List<(int, string)>();
        var cursor = segment.Postings(term);
        while (cursor.MoveNext())
        {
            var positions = new int[cursor.Freq];
            cursor.ReadPositions(positions);
            result.Add((cursor.Doc, string.Join(",", positions)));
        }
        return result;
    }
}
