using System.Runtime.CompilerServices;
using Hike.Edn;

namespace Hike.Query.Syntax;

internal static partial class QueryParser
{
    /// <summary>
    /// How deeply <c>and</c>, <c>or</c>, <c>not</c> and their joins may nest. Planning and running a
    /// clause recurse into the clauses it holds, so this bound keeps them within any thread's stack.
    /// </summary>
    public const int MaxClauseDepth = 100;

    internal static Clause[] ParseClauses(object?[] forms) => ParseClauses(forms, 0);

    private static Clause[] ParseClauses(object?[] forms, int depth) => [.. forms.Select(f => ParseClause(f, depth))];

    private static Clause ParseClause(object? form, int depth)
    {
        if (depth > MaxClauseDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Errors.Parser(ErrorCodes.ParserWhere, $"Clauses are nested too deeply (more than {MaxClauseDepth} levels of and, or and not): {Forms.Show(form)}");
        }
        var items = Forms.Items(form);
        if (items is null || items.Length == 0)
        {
            throw Errors.Parser(ErrorCodes.ParserWhere, $"Cannot parse clause, expected (data-pattern | pred-expr | fn-expr | rule-expr | not-clause | not-join-clause | or-clause | or-join-clause), got {Forms.Show(form)}");
        }
        if (Forms.IsCall(form, items)) return ParseCall(form!, items, depth);
        if (Forms.Items(items[0]) is { } call && items[0] is not EdnVector)
        {
            return ParseFunction(form!, items, call);
        }
        return ParsePattern(form!, items);
    }

    private static PatternClause ParsePattern(object form, object?[] items)
    {
        var (source, start) = LeadingSource(items);
        int n = items.Length - start;
        if (n < 1 || n > 5) throw Errors.Parser(ErrorCodes.ParserWhere, $"Pattern should have 1 to 5 elements after its source: {Forms.Show(form)}");
        var terms = new Term[5];
        for (int i = 0; i < 5; i++)
        {
            if (i >= n)
            {
                terms[i] = Term.Blank;
                continue;
            }
            var t = Term.Of(items[start + i]);
            if (t.Kind == TermKind.Source)
            {
                throw Errors.Parser(ErrorCodes.ParserWhere, $"Cannot parse pattern {Forms.Show(form)}: unexpected {t}");
            }
            terms[i] = t;
        }
        return new PatternClause(form, source, terms);
    }

    private static FunctionClause ParseFunction(object form, object?[] items, object?[] call)
    {
        if (items.Length > 2 || call.Length == 0 || call[0] is not Symbol fn || Term.IsSourceSymbol(fn) || Term.IsBlankSymbol(fn))
        {
            throw Errors.Parser(ErrorCodes.ParserWhere, $"Cannot parse function clause {Forms.Show(form)}, expected [(f args...) binding?]");
        }
        var args = new Term[call.Length - 1];
        for (int i = 1; i < call.Length; i++) args[i - 1] = Term.Of(call[i]);
        var binding = items.Length == 2 ? ParseBinding(items[1], ErrorCodes.ParserWhere) : null;
        return new FunctionClause(form, Term.IsVariableSymbol(fn) ? Term.Variable(fn) : Term.Constant(fn), args, binding);
    }

    private static Clause ParseCall(object form, object?[] items, int depth)
    {
        var (source, start) = LeadingSource(items);
        if (items.Length <= start || items[start] is not Symbol head)
        {
            throw Errors.Parser(ErrorCodes.ParserWhere, $"Cannot parse clause {Forms.Show(form)}");
        }
        var rest = items[(start + 1)..];
        if (head.Namespace is null)
        {
            switch (head.Name)
            {
                case "not": return ParseNot(form, source, null, rest, depth);
                case "not-join": return ParseNotJoin(form, source, rest, depth);
                case "or": return ParseOr(form, source, rest, depth);
                case "or-join": return ParseOrJoin(form, source, rest, depth);
                case "and":
                    if (rest.Length == 0) throw Errors.Parser(ErrorCodes.ParserWhere, $"Cannot parse {Forms.Show(form)}: and needs at least one clause");
                    return new AndClause(form, ParseClauses(rest, depth + 1));
            }
        }
        if (Term.IsVariableSymbol(head) || Term.IsBlankSymbol(head))
        {
            throw Errors.Parser(ErrorCodes.ParserWhere, $"Cannot parse clause {Forms.Show(form)}: a rule name must be a plain symbol");
        }
        var args = new Term[rest.Length];
        for (int i = 0; i < rest.Length; i++)
        {
            args[i] = Term.Of(rest[i]);
            if (args[i].Kind == TermKind.Source) throw Errors.Parser(ErrorCodes.ParserWhere, $"Cannot parse rule call {Forms.Show(form)}: unexpected {args[i]}");
        }
        if (args.Length == 0) throw Errors.Parser(ErrorCodes.ParserWhere, $"Cannot parse rule call {Forms.Show(form)}: rules take at least one argument");
        return new RuleCallClause(form, source, head, args);
    }

