using System.Collections;
using Hike.Edn;
using Hike.Index.Datoms;
using Hike.Index.Tree;

namespace Hike.Index.Stored;

/// <summary>Estimates the managed memory a node or a value holds, for the node cache's bound.</summary>
internal static class NodeWeight
{
    private const int ObjectHeader = 24;
    private const int ArrayHeader = 32;
    private const int DatomSize = 24;

    /// <summary>
    /// The weight of <paramref name="node"/>; values that <paramref name="outOfLine"/> holds count as a
    /// reference only, as the cache weighs them once on their own (<see cref="OfValue"/>).
    /// </summary>
    public static long Of(Node<IndexDatom> node, LargeValueRegistry? outOfLine)
    {
        if (node is Branch<IndexDatom> b)
        {
            // Max keys, child slots, counts and addresses per child; values of max keys are shared with leaves mostly.
            return ObjectHeader + 4 * ArrayHeader + (long)b.MaxKeys.Length * (DatomSize + 8 + 8 + 16);
        }
        var leaf = (Leaf<IndexDatom>)node;
        long weight = ObjectHeader + ArrayHeader + (long)leaf.Keys.Length * DatomSize;
        var keys = leaf.Keys;
        for (int i = 0; i < leaf.Len; i++)
        {
            var v = keys[i].V;
            long w = OfValue(v);
            // A value stored out of line outweighs its reference; lighter ones are not worth the lookup.
            weight += w > ObjectHeader + 8 && outOfLine is not null && outOfLine.Contains(v!) ? 0 : w;
        }
        return weight;
    }

    public static long OfValue(object? v) => v switch
    {
        null or Keyword or Symbol or bool => 0,
        string s => ObjectHeader + 2L * s.Length,
        byte[] bytes => ArrayHeader + bytes.Length,
        float[] floats => ArrayHeader + 4L * floats.Length,
        double[] doubles => ArrayHeader + 8L * doubles.Length,
        ICollection c => ArrayHeader + 32L * c.Count,
        _ => ObjectHeader + 8,
    };
}
