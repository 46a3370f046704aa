using Hike.FullText;

namespace Hike.Tests.FullText;

public sealed class TieredMergePolicyTests
{
    private const long Small = 2_000;

    [Fact]
    public void Fewer_than_ten_segments_of_a_tier_need_no_merge()
    {
        Assert.Null(TieredMergePolicy.FindMerge([]));
        Assert.Null(TieredMergePolicy.FindMerge(Enumerable.Repeat(Small, 9).ToList()));
        Assert.Null(TieredMergePolicy.FindMerge([5_000_000, 500_000, .. Enumerable.Repeat(Small, 9)]));
    }

    [Fact]
    public void Ten_neighbours_of_one_tier_are_merged()
    {
        Assert.Equal((0, 10), TieredMergePolicy.FindMerge(Enumerable.Repeat(Small, 10).ToList()));
        Assert.Equal((2, 10), TieredMergePolicy.FindMerge([5_000_000, 500_000, .. Enumerable.Repeat(Small, 10)]));
        // Sizes within a factor of ten of each other above the floor share a tier.
        Assert.Equal((1, 10), TieredMergePolicy.FindMerge([900_000, 20_000, 30_000, 40_000, 50_000, 60_000, 70_000, 80_000, 20_000, 15_000, 12_000]));
    }

    [Fact]
    public void Segments_of_a_tier_split_by_another_are_not_merged_across_it()
    {
        List<long> sizes = [.. Enumerable.Repeat(Small, 5), 500_000, .. Enumerable.Repeat(Small, 5)];

        Assert.Null(TieredMergePolicy.FindMerge(sizes));
    }

    [Fact]
    public void Tiers_grow_by_the_merge_factor_above_the_floor()
    {
        Assert.Equal(0, TieredMergePolicy.Tier(0));
        Assert.Equal(0, TieredMergePolicy.Tier(TieredMergePolicy.FloorBytes));
        Assert.Equal(1, TieredMergePolicy.Tier(TieredMergePolicy.FloorBytes + 1));
        Assert.Equal(1, TieredMergePolicy.Tier(TieredMergePolicy.FloorBytes * 10));
        Assert.Equal(2, TieredMergePolicy.Tier(TieredMergePolicy.FloorBytes * 10 + 1));
        Assert.True(TieredMergePolicy.Tier(long.MaxValue) < 64);
    }

    [Fact]
    public void Merging_as_told_after_every_commit_keeps_few_segments_and_rewrites_each_byte_few_times()
    {
        var sizes = new List<long>();
        long written = 0, added = 0;
        for (int commit = 0; commit < 10_000; commit++)
        {
            sizes.Add(Small);
            added += Small;
            while (TieredMergePolicy.FindMerge(sizes) is var (start, count))
            {
                long merged = sizes.Skip(start).Take(count).Sum();
                written += merged;
                sizes.RemoveRange(start, count);
                sizes.Insert(start, merged);
            }
            Assert.True(sizes.Count <= 9 * 6, $"{sizes.Count} segments after commit {commit}");
        }
        Assert.Equal(added, sizes.Sum());
        Assert.True(written <= 6 * added, $"merges wrote {written} bytes for {added} added");
    }
}
