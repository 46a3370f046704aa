using Hike.Edn;
using Hike.Query.Syntax;

namespace Hike.Query.Execution;

internal sealed partial class ClauseRunner
{
    private const int MaxIterations = 100_000;

    /// <summary>The recursive rules being computed and their relations so far, while a fixpoint runs.</summary>
    private RecursionScope? _scope;

    private sealed class RecursionScope
    {
        public required HashSet<Symbol> Members { get; init; }

        public required QuerySource Source { get; init; }

        public Dictionary<Symbol, Relation> Full { get; } = [];

        public Dictionary<Symbol, Relation> Delta { get; } = [];

        /// <summary>Every tuple each rule has produced, to keep only new ones.</summary>
        public Dictionary<Symbol, HashSet<object?[]>> Seen { get; } = [];

        /// <summary>The one recursive call that reads <see cref="Delta"/> in this pass; every other reads <see cref="Full"/>.</summary>
        public RuleCallClause? DeltaCall { get; set; }

        /// <summary>
        /// When the component runs from its callers' values: the values asked for, by rule and bound
        /// positions; null when it computes every tuple.
        /// </summary>
        public Dictionary<(Symbol Rule, long Mask), DemandTable>? Tables { get; init; }

        /// <summary>Each rule's <see cref="Full"/> tuples by the positions a call binds, when driven by demand.</summary>
        public Dictionary<(Symbol Rule, long Mask), TupleIndex> Indexes { get; } = [];
    }

    private string RunRule(RuleCallClause call, Frame frame, QuerySource? defaultSource, int depth)
    {
        var bodies = Bodies(call);
        var source = _ctx.Scope(call.Source, defaultSource, call.Form);
        Relation result;
        string how;
        if (ScopedRelation(call, source) is { } scoped)
        {
            bool delta = ReferenceEquals(call, _scope!.DeltaCall);
            // The call that reads the last round's tuples asks for nothing new: the pass that bound its arguments asked already.
            result = !delta && _scope.Tables is not null ? Demand(_scope, call, frame, scoped) : scoped;
            how = delta ? "rule: new tuples of the last round" : "rule: tuples so far";
        }
        else if (_ctx.Rules.Graph.IsRecursive(call.Name))
        {
            (result, how) = RecursiveCall(call, frame, source, depth);
        }
        else
        {
            result = Inline(call, bodies, frame, source, depth);
            how = "rule: bodies with the caller's bindings";
        }
        frame.Add(BindCall(call, result));
        return how;
    }

    private Rule[] Bodies(RuleCallClause call)
    {
        if (!_ctx.Rules.TryGet(call.Name, out var bodies))
        {
            throw Errors.QueryWhere($"Unknown rule '{call.Name}' in {Errors.Show(call.Form)}");
        }
        if (bodies[0].Head.Length != call.Args.Length)
        {
            throw Errors.QueryWhere($"Rule '{call.Name}' takes {bodies[0].Head.Length} arguments, called with {call.Args.Length} in {Errors.Show(call.Form)}");
        }
        return bodies;
    }

    private Relation? ScopedRelation(RuleCallClause call, QuerySource source)
    {
        if (_scope is not { } s || !s.Members.Contains(call.Name) || !ReferenceEquals(source, s.Source)) return null;
        return ReferenceEquals(call, s.DeltaCall) ? s.Delta[call.Name] : s.Full[call.Name];
    }

    private bool RuleReady(RuleCallClause call, Frame frame) => RequiredArgs(call).All(frame.IsBound);

    private IEnumerable<Symbol> RequiredArgs(RuleCallClause call)
    {
        if (!_ctx.Rules.TryGet(call.Name, out var bodies) || bodies[0].Head.Length != call.Args.Length) return [];
        int required = bodies.Max(b => b.RequiredCount);
        return call.Args.Take(required).Where(a => a.IsVariable).Select(a => a.Symbol!);
    }

    private Relation? Scoped(RuleCallClause call, QuerySource? defaultSource) =>
        _scope is null ? null : ScopedRelation(call, _ctx.Scope(call.Source, defaultSource, call.Form));

    private double RuleEstimate(RuleCallClause call, Frame frame, QuerySource? defaultSource)
    {
        var source = _ctx.Scope(call.Source, defaultSource, call.Form);
        if (ScopedRelation(call, source) is { } scoped)
        {
            return _scope!.Tables is null || ReferenceEquals(call, _scope.DeltaCall) ? scoped.Count : DemandEstimate(call, frame);
        }
        if (_ctx.RuleResults.TryGetValue((call.Name, source), out var known)) return known.Count;
        return JoinEstimate(frame, call.Variables, UnknownRuleRows);
    }

