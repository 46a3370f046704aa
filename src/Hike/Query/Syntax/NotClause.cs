using Hike.Edn;

namespace Hike.Query.Syntax;

/// <summary>
/// <c>(not clause...)</c> or <c>(not-join [vars] clause...)</c>: keeps the rows for which the body
/// has no match. <see cref="JoinVariables"/> are the variables shared with the enclosing clauses.
/// </summary>
internal sealed class NotClause : Clause
{
    public NotClause(object form, Symbol? source, IReadOnlyList<Symbol>? joinVariables, Clause[] body)
        : base(form)
    {
        Source = source;
        Body = body;
        IsJoin = joinVariables is not null;
        JoinVariables = joinVariables ?? Collect(body);
        Variables = JoinVariables;
    }

    public Symbol? Source { get; }

    /// <summary>True for <c>not-join</c>, whose join variables are listed.</summary>
    public bool IsJoin { get; }

    public IReadOnlyList<Symbol> JoinVariables { get; }

    public Clause[] Body { get; }

    public override IReadOnlyList<Symbol> Variables { get; }
}
