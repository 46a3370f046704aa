using Hike.Edn;

namespace Hike.Query.Syntax;

/// <summary>Parsed rules by name (every body of each) and their call graph. Immutable; parse once with <see cref="QueryParser.ParseRules"/> and reuse.</summary>
internal sealed class RuleSet
{
    public static readonly RuleSet Empty = new([]);

    public RuleSet(Dictionary<Symbol, Rule[]> rules)
    {
        Rules = rules;
        Graph = new RuleGraph(rules);
    }

    public Dictionary<Symbol, Rule[]> Rules { get; }

    public RuleGraph Graph { get; }

    public bool TryGet(Symbol name, out Rule[] bodies) => Rules.TryGetValue(name, out bodies!);
}
