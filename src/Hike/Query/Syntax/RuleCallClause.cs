using Hike.Edn;

namespace Hike.Query.Syntax;

/// <summary>A rule invocation <c>($src? name args...)</c>.</summary>
internal sealed class RuleCallClause : Clause
{
    public RuleCallClause(object form, Symbol? source, Symbol name, Term[] args)
        : base(form)
    {
        Source = source;
        Name = name;
        Args = args;
        Variables = Collect(args);
    }

    public Symbol? Source { get; }

    public Symbol Name { get; }

    public Term[] Args { get; }

    public override IReadOnlyList<Symbol> Variables { get; }
}
