using Hike.Edn;

namespace Hike.Query.Syntax;

/// <summary>One clause of a <c>:where</c> (or of a rule body). Immutable.</summary>
internal abstract class Clause
{
    protected Clause(object form) => Form = form;

    /// <summary>The clause as it was written, for errors and <c>Explain</c>.</summary>
    public object Form { get; }

    /// <summary>Every variable the clause mentions, in order of first appearance.</summary>
    public abstract IReadOnlyList<Symbol> Variables { get; }

    public override string ToString() => EdnPrinter.Print(Form);

    protected static IReadOnlyList<Symbol> Collect(IEnumerable<Term> terms)
    {
        var vars = new List<Symbol>();
        foreach (var t in terms)
        {
            if (t.IsVariable && !vars.Contains(t.Symbol!)) vars.Add(t.Symbol!);
        }
        return vars;
    }

    protected static IReadOnlyList<Symbol> Collect(IEnumerable<Clause> clauses)
    {
        var vars = new List<Symbol>();
        foreach (var c in clauses)
        {
            foreach (var v in c.Variables)
            {
                if (!vars.Contains(v)) vars.Add(v);
            }
        }
        return vars;
    }
}