    /// <summary>A call's answers: each position of the rule's relation goes to the argument written there.</summary>
    private static Relation BindCall(RuleCallClause call, Relation result)
    {
        if (call.Args.All(a => a.IsVariable) && call.Variables.Count == call.Args.Length)
        {
            // Distinct variables in every position: the rule's rows as they are, under the caller's names.
            return new Relation([.. call.Args.Select(a => a.Symbol!)], result.Rows, result.Distinct);
        }
        var vars = new List<Symbol>();
        var columnOf = new int[call.Args.Length];
        for (int i = 0; i < call.Args.Length; i++)
        {
            var a = call.Args[i];
            columnOf[i] = a.IsVariable ? IndexOrAdd(vars, a.Symbol!) : -1;
        }
        var rows = new RowList(result.Count);
        var guard = QueryGuard.Current;
        foreach (var r in result.Rows)
        {
            guard.Tick();
            var row = new object?[vars.Count];
            var set = new bool[vars.Count];
            bool keep = true;
            for (int i = 0; i < columnOf.Length && keep; i++)
            {
                var a = call.Args[i];
                if (a.IsConstant)
                {
                    keep = ValueEquality.Instance.Equals(a.Value, r[i]);
                }
                else if (columnOf[i] >= 0)
                {
                    int c = columnOf[i];
                    if (set[c]) keep = ValueEquality.Instance.Equals(row[c], r[i]);
                    row[c] = r[i];
                    set[c] = true;
                }
            }
            if (keep) rows.Add(row);
        }
        bool distinct = call.Args.All(a => !a.IsBlank) && vars.Count == call.Args.Count(a => a.IsVariable);
        return new Relation([.. vars], rows, distinct);
    }

    private static int IndexOrAdd(List<Symbol> vars, Symbol v)
    {
        int i = vars.IndexOf(v);
        if (i >= 0) return i;
        vars.Add(v);
        return vars.Count - 1;
    }

    /// <summary>
    /// A non-recursive rule: each body runs from the caller's values for the bound arguments, so a
    /// body may filter or compute with them; the answers are the union over the bodies.
    /// </summary>
    private Relation Inline(RuleCallClause call, Rule[] bodies, Frame frame, QuerySource source, int depth)
    {
        var seed = BoundValues(call, frame);
        int arity = call.Args.Length;
        var union = new RowList();
        var seen = new HashSet<object?[]>(RowKey.All(arity));
        foreach (var body in bodies)
        {
            var sub = new Frame();
            for (int i = 0; i < arity; i++)
            {
                var a = call.Args[i];
                if (a.IsConstant) sub.Add(new Relation([body.Head[i]], [[a.Value]], true));
            }
            if (seed is not null) sub.Add(Rename(seed, call, body));
            Run(body.Body, sub, source, depth + 1);
            Collect(sub, body, union, seen);
        }
        return new Relation(bodies[0].Head, union, true);
    }

    /// <summary>The combinations of values the frame gives the call's bound variables; null when it binds none.</summary>
    private static Relation? BoundValues(RuleCallClause call, Frame frame)
    {
        var boundVars = call.Args.Where(a => a.IsVariable && frame.IsBound(a.Symbol!)).Select(a => a.Symbol!).Distinct().ToArray();
        if (boundVars.Length == 0) return null;
        var seed = Relation.Unit();
        foreach (var r in frame.Relations)
        {
            var mine = boundVars.Where(r.Has).ToArray();
            if (mine.Length > 0) seed = Joins.Product(seed, Joins.Project(r, mine));
        }
        return seed;
    }

    /// <summary>The seed's columns under the body's head variable names (a variable passed twice fills both).</summary>
    private static Relation Rename(Relation seed, RuleCallClause call, Rule body)
    {
        var vars = new List<Symbol>();
        var from = new List<int>();
        for (int i = 0; i < call.Args.Length; i++)
        {
            var a = call.Args[i];
            if (!a.IsVariable || !seed.Has(a.Symbol!) || vars.Contains(body.Head[i])) continue;
            vars.Add(body.Head[i]);
            from.Add(seed.IndexOf(a.Symbol!));
        }
        var cols = from.ToArray();
        var rows = new RowList(seed.Count);
        foreach (var r in seed.Rows) rows.Add(Joins.Pick(r, cols));
        return new Relation([.. vars], rows, false);
    }

