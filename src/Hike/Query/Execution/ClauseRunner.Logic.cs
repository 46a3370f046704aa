using Hike.Edn;
using Hike.Query.Syntax;

namespace Hike.Query.Execution;

internal sealed partial class ClauseRunner
{
    /// <summary>Removes the rows for which the body has an answer, evaluating the body once for all of them.</summary>
    private string RunNot(NotClause n, Frame frame, QuerySource? defaultSource, int depth)
    {
        var joinVars = n.JoinVariables.Where(frame.IsBound).ToArray();
        var input = frame.Collapse(joinVars);
        var sub = new Frame();
        sub.Add(Joins.Project(input, joinVars));
        var source = _ctx.Scope(n.Source, defaultSource, n.Form);
        Run(n.Body, sub, source, depth + 1);
        var matches = sub.IsEmpty ? new Relation(joinVars, [], true) : Joins.Project(sub.ToRelation(), joinVars);
        frame.Replace(input, Joins.AntiJoin(input, matches));
        return $"anti-join on [{string.Join(" ", joinVars.Select(v => v.ToString()))}]";
    }

    /// <summary>Runs each branch from the bound values of the join variables and joins the union of their answers.</summary>
    private string RunOr(OrClause o, Frame frame, QuerySource? defaultSource, int depth)
    {
        var bound = o.JoinVariables.Where(frame.IsBound).ToArray();
        Relation? input = bound.Length > 0 ? frame.Collapse(bound) : null;
        var seed = input is null ? null : Joins.Project(input, bound);
        var source = _ctx.Scope(o.Source, defaultSource, o.Form);
        var union = new RowList();
        var seen = new HashSet<object?[]>(RowKey.All(o.JoinVariables.Count));
        foreach (var branch in o.Branches)
        {
            var sub = new Frame();
            if (seed is not null) sub.Add(seed);
            Run(branch, sub, source, depth + 1);
            if (sub.IsEmpty) continue;
            var all = sub.ToRelation();
            var unbound = o.JoinVariables.Where(v => !all.Has(v)).ToList();
            if (unbound.Count > 0) throw Errors.Insufficient(unbound, o.Form);
            var guard = QueryGuard.Current;
            foreach (var row in Joins.Project(all, o.JoinVariables).Rows)
            {
                guard.Tick();
                if (seen.Add(row)) union.Add(row);
            }
        }
        var result = new Relation([.. o.JoinVariables], union, true);
        if (input is null) frame.Add(result);
        else frame.Replace(input, Joins.HashJoin(input, result));
        return $"union of {o.Branches.Length} branches";
    }
}
