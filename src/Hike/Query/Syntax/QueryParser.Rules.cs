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
        var items = Forms.Items(form) ?? throw Errors.Parser(ErrorCodes.ParserRules, $"Rules should be a vector of rules, got {Forms.Show(form)}");
        var rules = new Dictionary<Symbol, List<Rule>>();
        foreach (var ruleForm in items)
        {
            var rule = ParseRule(ruleForm);
            if (!rules.TryGetValue(rule.Name, out var list)) rules[rule.Name] = list = [];
            if (list.Count > 0 && list[0].Head.Length != rule.Head.Length)
            {
                throw Errors.Parser(ErrorCodes.ParserRules, $"Arity mismatch for rule '{rule.Name}': {list[0].Head.Length} and {rule.Head.Length} in {Forms.Show(ruleForm)}");
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
            throw Errors.Parser(ErrorCodes.ParserRules, $"Cannot parse rule, expected [(name vars...) clauses...], got {Forms.Show(form)}");
        }
        var vars = new List<Symbol>();
        int required = 0;
        for (int i = 1; i < head.Length; i++)
        {
            if (i == 1 && Forms.Items(head[1]) is { } req)
            {
                foreach (var r in req)
                {
                    if (!Term.IsVariableSymbol(r)) throw Errors.Parser(ErrorCodes.ParserRules, $"Cannot parse rule head {Forms.Show(items[0])}: {Forms.Show(r)} is not a variable");
                    vars.Add((Symbol)r!);
                }
                required = vars.Count;
                continue;
            }
            if (!Term.IsVariableSymbol(head[i])) throw Errors.Parser(ErrorCodes.ParserRules, $"Cannot parse rule head {Forms.Show(items[0])}: {Forms.Show(head[i])} is not a variable");
            vars.Add((Symbol)head[i]!);
        }
        if (vars.Distinct().Count() != vars.Count) throw Errors.Parser(ErrorCodes.ParserRules, $"Rule head {Forms.Show(items[0])} repeats a variable");
        var body = ParseClauses(items[1..]);
        var rule = new Rule(name, [.. vars], required, body, form!);
        var bound = new HashSet<Symbol>();
        foreach (var c in body)
        {
            foreach (var v in c.Variables) bound.Add(v);
        }
        foreach (var v in vars)
        {
            if (!bound.Contains(v)) throw Errors.Parser(ErrorCodes.ParserRules, $"Rule {Forms.Show(items[0])} does not use head variable {v} in its body");
        }
        return rule;
    }

    /// <summary>DataScript's static checks: every find and :with variable bound, distinct inputs, known sources and rules.</summary>
    private static void Validate(ParsedQuery query)
    {
        var known = new HashSet<Symbol>();
        foreach (var input in query.In)
        {
            if (input.Binding is { } b) known.UnionWith(b.Variables);
        }
        foreach (var clause in query.Where) known.UnionWith(clause.Variables);
        var unknown = new List<Symbol>();
        void Need(Symbol v)
        {
            if (!known.Contains(v) && !unknown.Contains(v)) unknown.Add(v);
        }
        foreach (var f in query.Find)
        {
            Need(f.Variable);
            if (f.Pattern.IsVariable) Need(f.Pattern.Symbol!);
            foreach (var a in f.Args)
            {
                if (a.IsVariable) Need(a.Symbol!);
            }
        }
        foreach (var w in query.With) Need(w);
        if (unknown.Count > 0) throw Errors.Parser(ErrorCodes.ParserQuery, $"Query for unknown vars: [{string.Join(" ", unknown)}]");
        var shared = query.With.Where(w => query.Find.Any(f => f.Kind != FindElementKind.Aggregate && f.Variable == w)).ToList();
        if (shared.Count > 0) throw Errors.Parser(ErrorCodes.ParserQuery, $":find and :with should not use same variables: [{string.Join(" ", shared)}]");
        var inputs = query.In.SelectMany(i => i.Source is { } src ? [src.ToString()] : i.IsRules ? ["%"] : i.Binding!.Variables.Select(v => v.ToString())).ToList();
        if (inputs.Distinct().Count() != inputs.Count) throw Errors.Parser(ErrorCodes.ParserQuery, "Vars used in :in should be distinct");
        if (query.With.Distinct().Count() != query.With.Length) throw Errors.Parser(ErrorCodes.ParserQuery, "Vars used in :with should be distinct");
        var sources = query.In.Where(i => i.Source is not null).Select(i => i.Source!).ToHashSet();
        var unknownSources = new List<Symbol>();
        bool callsRules = false;
        Walk(query.Where, c =>
        {
            foreach (var src in SourcesOf(c))
            {
                if (!sources.Contains(src) && !unknownSources.Contains(src)) unknownSources.Add(src);
            }
            callsRules |= c is RuleCallClause;
        });
        if (unknownSources.Count > 0) throw Errors.Parser(ErrorCodes.ParserQuery, $"Where uses unknown source vars: [{string.Join(" ", unknownSources)}]");
        if (callsRules && !query.In.Any(i => i.IsRules)) throw Errors.Parser(ErrorCodes.ParserQuery, "Missing rules var '%' in :in");
    }

    private static void Walk(IEnumerable<Clause> clauses, Action<Clause> visit)
    {
        foreach (var c in clauses)
        {
            visit(c);
            switch (c)
            {
                case AndClause and:
                    Walk(and.Body, visit);
                    break;
                case NotClause not:
                    Walk(not.Body, visit);
                    break;
                case OrClause or:
                    foreach (var branch in or.Branches) Walk(branch, visit);
                    break;
            }
        }
    }

    private static IEnumerable<Symbol> SourcesOf(Clause clause) => clause switch
    {
        PatternClause { Source: { } s } => [s],
        RuleCallClause { Source: { } s } => [s],
        NotClause { Source: { } s } => [s],
        OrClause { Source: { } s } => [s],
        FunctionClause f => f.Args.Where(a => a.Kind == TermKind.Source).Select(a => a.Symbol!),
        _ => [],
    };
}