    private static int Collect(Frame sub, Rule body, RowList into, HashSet<object?[]> seen)
    {
        if (sub.IsEmpty) return 0;
        var all = sub.ToRelation();
        var unbound = body.Head.Where(v => !all.Has(v)).ToList();
        if (unbound.Count > 0) throw Errors.Insufficient(unbound, body.Form);
        int added = 0;
        var guard = QueryGuard.Current;
        foreach (var row in Joins.Project(all, body.Head).Rows)
        {
            guard.Tick();
            if (!seen.Add(row)) continue;
            into.Add(row);
            added++;
        }
        return added;
    }

    /// <summary>
    /// Computes every rule of <paramref name="name"/>'s recursive component bottom-up, every tuple
    /// of it (see <see cref="Fixpoint"/>). Results are kept for the rest of the query.
    /// </summary>
    private Relation Recursive(Symbol name, QuerySource source, int depth)
    {
        if (_ctx.RuleResults.TryGetValue((name, source), out var known)) return known;
        var scope = NewScope(name, source, tables: null);
        Fixpoint(name, scope, depth);
        foreach (var m in scope.Members) _ctx.RuleResults[(m, source)] = scope.Full[m];
        return scope.Full[name];
    }

    private RecursionScope NewScope(Symbol name, QuerySource source, Dictionary<(Symbol Rule, long Mask), DemandTable>? tables)
    {
        var scope = new RecursionScope { Members = _ctx.Rules.Graph.Component(name), Source = source, Tables = tables };
        foreach (var m in scope.Members)
        {
            var head = _ctx.Rules.Rules[m][0].Head;
            scope.Seen[m] = new HashSet<object?[]>(RowKey.All(head.Length));
            scope.Full[m] = new Relation(head, [], true);
            scope.Delta[m] = new Relation(head, [], true);
        }
        return scope;
    }

    /// <summary>
    /// Runs the rules of <paramref name="scope"/> semi-naively: the bodies run once with the
    /// relations empty, then repeatedly with one recursive call reading only the tuples new in the
    /// last round, until a round adds nothing (and, driven by demand, asks for no new values).
    /// Terminates on any finite data, cyclic or not.
    /// </summary>
    private void Fixpoint(Symbol name, RecursionScope scope, int depth)
    {
        var outer = _scope;
        _scope = scope;
        try
        {
            var fresh = Round(scope, depth, firstRound: true);
            for (int iteration = 0; fresh.Values.Any(r => r.Count > 0) || HasPendingDemand(scope); iteration++)
            {
                if (iteration >= MaxIterations)
                {
                    throw Errors.QueryWhere($"Rule '{name}' did not reach a fixpoint after {MaxIterations} rounds");
                }
                foreach (var m in scope.Members)
                {
                    scope.Full[m].Rows.AddRange(fresh[m].Rows);
                    scope.Delta[m] = fresh[m];
                }
                fresh = Round(scope, depth, firstRound: false);
            }
        }
        finally
        {
            _scope = outer;
        }
    }

    private Dictionary<Symbol, Relation> Round(RecursionScope scope, int depth, bool firstRound)
    {
        if (scope.Tables is not null) return DemandRound(scope, depth);
        var fresh = new Dictionary<Symbol, Relation>();
        foreach (var m in scope.Members)
        {
            var rows = new RowList();
            foreach (var body in _ctx.Rules.Rules[m])
            {
                var recursiveCalls = RuleGraph.Calls(body.Body).Where(c => scope.Members.Contains(c.Name)).ToList();
                if (firstRound)
                {
                    // Also the bodies with recursive calls: one under an or may have a branch that needs none.
                    scope.DeltaCall = null;
                    RunBody(body, scope, null, rows, depth);
                    continue;
                }
                foreach (var call in recursiveCalls)
                {
                    if (scope.Delta[call.Name].Count == 0) continue;
                    scope.DeltaCall = call;
                    RunBody(body, scope, null, rows, depth);
                }
            }
            fresh[m] = new Relation(scope.Full[m].Vars, rows, true);
        }
        scope.DeltaCall = null;
        return fresh;
    }

    /// <summary>Runs one body, from <paramref name="seed"/>'s values of its head variables when given, adding the new tuples to <paramref name="into"/>.</summary>
    private void RunBody(Rule body, RecursionScope scope, Relation? seed, RowList into, int depth)
    {
        var sub = new Frame();
        if (seed is not null) sub.Add(seed);
        Run(body.Body, sub, scope.Source, depth + 1);
        Collect(sub, body, into, scope.Seen[body.Name]);
    }
}
