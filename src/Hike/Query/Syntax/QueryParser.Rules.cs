using Hike.Edn;

namespace Hike.Query.Syntax;

internal static partial class QueryParser
{
    /// <summary>
    /// Parses rules, <c>[[(name ?a [?b]) clause...] ...]</c>, given as EDN text or forms. Every body of
    /// one name must have the same arity.
    /// </summary>
    public static RuleSet ParseRules(object? form)
    {
        if (form is string text) form = ReadText(text);
        if (form is RuleSet ready) return ready;
        var items = Forms.Items(form) ?? throw Errors.Parser("rules", $"Rules should be a vector of rules, got {Forms.Show(form)}");
        var rules = new Dictionary<Symbol, List<Rule>>();
        foreach (var ruleForm in items)
        {
            var rule = ParseRule(ruleForm);
            if (!rules.TryGetValue(rule.Name, out var list)) rules[rule.Name] = list = [];
            if (list.Count > 0 && list[0].Head.Length != rule.Head.Length)
            {
                throw Errors.Parser("rules", $"Arity mismatch for rule '{rule.Name}': {list[0].Head.Length} and {rule.Head.Length} in {Forms.Show(ruleForm)}");
            }
            list.Add(rule);
        }
        return new RuleSet(rules.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()));
    }

    private static Rule ParseRule(object? form)
    {
        var items = Forms.Items(form);
        if (items is null || items.Length < 2 || Forms.Items(items[0]) is not { Length: > 1 } head || head[0] is not Symbol name || Term.IsVariableSymbol(name))
        {
            throw Errors.Parser("rules", $"Cannot parse rule, expected [(name vars...) clauses...], got {Forms.Show(form)}");
        }
        var vars = new List<Symbol>();
        int required = 0;
        for (int i = 1; i < head.Length; i++)
        {
            if (i == 1 && Forms.Items(head[1]) is { } req)
            {
                foreach (var r in req)
                {
                    if (!Term.IsVariableSymbol(r)) throw Errors.Parser("rules", $"Cannot parse rule head {Forms.Show(items[0])}: {Forms.Show(r)} is not a variable");
                    vars.Add((Symbol)r!);
                }
                required = vars.Count;
                continue;
            }
            if (!Term.IsVariableSymbol(head[i])) throw Errors.Parser("rules", $"Cannot parse rule head {Forms.Show(items[0])}: {Forms.Show(head[i])} is not a variable");
            vars.Add((Symbol)head[i]!);
        }
        if (vars.Distinct().Count() != vars.Count) throw Errors.Parser("rules", $"Rule head {Forms.Show(items[0])} repeats a variable");
        var body = ParseClauses(items[1..]);
        var rule = new Rule(name, [.. vars], required, body, form!);
        var bound = new HashSet<Symbol>();
        foreach (var c in body)
        {
            foreach (var v in c.Variables) bound.Add(v);
        }
        foreach (var v in vars)
        {
            if (!bound.Contains(v)) throw Errors.Parser("rules", $"Rule {Forms.Show(items[0])} does not use head variable {v} in its body");
        }
        return rule;
    }

    private static void Validate(ParsedQuery query)
    {
        var known = new HashSet<Symbol>();
        foreach (var input in query.In)
        {
            if (input.Binding is { } b) known.UnionWith(b.Variables);
        }
        foreach (var clause in query.Where) known.UnionWith(clause.Variables);
        var unknown = new List<Symbol>();
        foreach (var f in query.Find)
        {
            if (!known.Contains(f.Variable)) unknown.Add(f.Variable);
            if (f.Pattern.IsVariable && !known.Contains(f.Pattern.Symbol!)) unknown.Add(f.Pattern.Symbol!);
            foreach (var a in f.Args)
            {
                if (a.IsVariable && !known.Contains(a.Symbol!)) unknown.Add(a.Symbol!);
            }
        }
        if (unknown.Count > 0) throw Errors.Parser("query", $"Query for unknown vars: [{string.Join(" ", unknown)}]");
        var unknownWith = query.With.Where(v => !known.Contains(v)).ToList();
        if (unknownWith.Count > 0) throw Errors.Parser("query", $"Query for unknown vars in :with: [{string.Join(" ", unknownWith)}]");
        var inputs = query.In.Select(i => i.ToString()).ToList();
        var repeated = inputs.GroupBy(s => s).FirstOrDefault(g => g.Count() > 1 && g.Key != "_");
        if (repeated is not null) throw Errors.Parser("in", $"Input {repeated.Key} appears twice in :in");
    }
}
