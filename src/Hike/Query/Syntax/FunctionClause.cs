using Hike.Edn;

namespace Hike.Query.Syntax;

/// <summary>
/// A call <c>[(f args...)]</c> used as a predicate (no binding) or <c>[(f args...) binding]</c>
/// binding its result.
/// </summary>
internal sealed class FunctionClause : Clause
{
    public FunctionClause(object form, Term function, Term[] args, Binding? binding)
        : base(form)
    {
        Function = function;
        Args = args;
        Binding = binding;
        var inputs = new List<Term>(args);
        if (function.IsVariable) inputs.Insert(0, function);
        Inputs = Collect(inputs);
        var all = new List<Symbol>(Inputs);
        if (binding is not null)
        {
            foreach (var v in binding.Variables)
            {
                if (!all.Contains(v)) all.Add(v);
            }
        }
        Variables = all;
    }

    /// <summary>The function: a symbol naming a built-in or registered function, or a variable bound to one.</summary>
    public Term Function { get; }

    public Term[] Args { get; }

    /// <summary>Where the result goes; null for a predicate.</summary>
    public Binding? Binding { get; }

    public bool IsPredicate => Binding is null;

    /// <summary>The variables that must be bound before the call.</summary>
    public IReadOnlyList<Symbol> Inputs { get; }

    public override IReadOnlyList<Symbol> Variables { get; }

    /// <summary>The function's name for messages.</summary>
    public string Name => Function.ToString();
}
