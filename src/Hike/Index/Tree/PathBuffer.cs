using System.Runtime.CompilerServices;

namespace Hike.Index.Tree;

/// <summary>Room for a cursor's root-to-leaf path without a heap allocation: deep enough for any tree of minimum fan-out two.</summary>
[InlineArray(MaxDepth)]
internal struct PathBuffer<T>
{
    public const int MaxDepth = 20;

    private T _element;
}
