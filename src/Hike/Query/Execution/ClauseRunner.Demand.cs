using System.Numerics;
using Hike.Edn;
using Hike.Query.Syntax;

namespace Hike.Query.Execution;

/// <summary>
/// Recursive rules driven by demand (magic sets, with the magic relations found while the bodies
/// run rather than by rewriting them): a call whose arguments the caller binds computes only the
/// tuples those values reach. Each rule of the component keeps, per set of bound positions, the
/// values asked for; a body runs from those values, and each recursive call it makes asks for the
/// values its own bound arguments take there. The planner picks the order inside a body, so which
/// positions of a call are bound is read from the frame when the call runs, not fixed in advance.
/// </summary>
internal sealed partial class ClauseRunner
{
    /// <summary>Positions are bits of a <see langword="long"/>; a component with wider rules is computed whole.</summary>
    private const int MaxDemandArity = 62;

    /// <summary>
    /// The last demand-driven answer of each rule, source and set of bound positions in this query,
    /// with the values it was computed for. Only the last: a call repeated with other values each
    /// time (from inside another recursive rule, say) would otherwise grow a list searched at every call.
    /// </summary>
    private readonly Dictionary<(Symbol Rule, QuerySource Source, long Mask), (HashSet<object?[]> Seeds, Relation Result)> _demanded = [];

    /// <summary>A right-linear body, its recursive call and the clauses besides it (see <see cref="TailOf"/>).</summary>
    private sealed record TailBody(Rule Body, RuleCallClause Call, Clause[] Rest);

    /// <summary>The values asked for one rule with one set of bound positions, each tuple holding the bound positions' values in order.</summary>
    private sealed class DemandTable(Symbol rule, long mask, List<TailBody> tails)
    {
        private readonly HashSet<object?[]> _seen = new(RowKey.All(BitOperations.PopCount((ulong)mask)));

        public Symbol Rule { get; } = rule;

        public long Mask { get; } = mask;

        /// <summary>The bodies answered through <see cref="Reach"/> rather than by running them whole.</summary>
        public List<TailBody> Tails { get; } = tails;

        /// <summary>Which values reach which through <see cref="Tails"/>; null when there are none.</summary>
        public TailReach? Reach { get; } = tails.Count > 0 ? new TailReach(Positions(mask)) : null;

        /// <summary>Every value run so far, including <see cref="New"/>.</summary>
        public RowList All { get; } = [];

        /// <summary>The values first run in this round.</summary>
        public RowList New { get; private set; } = [];

        /// <summary>Values asked for during this round, to run from the next one.</summary>
        public RowList Pending { get; private set; } = [];

        /// <summary>Asks for <paramref name="values"/>; a caller reads their answers unless they were only a step on the way to them.</summary>
        public void Ask(object?[] values, bool read = true)
        {
            if (_seen.Add(values)) Pending.Add(values);
            if (read) Reach?.AddOrigin(values);
        }

        /// <summary>Starts a round: what was asked for in the last one becomes <see cref="New"/>.</summary>
        public void Promote()
        {
            New = Pending;
            All.AddRange(Pending);
            Pending = [];
        }
    }

    /// <summary>
    /// A call of a recursive rule from outside its component: computed from the caller's values of
    /// the bound arguments when it has some, else every tuple. A result is reused for values it
    /// covers: every tuple answers anything, the last demand-driven one a subset of its values
    /// (whatever else it holds is true, and the caller's join drops it).
    /// </summary>
    private (Relation Result, string How) RecursiveCall(RuleCallClause call, Frame frame, QuerySource source, int depth)
    {
        long mask = BoundMask(call, frame);
        if (mask == 0 || !DemandDriven(call.Name) || _ctx.RuleResults.ContainsKey((call.Name, source)))
        {
            return (Recursive(call.Name, source, depth), "rule: semi-naive fixpoint");
        }
        var seeds = new HashSet<object?[]>(DemandTuples(call, frame, mask), RowKey.All(BitOperations.PopCount((ulong)mask)));
        var key = (call.Name, source, mask);
        if (_demanded.TryGetValue(key, out var earlier) && earlier.Seeds.IsSupersetOf(seeds))
        {
            return (earlier.Result, "rule: tuples computed earlier for these values");
        }
        var tables = new Dictionary<(Symbol Rule, long Mask), DemandTable>();
        var scope = NewScope(call.Name, source, tables);
        var table = TableOf(scope, call.Name, mask);
        foreach (var s in seeds) table.Ask(s);
        Fixpoint(call.Name, scope, depth);
        var result = scope.Full[call.Name];
        _demanded[key] = (seeds, result);
        return (result, $"rule: semi-naive fixpoint from {seeds.Count} bound value(s)");
    }

