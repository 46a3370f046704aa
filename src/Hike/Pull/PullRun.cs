using Hike.Db;
using Hike.Edn;
using Hike.Index.Datoms;

namespace Hike.Pull;

/// <summary>
/// The working state of pulls over one view: the explicit frame stack and pools of frames and
/// buffers, reused across the entities of a <c>PullMany</c> and, through <see cref="Rent"/>, across
/// calls on the same thread. Not thread-safe; each pull owns its run.
/// </summary>
internal sealed class PullRun
{
    private static readonly Keyword DbIdKey = Keyword.Intern("db/id");

    [ThreadStatic]
    private static PullRun? t_cached;

    private readonly Stack<PullFrame> _stack = new();
    private readonly List<IndexDatom> _scratch = [];
    private readonly Stack<EntityFrame> _entityFrames = new();
    private readonly Stack<CollectFrame> _collectFrames = new();
    private readonly Stack<List<KeyValuePair<object?, object?>>> _entryLists = new();
    private readonly Stack<List<IndexDatom>> _datomLists = new();
    private DbView _view = null!;
    private EdnMap? _result;
    private int _steps;

    /// <summary>
    /// A run for <paramref name="view"/>: this thread's cached one when free (a filter predicate may
    /// pull while a pull is running, so a busy one is never shared), else a new one.
    /// </summary>
    public static PullRun Rent(DbView view)
    {
        var run = t_cached ?? new PullRun();
        t_cached = null;
        run._view = view;
        return run;
    }

    /// <summary>Hands the run back for reuse; only after a pull that completed (a failed one may hold frames).</summary>
    public void Return()
    {
        _view = null!;
        _result = null;
        t_cached = this;
    }

    /// <summary>
    /// Pulls <paramref name="pattern"/> for entity <paramref name="eid"/>; null when nothing shows.
    /// <paramref name="cancellation"/> is looked at every 1,024 steps.
    /// </summary>
    public EdnMap? Pull(BoundPattern pattern, long eid, CancellationToken cancellation)
    {
        _result = null;
        PushEntity(pattern, eid, context: null, parent: null);
        while (_stack.TryPeek(out var top))
        {
            if ((++_steps & 1023) == 0) cancellation.ThrowIfCancellationRequested();
            if (top is EntityFrame entity) StepEntity(entity);
            else StepCollect((CollectFrame)top);
        }
        return _result;
    }

    private EntityFrame PushEntity(BoundPattern pattern, long eid, PullContext? context, CollectFrame? parent)
    {
        var frame = _entityFrames.Count > 0 ? _entityFrames.Pop() : new EntityFrame();
        frame.Pattern = pattern;
        frame.Eid = eid;
        frame.Context = context;
        frame.Parent = parent;
        frame.Entries = _entryLists.Count > 0 ? _entryLists.Pop() : [];
        _stack.Push(frame);
        return frame;
    }

    /// <summary>Evaluates specs of the top entity frame until it pushes a child frame or completes.</summary>
    private void StepEntity(EntityFrame f)
    {
        var pattern = f.Pattern;
        if (pattern.Wildcard && !f.WildcardDone)
        {
            if (StepWildcard(f)) return;
        }
        var attrs = pattern.Attrs;
        while (f.NextSpec < attrs.Length)
        {
            var spec = attrs[f.NextSpec++];
            if (pattern.Wildcard)
            {
                // The wildcard already showed every attribute the entity has, and its id.
                if (spec.Kind == BoundAttrKind.Forward)
                {
                    // DATAHIKE: Datahike drops the default of an attribute listed beside a wildcard; Hike applies it.
                    if (spec.HasDefault && (f.Covered is null || !f.Covered[f.NextSpec - 1])) f.Entries.Add(new(spec.Key, spec.Default));
                    continue;
                }
                if (spec.Kind == BoundAttrKind.DbId)
                {
                    // DATAHIKE: Datahike ignores options on :db/id; Hike honours :as, as Datomic does.
                    if (!ReferenceEquals(spec.Key, DbIdKey)) f.Entries.Add(new(spec.Key, f.Eid));
                    continue;
                }
            }
            if (EvaluateSpec(f, spec)) return;
        }
        CompleteEntity(f);
    }

    /// <summary>Shows the entity's attribute groups in EAVT order; true when a child frame was pushed.</summary>
    private bool StepWildcard(EntityFrame f)
    {
        var datoms = f.Datoms;
        if (datoms is null)
        {
            datoms = _datomLists.Count > 0 ? _datomLists.Pop() : [];
            _view.CollectEntity(f.Eid, datoms);
            f.Datoms = datoms;
            f.Entries.Add(new(DbIdKey, f.Eid));
        }
        var pattern = f.Pattern;
        var schema = pattern.Schema;
        while (f.NextDatom < datoms.Count)
        {
            int start = f.NextDatom, end = start + 1, a = datoms[start].A;
            while (end < datoms.Count && datoms[end].A == a) end++;
            f.NextDatom = end;
            var spec = pattern.ForwardSpec(a);
            bool pushed;
            if (spec is not null)
            {
                if (pattern.HasForwardDefaults) MarkCovered(f, spec);
                pushed = ProcessValues(f, spec, spec.Key, spec.Limit, spec.Many, spec.IsRef, spec.IsComponent, forward: true, datoms, start, end);
            }
            else
            {
                var attribute = schema[a];
                pushed = ProcessValues(f, null, attribute.Ident, PullAttrSpec.DefaultLimit, attribute.Many, attribute.IsRef, attribute.IsComponent, forward: true, datoms, start, end);
            }
            if (pushed) return true;
        }
        f.WildcardDone = true;
        datoms.Clear();
        _datomLists.Push(datoms);
        f.Datoms = null;
        return false;
    }

