using Hike.Edn;
using Hike.Query.Functions;
using Hike.Query.Syntax;

namespace Hike.Query.Execution;

/// <summary>
/// Runs a list of clauses against a <see cref="Frame"/>, choosing the order itself: clauses that
/// only filter (predicates, function calls, <c>not</c>) as soon as their inputs are bound; then the
/// data pattern, <c>or</c> or rule call expected to produce the fewest rows given what is bound,
/// with comparison predicates on a pattern's value folded into its index scan. The written order
/// never matters. Single-threaded.
/// </summary>
internal sealed partial class ClauseRunner
{
    private const double UnknownRuleRows = 100_000;

    private readonly QueryContext _ctx;

    public ClauseRunner(QueryContext ctx) => _ctx = ctx;

    public void Run(IReadOnlyList<Clause> clauses, Frame frame, QuerySource? defaultSource, int depth)
    {
        var pending = new List<Clause>();
        Flatten(clauses, pending);
        var guard = QueryGuard.Current;
        // The clause of an or, not or rule body is what runs until it returns; then the enclosing one is again.
        var enclosing = guard.Step;
        while (pending.Count > 0 && !frame.IsEmpty)
        {
            var choice = Choose(pending, frame, defaultSource);
            pending.Remove(choice.Clause);
            foreach (var absorbed in choice.Absorbed) pending.Remove(absorbed);
            guard.Step = choice.Clause;
            guard.Check();
            long started = _ctx.Plan is null ? 0 : System.Diagnostics.Stopwatch.GetTimestamp();
            string how = Execute(choice, frame, defaultSource, depth);
            if (_ctx.Plan is { } plan)
            {
                string text = choice.Absorbed.Count == 0 ? choice.Clause.ToString() : $"{choice.Clause} {string.Join(" ", choice.Absorbed)}";
                long actual = choice.Clause.Variables.Count == 0 ? (frame.IsEmpty ? 0 : 1) : RowsOf(frame, choice.Clause.Variables);
                plan.Add(new PlanStep(depth, text, how, choice.Estimate, actual, System.Diagnostics.Stopwatch.GetElapsedTime(started)));
            }
        }
        guard.Step = enclosing;
    }

    private static void Flatten(IReadOnlyList<Clause> clauses, List<Clause> into)
    {
        foreach (var c in clauses)
        {
            if (c is AndClause and) Flatten(and.Body, into);
            else into.Add(c);
        }
    }

    private sealed record Choice(Clause Clause, double Estimate, DbPattern? Pattern, List<Clause> Absorbed);

    private Choice Choose(List<Clause> pending, Frame frame, QuerySource? defaultSource)
    {
        Dictionary<Clause, double>? searches = null;
        foreach (var c in pending)
        {
            if (c is FunctionClause f && f.Inputs.All(frame.IsBound))
            {
                if (SecondaryIndexEstimate(f, frame, defaultSource) is not { } matches) return new Choice(c, RowsOf(frame, f.Inputs), null, []);
                (searches ??= [])[c] = matches;
            }
            if (c is NotClause n && NotReady(n, pending, frame)) return new Choice(c, RowsOf(frame, n.JoinVariables), null, []);
        }
        Choice? best = null;
        foreach (var c in pending)
        {
            Choice? candidate = c switch
            {
                FunctionClause when searches is not null && searches.TryGetValue(c, out double matches) => new Choice(c, matches, null, []),
                PatternClause p => PatternChoice(p, pending, frame, defaultSource),
                OrClause o when o.Required.All(frame.IsBound) && !Deferred(o, pending, frame) => new Choice(c, JoinEstimate(frame, o.JoinVariables, UnknownRuleRows), null, []),
                RuleCallClause r when RuleReady(r, frame) && (Scoped(r, defaultSource) is not null || !Deferred(r, pending, frame)) => new Choice(c, RuleEstimate(r, frame, defaultSource), null, []),
                _ => null,
            };
            if (candidate is not null && (best is null || candidate.Estimate < best.Estimate)) best = candidate;
        }
        return best ?? throw Stuck(pending, frame);
    }

    private Choice PatternChoice(PatternClause p, List<Clause> pending, Frame frame, QuerySource? defaultSource)
    {
        var source = _ctx.Source(p.Source, defaultSource, p.Form);
        if (source is CollectionSource coll) return new Choice(p, coll.Tuples.Count, null, []);
        var view = ((DbSource)source).View;
        var absorbed = new List<Clause>();
        var range = RangeFor(p, pending, frame, absorbed);
        var pattern = new DbPattern(view, p, frame, range);
        double estimate = pattern.Estimate(InputRows(frame, pattern.RowVars));
        var binding = frame.Relations.Where(r => pattern.RowVars.Any(r.Has)).ToList();
        if (binding.Count > 1)
        {
            // Its variables are bound by several relations: rather than read the pattern once per row
            // of their product, it may read per row of one and leave the others to a hash join.
            foreach (var r in binding)
            {
                var narrow = new DbPattern(view, p, frame, range, rowsFrom: r);
                double e = narrow.Estimate(r.Count);
                if (e < estimate) (pattern, estimate) = (narrow, e);
            }
        }
        return new Choice(p, estimate, pattern, absorbed);
    }

