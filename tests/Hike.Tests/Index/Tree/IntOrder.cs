namespace Hike.Tests.Index.Tree;

internal readonly struct IntOrder : IComparer<int>
{
    public int Compare(int x, int y) => x.CompareTo(y);
}