    private static void MarkCovered(EntityFrame f, BoundAttr spec)
    {
        var attrs = f.Pattern.Attrs;
        f.Covered ??= new bool[attrs.Length];
        int i = Array.IndexOf(attrs, spec);
        if (i >= 0) f.Covered[i] = true;
    }

    /// <summary>Evaluates one explicit spec; true when a child frame was pushed.</summary>
    private bool EvaluateSpec(EntityFrame f, BoundAttr spec)
    {
        switch (spec.Kind)
        {
            case BoundAttrKind.DbId:
                // As Datahike: :db/id shows only for an entity that has a datom in this view.
                if (f.Pattern.ReadsWholeEntity ? EntityDatoms(f).Count > 0 : HasAnyDatom(f.Eid)) f.Entries.Add(new(spec.Key, f.Eid));
                else if (spec.HasDefault) f.Entries.Add(new(spec.Key, spec.Default));
                return false;
            case BoundAttrKind.Forward when f.Pattern.ReadsWholeEntity:
            {
                var datoms = EntityDatoms(f);
                int start = 0;
                while (start < datoms.Count && datoms[start].A < spec.AttrId) start++;
                int end = start;
                while (end < datoms.Count && datoms[end].A == spec.AttrId) end++;
                int limit = spec.Limit;
                return ProcessValues(f, spec, spec.Key, limit, spec.Many, spec.IsRef, spec.IsComponent, forward: true, datoms, start, end);
            }
            case BoundAttrKind.Forward:
            {
                var scratch = _scratch;
                scratch.Clear();
                int limit = spec.Limit;
                _view.CollectEntityAttr(f.Eid, spec.AttrId, scratch, limit < 0 ? int.MaxValue : limit);
                return ProcessValues(f, spec, spec.Key, limit, spec.Many, spec.IsRef, spec.IsComponent, forward: true, scratch, 0, scratch.Count);
            }
            case BoundAttrKind.Reverse:
            {
                var scratch = _scratch;
                scratch.Clear();
                int limit = spec.Limit;
                _view.CollectReverseRefs(f.Eid, spec.AttrId, scratch, limit < 0 ? int.MaxValue : limit);
                return ProcessValues(f, spec, spec.Key, limit, spec.Many, isRef: true, isComponent: spec.IsComponent, forward: false, scratch, 0, scratch.Count);
            }
            default:
                if (spec.HasDefault) f.Entries.Add(new(spec.Key, spec.Default));
                return false;
        }
    }

    /// <summary>The entity's datoms, read once per frame in one index range.</summary>
    private List<IndexDatom> EntityDatoms(EntityFrame f)
    {
        if (f.Datoms is { } read) return read;
        var datoms = _datomLists.Count > 0 ? _datomLists.Pop() : [];
        _view.CollectEntity(f.Eid, datoms);
        f.Datoms = datoms;
        return datoms;
    }

    /// <summary>
    /// Turns the datoms <paramref name="start"/>..<paramref name="end"/> of one attribute into its
    /// entry: plain values (refs as <c>{:db/id n}</c>), or a child frame for a subpattern, recursion
    /// or component expansion. True when a child frame was pushed.
    /// </summary>
    private bool ProcessValues(EntityFrame f, BoundAttr? spec, object key, int limit, bool many, bool isRef, bool isComponent, bool forward, List<IndexDatom> datoms, int start, int end)
    {
        if (limit >= 0 && end - start > limit) end = start + limit;
        int n = end - start;
        if (n == 0)
        {
            if (spec is not null && spec.HasDefault) f.Entries.Add(new(key, spec.Default));
            return false;
        }
        if (isRef)
        {
            if (spec?.Subpattern is { } subpattern)
            {
                PushCollect(f, CollectMode.Subpattern, key, many, subpattern, null, datoms, start, end, forward);
                return true;
            }
            if (spec is not null && spec.Recursive)
            {
                var context = f.Context ??= new PullContext();
                // As Datahike: at the depth limit the attribute is left out altogether.
                if (spec.RecursionLimit > 0 && context.Depth(spec) >= spec.RecursionLimit) return false;
                PushCollect(f, CollectMode.Recursion, key, many, spec.Owner, spec, datoms, start, end, forward);
                return true;
            }
            if (forward && isComponent)
            {
                PushCollect(f, CollectMode.Component, key, many, PullPattern.WildcardOnly.Bind(f.Pattern.Schema), null, datoms, start, end, forward);
                return true;
            }
        }
        if (!many)
        {
            var d = datoms[start];
            f.Entries.Add(new(key, forward ? (isRef ? IdMap(d.V) : d.V) : IdMap(d.E)));
            return false;
        }
        var values = new object?[n];
        for (int i = 0; i < n; i++)
        {
            var d = datoms[start + i];
            values[i] = forward ? (isRef ? IdMap(d.V) : d.V) : IdMap(d.E);
        }
        f.Entries.Add(new(key, EdnVector.Wrap(values)));
        return false;
    }

