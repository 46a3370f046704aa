using Hike.Db;
using Hike.Edn;
using Hike.Query.Syntax;

namespace Hike.Query.Execution;

/// <summary>
/// Datahike resolves the lookup refs and idents written in a query's data patterns (in the entity
/// position, the value position of a ref attribute, and for lookup refs the transaction position), and
/// those given as scalar inputs in an entity position, before it runs the query, and one that names no
/// entity is the error "Nothing found for entity id"; the engine itself only reads a pattern that refers to nothing as
/// matching nothing (which is right for values bound by collections or other clauses). This check
/// raises that error, over the <c>:where</c> clauses with what <c>not</c>, <c>or</c> and <c>and</c>
/// hold, and the bodies of the rules they call. Single-threaded.
/// </summary>
internal static class LookupRefCheck
{
    private const int E = 0, A = 1, V = 2, T = 3;

    /// <summary>
    /// Throws <c>entity-id/missing</c> (or the lookup ref's syntax error) for the first lookup ref that
    /// resolves to nothing; <paramref name="scalars"/> are the variables bound by scalar inputs, with
    /// their values (Datahike's query constants).
    /// </summary>
    public static void Run(IReadOnlyList<Clause> where, QueryContext context, IReadOnlyDictionary<Symbol, object?> scalars)
    {
        var visited = new HashSet<(Symbol, QuerySource?)>();
        Walk(where, context, context.Sources.GetValueOrDefault(QueryContext.DefaultSource), scalars, visited);
    }

    private static void Walk(IEnumerable<Clause> clauses, QueryContext context, QuerySource? source, IReadOnlyDictionary<Symbol, object?> scalars, HashSet<(Symbol, QuerySource?)> visited)
    {
        foreach (var clause in clauses)
        {
            switch (clause)
            {
                case PatternClause p when (p.Source is null ? source : context.Sources.GetValueOrDefault(p.Source)) is DbSource db:
                    Check(p, db.View, scalars);
                    break;
                case AndClause and:
                    Walk(and.Body, context, source, scalars, visited);
                    break;
                case NotClause not:
                    Walk(not.Body, context, Scope(not.Source, source, context), scalars, visited);
                    break;
                case OrClause or:
                    foreach (var branch in or.Branches) Walk(branch, context, Scope(or.Source, source, context), scalars, visited);
                    break;
                case RuleCallClause call:
                    var callSource = Scope(call.Source, source, context);
                    if (!visited.Add((call.Name, callSource)) || !context.Rules.TryGet(call.Name, out var bodies)) break;
                    // DATAHIKE: resolves a rule body's lookup refs when the body runs; checking every rule the
                    // query calls keeps the error independent of the order the planner picks. A rule body has
                    // variables of its own: the query's scalar inputs do not reach it.
                    foreach (var body in bodies) Walk(body.Body, context, callSource, EmptyScalars, visited);
                    break;
            }
        }
    }

    private static readonly IReadOnlyDictionary<Symbol, object?> EmptyScalars = new Dictionary<Symbol, object?>();

    private static QuerySource? Scope(Symbol? name, QuerySource? source, QueryContext context) =>
        name is null ? source : context.Sources.GetValueOrDefault(name);

    private static void Check(PatternClause p, DbView view, IReadOnlyDictionary<Symbol, object?> scalars)
    {
        var e = p.Terms[E];
        if (e.IsConstant) Resolve(view, e.Value, idents: true);
        else if (e.IsVariable && scalars.TryGetValue(e.Symbol!, out var input)) Resolve(view, input, idents: true);
        var a = p.Terms[A];
        if (p.Terms[V].IsConstant && a.IsConstant && a.Value is Keyword k && view.Schema.TryGet(k, out var attr) && attr.IsRef)
        {
            Resolve(view, p.Terms[V].Value, idents: true);
        }
        if (p.Terms[T].IsConstant) Resolve(view, p.Terms[T].Value, idents: false);
    }

    /// <summary>
    /// Resolves <paramref name="value"/> strictly when it is a lookup ref, or with <paramref name="idents"/>
    /// an ident (Datahike's attr?: a keyword or a string, which is no entity id at all).
    /// </summary>
    private static void Resolve(DbView view, object? value, bool idents)
    {
        if (value is not null && (ValueEquality.IsSequential(value) || idents && value is Keyword or string)) view.EntidStrict(value);
    }
}
