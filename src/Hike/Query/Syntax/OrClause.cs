using Hike.Edn;

namespace Hike.Query.Syntax;

/// <summary>
/// <c>(or branch...)</c> or <c>(or-join [[required...] vars...] branch...)</c>: the union of the
/// branches' answers, projected onto <see cref="JoinVariables"/>. A branch is one clause or
/// <c>(and clause...)</c>.
/// </summary>
internal sealed class OrClause : Clause
{
    public OrClause(object form, Symbol? source, IReadOnlyList<Symbol> joinVariables, IReadOnlyList<Symbol> required, Clause[][] branches)
        : base(form)
    {
        Source = source;
        JoinVariables = joinVariables;
        Required = required;
        Branches = branches;
    }

    public Symbol? Source { get; }

    public IReadOnlyList<Symbol> JoinVariables { get; }

    /// <summary>
    /// The variables that must be bound before the clause runs: the required group of <c>or-join</c>,
    /// and every join variable some branch does not mention (that branch takes its value from outside).
    /// </summary>
    public IReadOnlyList<Symbol> Required { get; }

    public Clause[][] Branches { get; }

    public override IReadOnlyList<Symbol> Variables => JoinVariables;
}