    private static NotClause ParseNot(object form, Symbol? source, IReadOnlyList<Symbol>? vars, object?[] body, int depth)
    {
        if (body.Length == 0) throw Errors.Parser(ErrorCodes.ParserWhere, $"Cannot parse {Forms.Show(form)}: not needs at least one clause");
        var clauses = ParseClauses(body, depth + 1);
        var result = new NotClause(form, source, vars, clauses);
        if (result.JoinVariables.Count == 0 && vars is null)
        {
            throw Errors.Parser(ErrorCodes.ParserWhere, $"Insufficient bindings: none of the variables of {Forms.Show(form)} can be bound outside it");
        }
        return result;
    }

    private static NotClause ParseNotJoin(object form, Symbol? source, object?[] rest, int depth)
    {
        if (rest.Length < 2) throw Errors.Parser(ErrorCodes.ParserWhere, $"Cannot parse {Forms.Show(form)}: expected (not-join [vars...] clauses...)");
        return ParseNot(form, source, ParseVariableList(form, rest[0]), rest[1..], depth);
    }

    private static OrClause ParseOr(object form, Symbol? source, object?[] rest, int depth)
    {
        var branches = ParseBranches(form, rest, depth);
        var vars = BranchVariables(branches[0]);
        foreach (var branch in branches.Skip(1))
        {
            var other = BranchVariables(branch);
            if (other.Count != vars.Count || other.Any(v => !vars.Contains(v)))
            {
                throw Errors.Parser(ErrorCodes.ParserWhere, $"All clauses in 'or' must use same set of free vars, had [{string.Join(" ", vars)}] and [{string.Join(" ", other)}] in {Forms.Show(form)}");
            }
        }
        return new OrClause(form, source, vars, [], branches);
    }

    private static Clause[][] ParseBranches(object form, object?[] rest, int depth)
    {
        if (rest.Length == 0) throw Errors.Parser(ErrorCodes.ParserWhere, $"Cannot parse {Forms.Show(form)}: or needs at least one branch");
        var branches = new Clause[rest.Length][];
        for (int i = 0; i < rest.Length; i++)
        {
            var clause = ParseClause(rest[i], depth + 1);
            branches[i] = clause is AndClause and ? and.Body : [clause];
        }
        return branches;
    }

    private static OrClause ParseOrJoin(object form, Symbol? source, object?[] rest, int depth)
    {
        if (rest.Length < 2) throw Errors.Parser(ErrorCodes.ParserWhere, $"Cannot parse {Forms.Show(form)}: expected (or-join [vars...] clauses...)");
        var spec = Forms.Items(rest[0]) ?? throw Errors.Parser(ErrorCodes.ParserWhere, $"Cannot parse {Forms.Show(form)}: or-join needs a vector of variables");
        var required = new List<Symbol>();
        var vars = new List<Symbol>();
        if (spec.Length > 0 && Forms.Items(spec[0]) is { } req)
        {
            required.AddRange(ParseVariableList(form, spec[0]));
            vars.AddRange(required);
            spec = spec[1..];
        }
        if (spec.Length > 0 || required.Count == 0) vars.AddRange(ParseVariableList(form, EdnVector.Create(spec)));
        var branches = ParseBranches(form, rest[1..], depth);
        // A branch that does not mention a join variable passes on the value bound outside (as in
        // Datahike, each branch starts from the bound join variables), so that variable must be bound
        // before the clause runs.
        foreach (var branch in branches)
        {
            var used = BranchVariables(branch);
            foreach (var v in vars)
            {
                if (!used.Contains(v) && !required.Contains(v)) required.Add(v);
            }
        }
        return new OrClause(form, source, vars, required, branches);
    }

    private static IReadOnlyList<Symbol> ParseVariableList(object form, object? list)
    {
        var items = Forms.Items(list);
        if (items is null || items.Length == 0 || items.Any(x => !Term.IsVariableSymbol(x)))
        {
            throw Errors.Parser(ErrorCodes.ParserWhere, $"Cannot parse {Forms.Show(form)}: expected a vector of variables, got {Forms.Show(list)}");
        }
        return [.. items.Cast<Symbol>()];
    }

    /// <summary>The source a clause names first (<c>$name ...</c>), if any, and where the rest of the clause starts.</summary>
    private static (Symbol? Source, int Start) LeadingSource(object?[] items) =>
        Term.IsSourceSymbol(items[0]) ? ((Symbol)items[0]!, 1) : (null, 0);

    private static List<Symbol> BranchVariables(Clause[] branch)
    {
        var vars = new List<Symbol>();
        foreach (var c in branch)
        {
            foreach (var v in c.Variables)
            {
                if (!vars.Contains(v)) vars.Add(v);
            }
        }
        return vars;
    }
}
