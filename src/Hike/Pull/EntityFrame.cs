using Hike.Edn;
using Hike.Index.Datoms;

namespace Hike.Pull;

/// <summary>Evaluation of one pattern on one entity: the result map being built and where it stands.</summary>
internal sealed class EntityFrame : PullFrame
{
    public BoundPattern Pattern = null!;
    public long Eid;
    public PullContext? Context;
    public CollectFrame? Parent;
    public List<KeyValuePair<object?, object?>> Entries = null!;

    /// <summary>The next explicit spec to evaluate.</summary>
    public int NextSpec;

    /// <summary>Wildcard: the entity's datoms, and the start of the next attribute group.</summary>
    public List<IndexDatom>? Datoms;
    public int NextDatom;
    public bool WildcardDone;

    /// <summary>Wildcard: which explicit forward specs had datoms (so their defaults do not apply).</summary>
    public bool[]? Covered;

    /// <summary>Undo on exit: the entity entered the context, and the recursive spec descended.</summary>
    public bool LeaveOnExit;
    public BoundAttr? AscendOnExit;

    public void Reset()
    {
        Pattern = null!;
        Context = null;
        Parent = null;
        Entries = null!;
        NextSpec = 0;
        Datoms = null;
        NextDatom = 0;
        WildcardDone = false;
        Covered = null;
        LeaveOnExit = false;
        AscendOnExit = null;
    }
}
