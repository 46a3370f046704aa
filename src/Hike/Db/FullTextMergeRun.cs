using System.Collections.Immutable;

namespace Hike.Db;

/// <summary>
/// A run of neighbouring segments of one full-text attribute that is due to be merged, as an index
/// value held them; merged apart from the commit path (<see cref="Merge"/>) and put in place by
/// <see cref="FullTextIndex.WithMerged"/> where the run is still there. Immutable.
/// </summary>
internal sealed record FullTextMergeRun(int AttrId, ImmutableArray<FullTextSegment> Inputs)
{
    /// <summary>The merged segment and, per input, where each of its documents went (-1: left out).</summary>
    public sealed record Result(FullTextSegment Segment, int[][] DocMaps);

    /// <summary>Merges the inputs as <see cref="FullTextSegment.Merge(IReadOnlyList{FullTextSegment}, bool, CancellationToken)"/> does. Reads stored inputs; O(their bytes).</summary>
    public Result Merge(bool keepHistory, CancellationToken cancellationToken)
    {
        var maps = new int[Inputs.Length][];
        int next = 0;
        for (int s = 0; s < Inputs.Length; s++)
        {
            var map = maps[s] = new int[Inputs[s].DocCount];
            for (int d = 0; d < map.Length; d++) map[d] = keepHistory || !Inputs[s].Retracted.ContainsKey(d) ? next++ : -1;
        }
        return new Result(FullTextSegment.Merge(Inputs, keepHistory, cancellationToken), maps);
    }
}
