using Hike.Edn;

namespace Hike.Query.Syntax;

/// <summary>A data pattern <c>[$src? e a v tx added]</c> with one to five positions (the rest are <c>_</c>).</summary>
internal sealed class PatternClause : Clause
{
    public PatternClause(object form, Symbol? source, Term[] terms)
        : base(form)
    {
        Source = source;
        Terms = terms;
        Variables = Collect(terms);
    }

    /// <summary>The source the pattern names; null for the default source (<c>$</c>, or the one an enclosing clause names).</summary>
    public Symbol? Source { get; }

    /// <summary>Exactly five terms: entity, attribute, value, transaction, added.</summary>
    public Term[] Terms { get; }

    public override IReadOnlyList<Symbol> Variables { get; }
}
