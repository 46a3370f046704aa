using Hike.Edn;

namespace Hike.Query.Syntax;

/// <summary>One entry of <c>:in</c>: a source (<c>$</c>, <c>$name</c>), the rules (<c>%</c>) or a binding.</summary>
internal sealed class InputSpec
{
    private InputSpec(Symbol? source, bool rules, Binding? binding)
    {
        Source = source;
        IsRules = rules;
        Binding = binding;
    }

    public Symbol? Source { get; }

    public bool IsRules { get; }

    public Binding? Binding { get; }

    public static InputSpec ForSource(Symbol name) => new(name, false, null);

    public static InputSpec ForRules() => new(null, true, null);

    public static InputSpec ForBinding(Binding binding) => new(null, false, binding);

    public override string ToString() => Source?.ToString() ?? (IsRules ? "%" : Binding!.ToString());
}
