namespace Hike.Index.Tree;

/// <summary>
/// The array behind a tree's tail, shared by every version that appended to it. <see cref="Claimed"/>
/// counts the slots some version has filled: a version whose tail ends exactly there may claim the
/// next slot and write it in place, because older versions only read up to their own length.
/// </summary>
internal sealed class TailBuffer<T>(T[] items, int claimed)
{
    public readonly T[] Items = items;
    public int Claimed = claimed;
}
