using Hike.Edn;
using Hike.Query.Syntax;

namespace Hike.Query.Execution;

internal sealed partial class ClauseRunner
{
    private static readonly Symbol FullTextFunction = Symbol.Intern("fulltext");

    /// <summary>
    /// The rows a ready <c>[(fulltext $ :attr query) …]</c> clause will bind, from the full-text index's
    /// statistics, so the planner can weigh it against the other clauses instead of running it first as
    /// other functions are; null for any other function, or when its arguments are not all known here
    /// (then it runs as a function does, and reports what is wrong with them).
    /// </summary>
    private double? FullTextEstimate(FunctionClause f, Frame frame, QuerySource? defaultSource)
    {
        if (!f.Function.IsConstant || !ReferenceEquals(f.Function.Value, FullTextFunction) || f.Args.Length != 3) return null;
        if (f.Args[0].Kind != TermKind.Source) return null;
        if (_ctx.Source(f.Args[0].Symbol, defaultSource, f.Form) is not DbSource { View: var view }) return null;
        if (f.Args[1].Value is not Keyword ident || !view.Schema.TryGet(ident, out var attribute) || !attribute.FullText) return null;
        object? query = f.Args[2].IsConstant ? f.Args[2].Value : frame.TryGetSingle(f.Args[2].Symbol!, out var bound) ? bound : null;
        if (query is not string text) return null;
        try
        {
            return view.FullTextEstimate(attribute, text);
        }
        catch (HikeException)
        {
            return null;
        }
    }
}
