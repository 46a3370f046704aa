namespace Hike.Pull;

/// <summary>
/// The recursion state of one path through a pull, as Datahike keeps it: the entities being
/// expanded by recursion or component expansion (an entity met again on its own path is returned as
/// <c>{:db/id n}</c>, so cycles terminate) and how deep each recursive spec has gone. The evaluator
/// walks depth-first and undoes every step on the way back, so one mutable instance serves a whole
/// subtree. A subpattern starts a fresh context, as in Datahike. Not thread-safe (one per pull).
/// </summary>
internal sealed class PullContext
{
    private HashSet<long>? _seen;
    private Dictionary<BoundAttr, int>? _depth;

    public bool IsSeen(long eid) => _seen is not null && _seen.Contains(eid);

    /// <summary>Marks <paramref name="eid"/> as being expanded; false when it already was.</summary>
    public bool Enter(long eid) => (_seen ??= []).Add(eid);

    public void Leave(long eid) => _seen!.Remove(eid);

    public int Depth(BoundAttr spec) => _depth is not null && _depth.TryGetValue(spec, out int d) ? d : 0;

    public void Descend(BoundAttr spec)
    {
        _depth ??= new Dictionary<BoundAttr, int>(ReferenceEqualityComparer.Instance);
        _depth[spec] = Depth(spec) + 1;
    }

    public void Ascend(BoundAttr spec) => _depth![spec]--;
}