    /// <summary>
    /// Comparison predicates between the pattern's value variable and a known value, which the
    /// pattern can apply while it reads (as index bounds when its attribute is in AVET).
    /// </summary>
    private static ValueRange? RangeFor(PatternClause p, List<Clause> pending, Frame frame, List<Clause> absorbed)
    {
        var v = p.Terms[2];
        if (!v.IsVariable || frame.IsBound(v.Symbol!) || !p.Terms[1].IsConstant) return null;
        if (p.Terms.Count(t => t.IsVariable && t.Symbol == v.Symbol) > 1) return null;
        ValueRange? range = null;
        foreach (var c in pending)
        {
            if (c is not FunctionClause { IsPredicate: true } f || f.Args.Length != 2 || !f.Function.IsConstant) continue;
            if (f.Function.Value is not Symbol fn || !BuiltIns.RangePredicates.TryGetValue(fn, out var shape)) continue;
            bool left = f.Args[0].IsVariable && f.Args[0].Symbol == v.Symbol;
            bool right = f.Args[1].IsVariable && f.Args[1].Symbol == v.Symbol;
            if (left == right) continue;
            var other = left ? f.Args[1] : f.Args[0];
            object? bound;
            if (other.IsConstant) bound = other.Value;
            else if (!other.IsVariable || !frame.TryGetSingle(other.Symbol!, out bound)) continue;
            if (bound is null || !(Numbers.IsNumber(bound) || bound is string or DateTime)) continue;
            bool low = left ? shape.Low : !shape.Low;
            range ??= ValueRange.All;
            range = low ? range.WithLow(bound, shape.Strict) : range.WithHigh(bound, shape.Strict);
            absorbed.Add(c);
        }
        return range;
    }

    private string Execute(Choice choice, Frame frame, QuerySource? defaultSource, int depth)
    {
        switch (choice.Clause)
        {
            case PatternClause p when choice.Pattern is { } pattern:
                return pattern.Run(frame, _ctx.Scans);
            case PatternClause p:
                frame.Add(CollectionPattern.Match(p, (CollectionSource)_ctx.Source(p.Source, defaultSource, p.Form)));
                return "match collection";
            case FunctionClause f:
                return RunFunction(f, frame, defaultSource);
            case NotClause n:
                return RunNot(n, frame, defaultSource, depth);
            case OrClause o:
                return RunOr(o, frame, defaultSource, depth);
            default:
                return RunRule((RuleCallClause)choice.Clause, frame, defaultSource, depth);
        }
    }

    /// <summary>A <c>not</c> runs once every variable it shares with the rest of the query is bound.</summary>
    private static bool NotReady(NotClause n, List<Clause> pending, Frame frame)
    {
        if (n.IsJoin) return n.JoinVariables.All(frame.IsBound);
        bool any = false;
        foreach (var v in n.JoinVariables)
        {
            if (frame.IsBound(v))
            {
                any = true;
                continue;
            }
            foreach (var c in pending)
            {
                if (!ReferenceEquals(c, n) && c.Variables.Contains(v)) return false;
            }
        }
        return any;
    }

    /// <summary>An <c>or</c> or rule call waits while a pending data pattern can still bind one of its variables.</summary>
    private static bool Deferred(Clause clause, List<Clause> pending, Frame frame)
    {
        foreach (var v in clause.Variables)
        {
            if (frame.IsBound(v)) continue;
            foreach (var c in pending)
            {
                if (c is PatternClause && c.Variables.Contains(v)) return true;
            }
        }
        return false;
    }

    private HikeException Stuck(List<Clause> pending, Frame frame)
    {
        var clause = pending[0];
        IEnumerable<Symbol> needed = clause switch
        {
            FunctionClause f => f.Inputs,
            NotClause n => n.JoinVariables,
            OrClause o => o.Required,
            RuleCallClause r => RequiredArgs(r),
            _ => clause.Variables,
        };
        var missing = needed.Where(v => !frame.IsBound(v)).ToList();
        if (clause is NotClause { IsJoin: false } && missing.Count == 0) missing = [.. clause.Variables];
        return Errors.Insufficient(missing, clause.Form);
    }

    private static long RowsOf(Frame frame, IEnumerable<Symbol> vars)
    {
        long rows = 1;
        bool any = false;
        foreach (var r in frame.Relations)
        {
            if (!vars.Any(r.Has)) continue;
            rows *= r.Count;
            any = true;
        }
        return any ? rows : 0;
    }

    private static long InputRows(Frame frame, IReadOnlyList<Symbol> vars) => vars.Count == 0 ? 1 : RowsOf(frame, vars);

    private static double JoinEstimate(Frame frame, IReadOnlyList<Symbol> vars, double unbound)
    {
        var bound = vars.Where(frame.IsBound).ToList();
        return bound.Count == 0 ? unbound : RowsOf(frame, bound);
    }
}
