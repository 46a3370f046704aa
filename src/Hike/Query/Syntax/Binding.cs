using Hike.Edn;

namespace Hike.Query.Syntax;

/// <summary>The shape of a value being bound: an input of <c>:in</c> or the result of a function clause.</summary>
internal enum BindingKind
{
    /// <summary><c>?x</c> or <c>_</c>.</summary>
    Scalar,

    /// <summary><c>[?a ?b]</c>: one sequence, element by element.</summary>
    Tuple,

    /// <summary><c>[?x ...]</c> (or <c>[[?a ?b] ...]</c>): every element of a collection.</summary>
    Collection,
}

/// <summary>A binding form, <c>?x</c>, <c>_</c>, <c>[b ...]</c> or <c>[b1 b2]</c>, nested freely. Immutable.</summary>
internal sealed class Binding
{
    private Binding(BindingKind kind, Symbol? variable, Binding[] parts, object form)
    {
        Kind = kind;
        Variable = variable;
        Parts = parts;
        Form = form;
        var vars = new List<Symbol>();
        Gather(vars);
        Variables = vars;
    }

    public BindingKind Kind { get; }

    /// <summary>The variable of a scalar binding; null for <c>_</c>.</summary>
    public Symbol? Variable { get; }

    /// <summary>The elements of a tuple, or the one element of a collection.</summary>
    public Binding[] Parts { get; }

    public object Form { get; }

    public IReadOnlyList<Symbol> Variables { get; }

    public static Binding Scalar(Symbol? variable, object form) => new(BindingKind.Scalar, variable, [], form);

    public static Binding Tuple(Binding[] parts, object form) => new(BindingKind.Tuple, null, parts, form);

    public static Binding Collection(Binding element, object form) => new(BindingKind.Collection, null, [element], form);

    public override string ToString() => EdnPrinter.Print(Form);

    private void Gather(List<Symbol> into)
    {
        if (Variable is not null && !into.Contains(Variable)) into.Add(Variable);
        foreach (var p in Parts) p.Gather(into);
    }
}