    /// <summary>
    /// Whether <paramref name="rule"/>'s component may run from its callers' values. Not when a rule
    /// of it reads another under <c>not</c>: computed whole, such a component gives the answers it
    /// always gave.
    /// </summary>
    private bool DemandDriven(Symbol rule) =>
        !_ctx.Rules.Graph.IsNegatedInside(rule) && _ctx.Rules.Graph.Component(rule).All(m => _ctx.Rules.Rules[m][0].Head.Length <= MaxDemandArity);

    private DemandTable TableOf(RecursionScope scope, Symbol rule, long mask)
    {
        if (!scope.Tables!.TryGetValue((rule, mask), out var table))
        {
            var tails = mask == 0 ? [] : _ctx.Rules.Rules[rule].Select(b => TailOf(b, mask, scope.Members)).OfType<TailBody>().ToList();
            scope.Tables[(rule, mask)] = table = new DemandTable(rule, mask, tails);
        }
        return table;
    }

    /// <summary>
    /// Asks, for a recursive call inside the component, for the values its bound arguments take in
    /// <paramref name="frame"/>, and answers with the tuples of <paramref name="full"/> (the rule's
    /// tuples so far) that match them.
    /// </summary>
    private Relation Demand(RecursionScope scope, RuleCallClause call, Frame frame, Relation full)
    {
        long mask = BoundMask(call, frame);
        var table = TableOf(scope, call.Name, mask);
        var asked = new List<object?[]>();
        foreach (var values in DemandTuples(call, frame, mask))
        {
            table.Ask(values);
            asked.Add(values);
        }
        if (mask == 0) return full;
        if (!scope.Indexes.TryGetValue((call.Name, mask), out var index)) scope.Indexes[(call.Name, mask)] = index = new TupleIndex(Positions(mask));
        return new Relation(full.Vars, index.Matching(full.Rows, asked), full.Distinct);
    }

    /// <summary>
    /// The planner's guess for a recursive call inside a demand-driven component: one row per
    /// combination of bound values, and last of all when nothing is bound, since such a call asks
    /// for every tuple of its rule.
    /// </summary>
    private static double DemandEstimate(RuleCallClause call, Frame frame)
    {
        if (BoundMask(call, frame) == 0) return UnknownRuleRows * UnknownRuleRows;
        var bound = call.Variables.Where(frame.IsBound).ToList();
        return bound.Count == 0 ? 1 : RowsOf(frame, bound);
    }

    /// <summary>The positions of <paramref name="call"/> holding a constant or a variable <paramref name="frame"/> binds.</summary>
    private static long BoundMask(RuleCallClause call, Frame frame)
    {
        long mask = 0;
        for (int i = 0; i < call.Args.Length; i++)
        {
            var a = call.Args[i];
            if (a.IsConstant || a.IsVariable && frame.IsBound(a.Symbol!)) mask |= 1L << i;
        }
        return mask;
    }

    /// <summary>The values of the positions in <paramref name="mask"/>, one tuple per combination the frame holds.</summary>
    private static IEnumerable<object?[]> DemandTuples(RuleCallClause call, Frame frame, long mask)
    {
        var bound = BoundValues(call, frame) ?? Relation.Unit();
        var positions = Positions(mask);
        var columns = positions.Select(i => call.Args[i].IsVariable ? bound.IndexOf(call.Args[i].Symbol!) : -1).ToArray();
        var guard = QueryGuard.Current;
        foreach (var row in bound.Rows)
        {
            guard.Tick();
            var values = new object?[positions.Length];
            for (int j = 0; j < positions.Length; j++) values[j] = columns[j] >= 0 ? row[columns[j]] : call.Args[positions[j]].Value;
            yield return values;
        }
    }

    private static int[] Positions(long mask)
    {
        var positions = new int[BitOperations.PopCount((ulong)mask)];
        for (int i = 0, j = 0; j < positions.Length; i++)
        {
            if ((mask & (1L << i)) != 0) positions[j++] = i;
        }
        return positions;
    }

    private static bool HasPendingDemand(RecursionScope scope) => scope.Tables?.Values.Any(t => t.Pending.Count > 0) == true;

