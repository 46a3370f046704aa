namespace Hike.Pull;

/// <summary>
/// Pulls the entities one attribute refers to and hands the parent entity frame a vector
/// (cardinality many) or the first result (cardinality one).
/// </summary>
internal sealed class CollectFrame : PullFrame
{
    public EntityFrame Parent = null!;
    public CollectMode Mode;
    public object Key = null!;
    public bool Many;
    public long[] Children = null!;
    public int Next;
    public object?[] Results = null!;

    /// <summary>How many of <see cref="Results"/> are filled.</summary>
    public int ResultCount;

    /// <summary>The pattern applied to each child (the subpattern, the owning pattern, or the wildcard).</summary>
    public BoundPattern ChildPattern = null!;

    /// <summary>The recursion context of recursion and component children; null for subpatterns.</summary>
    public PullContext? Context;

    /// <summary>Recursion: the spec whose depth each child adds one to.</summary>
    public BoundAttr? Spec;

    /// <summary>Component expansion entered the parent entity into the context and undoes it at the end.</summary>
    public bool LeaveParentOnExit;

    public void Reset()
    {
        Parent = null!;
        Key = null!;
        Children = null!;
        Next = 0;
        Results = null!;
        ResultCount = 0;
        ChildPattern = null!;
        Context = null;
        Spec = null;
        LeaveParentOnExit = false;
    }
}
