namespace Hike.Pull;

/// <summary>
/// The recursion state of one path through a pull, as Datahike keeps it: the entities being
/// expanded by recursion or component expansion (an entity met again on its own path is returned as
/// <c>{:db/id n}</c>, so cycles terminate) and how deep each recursive spec has gone. The evaluator
/// walks depth-first and undoes every step on the way back, so one mutable instance serves a whole
/// subtree. Paths are short, so both live in small arrays searched linearly; a set takes over for
/// the entities of a deep path. A subpattern starts a fresh context, as in Datahike. Not
/// thread-safe (one per pull).
/// </summary>
internal sealed class PullContext
{
    private const int LinearLimit = 16;

    private long[] _path = new long[8];
    private int _pathLength;
    private HashSet<long>? _deepPath;
    private BoundAttr?[] _specs = new BoundAttr?[2];
    private int[] _depths = new int[2];
    private int _specCount;

    public bool IsSeen(long eid)
    {
        if (_deepPath is not null) return _deepPath.Contains(eid);
        for (int i = 0; i < _pathLength; i++)
        {
            if (_path[i] == eid) return true;
        }
        return false;
    }

    /// <summary>Marks <paramref name="eid"/> as being expanded; false when it already was.</summary>
    public bool Enter(long eid)
    {
        if (IsSeen(eid)) return false;
        if (_pathLength == _path.Length) Array.Resize(ref _path, _path.Length * 2);
        _path[_pathLength++] = eid;
        if (_deepPath is not null) _deepPath.Add(eid);
        else if (_pathLength > LinearLimit) _deepPath = [.. _path.AsSpan(0, _pathLength)];
        return true;
    }

    /// <summary>Ends the expansion of <paramref name="eid"/>, the innermost entity entered and not yet left.</summary>
    public void Leave(long eid)
    {
        int i = _pathLength - 1;
        while (i >= 0 && _path[i] != eid) i--;
        if (i < 0) return;
        Array.Copy(_path, i + 1, _path, i, _pathLength - i - 1);
        _pathLength--;
        _deepPath?.Remove(eid);
        if (_pathLength <= LinearLimit) _deepPath = null;
    }

    public int Depth(BoundAttr spec)
    {
        int i = SpecIndex(spec);
        return i >= 0 ? _depths[i] : 0;
    }

    public void Descend(BoundAttr spec)
    {
        int i = SpecIndex(spec);
        if (i < 0)
        {
            if (_specCount == _specs.Length)
            {
                Array.Resize(ref _specs, _specCount * 2);
                Array.Resize(ref _depths, _specCount * 2);
            }
            i = _specCount++;
            _specs[i] = spec;
            _depths[i] = 0;
        }
        _depths[i]++;
    }

    public void Ascend(BoundAttr spec) => _depths[SpecIndex(spec)]--;

    private int SpecIndex(BoundAttr spec)
    {
        for (int i = 0; i < _specCount; i++)
        {
            if (ReferenceEquals(_specs[i], spec)) return i;
        }
        return -1;
    }
}
