using Hike.Edn;

namespace Hike.Query.Syntax;

/// <summary><c>(and clause...)</c> outside an <c>or</c>: all of its clauses, as if written in place.</summary>
internal sealed class AndClause : Clause
{
    public AndClause(object form, Clause[] body)
        : base(form)
    {
        Body = body;
        Variables = Collect(body);
    }

    public Clause[] Body { get; }

    public override IReadOnlyList<Symbol> Variables { get; }
}
