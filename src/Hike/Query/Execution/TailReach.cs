namespace Hike.Query.Execution;

/// <summary>
/// The right-linear shortcut of a demand-driven rule (Naughton, Ramakrishnan, Sagiv and Ullman's
/// rewriting of right-linear rules): for a body <c>p(B, F) :- rest(B, B'), p(B', F)</c>, whose free
/// positions F pass through unchanged, the answers for bound values <c>o</c> are
/// <c>(o, f)</c> for every answer <c>(m, f)</c> of a value <c>m</c> that <c>o</c> reaches by steps
/// <c>B → B'</c>. So instead of the answers of every value on the way (quadratic on a chain), it
/// keeps the steps, which values reach which, and the answers found at each value: linear in what
/// the start reaches. Values are tuples of the bound positions' values. Single-threaded.
/// </summary>
internal sealed class TailReach
{
    private readonly int[] _positions;
    private readonly RowKey _key;
    private readonly HashSet<object?[]> _origins;
    private readonly Dictionary<object?[], List<object?[]>> _steps;
    private readonly Dictionary<object?[], HashSet<object?[]>> _reachedBy;
    private readonly Dictionary<object?[], List<object?[]>> _answersAt;
    private int _indexed;

    /// <param name="positions">The bound positions, in order.</param>
    public TailReach(int[] positions)
    {
        _positions = positions;
        _key = RowKey.All(positions.Length);
        _origins = new(_key);
        _steps = new(_key);
        _reachedBy = new(_key);
        _answersAt = new(_key);
    }

    /// <summary>Values asked for from outside the steps, whose answers a caller reads; each reaches itself.</summary>
    public List<object?[]> NewOrigins { get; } = [];

    /// <summary>Steps found this round, from a value to the one its recursive call asks for.</summary>
    public List<(object?[] From, object?[] To)> NewSteps { get; } = [];

    public void AddOrigin(object?[] values)
    {
        if (_origins.Add(values)) NewOrigins.Add(values);
    }

    /// <summary>
    /// Takes in the rule's answers added since the last call (<paramref name="all"/> is every answer
    /// of earlier rounds), this round's origins and steps, adding to <paramref name="fresh"/> the
    /// answers they give origins.
    /// </summary>
    public void Advance(RowList all, RowList fresh, HashSet<object?[]> seen)
    {
        var guard = QueryGuard.Current;
        for (; _indexed < all.Count; _indexed++)
        {
            guard.Tick();
            Index(all[_indexed], fresh, seen);
        }
        foreach (var o in NewOrigins) Reach(o, o, fresh, seen);
        NewOrigins.Clear();
        foreach (var (from, to) in NewSteps)
        {
            guard.Tick();
            if (!_steps.TryGetValue(from, out var next)) _steps[from] = next = [];
            next.Add(to);
            if (_reachedBy.TryGetValue(from, out var origins))
            {
                foreach (var o in origins.ToList()) Reach(o, to, fresh, seen);
            }
        }
        NewSteps.Clear();
    }

    private void Index(object?[] answer, RowList fresh, HashSet<object?[]> seen)
    {
        var at = KeyOf(answer);
        if (!_answersAt.TryGetValue(at, out var list)) _answersAt[at] = list = [];
        list.Add(answer);
        if (!_reachedBy.TryGetValue(at, out var origins)) return;
        foreach (var o in origins) Emit(o, answer, fresh, seen);
    }

    /// <summary>Records that <paramref name="origin"/> reaches <paramref name="value"/> and all it steps to, giving the origin their answers.</summary>
    private void Reach(object?[] origin, object?[] value, RowList fresh, HashSet<object?[]> seen)
    {
        var guard = QueryGuard.Current;
        var work = new Stack<object?[]>();
        work.Push(value);
        while (work.Count > 0)
        {
            guard.Tick();
            var x = work.Pop();
            if (!_reachedBy.TryGetValue(x, out var origins)) _reachedBy[x] = origins = new(_key);
            if (!origins.Add(origin)) continue;
            if (_answersAt.TryGetValue(x, out var answers))
            {
                foreach (var a in answers) Emit(origin, a, fresh, seen);
            }
            if (_steps.TryGetValue(x, out var next))
            {
                foreach (var n in next) work.Push(n);
            }
        }
    }

    private void Emit(object?[] origin, object?[] answer, RowList fresh, HashSet<object?[]> seen)
    {
        var row = (object?[])answer.Clone();
        for (int j = 0; j < _positions.Length; j++) row[_positions[j]] = origin[j];
        if (seen.Add(row)) fresh.Add(row);
    }

    private object?[] KeyOf(object?[] answer)
    {
        var key = new object?[_positions.Length];
        for (int j = 0; j < key.Length; j++) key[j] = answer[_positions[j]];
        return key;
    }
}