    /// <summary>
    /// One round driven by demand. Each body runs from the values first asked for in the last round
    /// with every recursive call reading all tuples so far, then from all values asked for with one
    /// recursive call reading only the last round's new tuples: together they meet every
    /// combination that holds something new. A right-linear body runs only from the new values,
    /// without its recursive call, to find the steps its call would take.
    /// </summary>
    private Dictionary<Symbol, Relation> DemandRound(RecursionScope scope, int depth)
    {
        var tables = scope.Tables!.Values.ToList();
        foreach (var t in tables) t.Promote();
        var rows = scope.Members.ToDictionary(m => m, _ => new RowList());
        foreach (var table in tables)
        {
            foreach (var body in _ctx.Rules.Rules[table.Rule])
            {
                if (table.Tails.Find(t => ReferenceEquals(t.Body, body)) is { } tail)
                {
                    if (table.New.Count > 0) Steps(tail, table, scope, depth);
                    continue;
                }
                if (table.New.Count > 0)
                {
                    scope.DeltaCall = null;
                    RunBody(body, scope, Seed(body, table.Mask, table.New), rows[table.Rule], depth);
                }
                if (table.All.Count == 0) continue;
                foreach (var call in RuleGraph.Calls(body.Body))
                {
                    if (!scope.Members.Contains(call.Name) || scope.Delta[call.Name].Count == 0) continue;
                    scope.DeltaCall = call;
                    RunBody(body, scope, Seed(body, table.Mask, table.All), rows[table.Rule], depth);
                }
            }
        }
        scope.DeltaCall = null;
        // Tables asked for during the round take in their origins too.
        foreach (var table in scope.Tables.Values)
        {
            table.Reach?.Advance(scope.Full[table.Rule].Rows, rows[table.Rule], scope.Seen[table.Rule]);
        }
        return scope.Members.ToDictionary(m => m, m => new Relation(scope.Full[m].Vars, rows[m], true));
    }

    /// <summary>
    /// A right-linear body <c>p(B, F) :- rest, p(B', F)</c> for bound positions B: its free head
    /// variables go unchanged to the same positions of its one recursive call, which is to the same
    /// rule from the same source, and appear nowhere else; the call's bound arguments are constants,
    /// bound head variables or variables the rest binds. Null when <paramref name="body"/> is not.
    /// </summary>
    private static TailBody? TailOf(Rule body, long mask, HashSet<Symbol> members)
    {
        var calls = RuleGraph.Calls(body.Body).Where(c => members.Contains(c.Name)).ToList();
        if (calls is not [{ Source: null } call] || call.Name != body.Name || !body.Body.Contains(call)) return null;
        var rest = body.Body.Where(c => !ReferenceEquals(c, call)).ToArray();
        var boundHead = Positions(mask).Select(i => body.Head[i]).ToHashSet();
        for (int i = 0; i < body.Head.Length; i++)
        {
            var a = call.Args[i];
            bool ok = (mask & (1L << i)) != 0
                ? a.IsConstant || a.IsVariable && (boundHead.Contains(a.Symbol!) || rest.Any(c => Binds(c, a.Symbol!)))
                : a.IsVariable && a.Symbol == body.Head[i] && !rest.Any(c => c.Variables.Contains(a.Symbol!));
            if (!ok) return null;
        }
        return new TailBody(body, call, rest);
    }

    /// <summary>Whether <paramref name="clause"/> always binds <paramref name="v"/> when it runs.</summary>
    private static bool Binds(Clause clause, Symbol v) => clause switch
    {
        PatternClause or RuleCallClause => clause.Variables.Contains(v),
        FunctionClause { Binding: { } binding } => binding.Variables.Contains(v),
        _ => false,
    };

    /// <summary>Runs a right-linear body without its recursive call from the values new in this round, recording the steps to the values the call asks for.</summary>
    private void Steps(TailBody tail, DemandTable table, RecursionScope scope, int depth)
    {
        var sub = new Frame();
        sub.Add(Seed(tail.Body, table.Mask, table.New)!);
        Run(tail.Rest, sub, scope.Source, depth + 1);
        if (sub.IsEmpty) return;
        var positions = Positions(table.Mask);
        var from = positions.Select(i => tail.Body.Head[i]).ToArray();
        var to = positions.Select(i => tail.Call.Args[i]).ToArray();
        var needed = from.Concat(to.Where(a => a.IsVariable).Select(a => a.Symbol!)).Distinct().ToArray();
        var all = sub.ToRelation();
        var unbound = needed.Where(v => !all.Has(v)).ToList();
        if (unbound.Count > 0) throw Errors.Insufficient(unbound, tail.Body.Form);
        var steps = Joins.Project(all, needed);
        var fromCols = steps.Columns(from);
        var toCols = to.Select(a => a.IsVariable ? steps.IndexOf(a.Symbol!) : -1).ToArray();
        var guard = QueryGuard.Current;
        foreach (var row in steps.Rows)
        {
            guard.Tick();
            var next = new object?[to.Length];
            for (int j = 0; j < to.Length; j++) next[j] = toCols[j] >= 0 ? row[toCols[j]] : to[j].Value;
            table.Reach!.NewSteps.Add((Joins.Pick(row, fromCols), next));
            table.Ask(next, read: false);
        }
    }

    /// <summary>Asked-for values as a relation over <paramref name="body"/>'s head variables in the bound positions (the parser rejects a head repeating one); null when nothing is bound.</summary>
    private static Relation? Seed(Rule body, long mask, RowList values) =>
        mask == 0 ? null : new Relation([.. Positions(mask).Select(i => body.Head[i])], values, true);
}
