using Hike.Edn;

namespace Hike.Query.Syntax;

/// <summary>What one column of a <c>:find</c> holds.</summary>
internal enum FindElementKind
{
    /// <summary><c>?x</c>.</summary>
    Variable,

    /// <summary><c>(pull $src? ?e pattern)</c>.</summary>
    Pull,

    /// <summary><c>(aggregate-fn args... ?x)</c>.</summary>
    Aggregate,
}

/// <summary>One element of a find spec. Immutable.</summary>
internal sealed class FindElement
{
    private FindElement(FindElementKind kind, Symbol variable, Symbol? source, Term pattern, Symbol? function, Term[] args, object form)
    {
        Kind = kind;
        Variable = variable;
        Source = source;
        Pattern = pattern;
        Function = function;
        Args = args;
        Form = form;
    }

    public FindElementKind Kind { get; }

    /// <summary>The variable the element reads (the aggregated one for aggregates).</summary>
    public Symbol Variable { get; }

    /// <summary>The source a pull reads, <c>$</c> unless named.</summary>
    public Symbol? Source { get; }

    /// <summary>A pull's pattern: a literal, or a variable naming an input.</summary>
    public Term Pattern { get; }

    /// <summary>An aggregate's function: a built-in name, <c>aggregate</c>, or a variable bound to a function.</summary>
    public Symbol? Function { get; }

    /// <summary>An aggregate's arguments before the aggregated variable (e.g. <c>n</c> of <c>(max n ?x)</c>).</summary>
    public Term[] Args { get; }

    public object Form { get; }

    public static FindElement ForVariable(Symbol variable) =>
        new(FindElementKind.Variable, variable, null, Term.Blank, null, [], variable);

    public static FindElement ForPull(Symbol source, Symbol variable, Term pattern, object form) =>
        new(FindElementKind.Pull, variable, source, pattern, null, [], form);

    public static FindElement ForAggregate(Symbol function, Term[] args, Symbol variable, object form) =>
        new(FindElementKind.Aggregate, variable, null, Term.Blank, function, args, form);

    public override string ToString() => EdnPrinter.Print(Form);
}
