using Hike.Edn;

namespace Hike.Query.Syntax;

/// <summary>One body of a rule: <c>[(name ?a [?b]) clause...]</c>. Immutable.</summary>
internal sealed class Rule
{
    public Rule(Symbol name, Symbol[] head, int requiredCount, Clause[] body, object form)
    {
        Name = name;
        Head = head;
        RequiredCount = requiredCount;
        Body = body;
        Form = form;
    }

    public Symbol Name { get; }

    /// <summary>The head variables; the first <see cref="RequiredCount"/> were written in brackets and must be bound by callers.</summary>
    public Symbol[] Head { get; }

    public int RequiredCount { get; }

    public Clause[] Body { get; }

    public object Form { get; }

    public override string ToString() => EdnPrinter.Print(Form);
}