    private void PushCollect(EntityFrame f, CollectMode mode, object key, bool many, BoundPattern childPattern, BoundAttr? spec, List<IndexDatom> datoms, int start, int end, bool forward)
    {
        var children = new long[end - start];
        for (int i = 0; i < children.Length; i++)
        {
            var d = datoms[start + i];
            children[i] = forward ? (d.V is long l ? l : Numbers.ToLongUnchecked(d.V)) : d.E;
        }
        var c = _collectFrames.Count > 0 ? _collectFrames.Pop() : new CollectFrame();
        c.Parent = f;
        c.Mode = mode;
        c.Key = key;
        c.Many = many;
        c.Children = children;
        c.Results = new object?[children.Length];
        c.ResultCount = 0;
        c.ChildPattern = childPattern;
        c.Spec = spec;
        if (mode != CollectMode.Subpattern)
        {
            var context = f.Context ??= new PullContext();
            c.Context = context;
            // As Datahike: expanding components marks their owner as being expanded, so a component
            // that refers back to it comes out as {:db/id n}.
            if (mode == CollectMode.Component) c.LeaveParentOnExit = context.Enter(f.Eid);
        }
        _stack.Push(c);
    }

    /// <summary>Pulls the children of the top collect frame until one needs a frame of its own, or completes.</summary>
    private void StepCollect(CollectFrame c)
    {
        var children = c.Children;
        while (c.Next < children.Length)
        {
            long child = children[c.Next++];
            if (c.Mode == CollectMode.Subpattern)
            {
                PushEntity(c.ChildPattern, child, context: null, parent: c);
                return;
            }
            var context = c.Context!;
            // DATAHIKE: Datahike marks a recursion child as seen before a wildcard pattern checks it,
            // so under [* {:attr ...}] every recursed entity comes out as {:db/id n}. Hike checks the
            // path first and pulls the child with the pattern as written.
            if (context.IsSeen(child))
            {
                c.Results[c.ResultCount++] = IdMap(child);
                continue;
            }
            context.Enter(child);
            var frame = PushEntity(c.ChildPattern, child, context, c);
            frame.LeaveOnExit = true;
            if (c.Mode == CollectMode.Recursion)
            {
                context.Descend(c.Spec!);
                frame.AscendOnExit = c.Spec;
            }
            return;
        }
        _stack.Pop();
        var parent = c.Parent;
        if (c.LeaveParentOnExit) c.Context!.Leave(parent.Eid);
        var results = c.Results;
        int count = c.ResultCount;
        if (c.Many) parent.Entries.Add(new(c.Key, EdnVector.Wrap(count == results.Length ? results : results[..count])));
        else if (count > 0) parent.Entries.Add(new(c.Key, results[0]));
        c.Reset();
        _collectFrames.Push(c);
    }

    private void CompleteEntity(EntityFrame f)
    {
        _stack.Pop();
        if (f.Datoms is { } datoms)
        {
            datoms.Clear();
            _datomLists.Push(datoms);
        }
        var entries = f.Entries;
        var result = entries.Count == 0 ? null : f.Pattern.KeysDistinct ? EdnMap.FromDistinctKeys([.. entries]) : BuildMap(entries);
        entries.Clear();
        _entryLists.Push(entries);
        if (f.LeaveOnExit) f.Context!.Leave(f.Eid);
        if (f.AscendOnExit is not null) f.Context!.Ascend(f.AscendOnExit);
        var parent = f.Parent;
        f.Reset();
        _entityFrames.Push(f);
        if (parent is null) _result = result;
        else if (result is not null) parent.Results[parent.ResultCount++] = result;
    }

    private bool HasAnyDatom(long eid) => _view.HasDatoms(eid);

    private static EdnMap IdMap(object id) => EdnMap.TryCreate([new(DbIdKey, id)], out _)!;

    private static EdnMap IdMap(long id) => IdMap((object)id);

    /// <summary>The result map; when aliases collide the later entry wins, as Datahike's <c>assoc</c>.</summary>
    private static EdnMap BuildMap(List<KeyValuePair<object?, object?>> entries)
    {
        var array = entries.ToArray();
        var map = EdnMap.TryCreate(array, out _);
        if (map is not null) return map;
        var unique = new List<KeyValuePair<object?, object?>>(array.Length);
        foreach (var entry in array)
        {
            int i = unique.FindIndex(e => ValueEquality.Instance.Equals(e.Key, entry.Key));
            if (i >= 0) unique[i] = entry;
            else unique.Add(entry);
        }
        return EdnMap.TryCreate([.. unique], out _)!;
    }
}
