using Hike.Edn;

namespace Hike.Query.Syntax;

internal static partial class QueryParser
{
    private static (FindShape, FindElement[]) ParseFind(object?[] forms)
    {
        if (forms.Length == 2 && Forms.IsSymbol(forms[1], "."))
        {
            return (FindShape.Scalar, [ParseFindElement(forms[0])]);
        }
        if (forms.Length == 1 && forms[0] is not EdnList && Forms.Items(forms[0]) is { } inner && !IsFindCall(forms[0], inner))
        {
            if (inner.Length == 2 && Forms.IsSymbol(inner[1], "..."))
            {
                return (FindShape.Collection, [ParseFindElement(inner[0])]);
            }
            if (inner.Length == 0) throw Errors.Parser(ErrorCodes.ParserFind, "Cannot parse :find, tuple find spec is empty");
            return (FindShape.Tuple, [.. inner.Select(ParseFindElement)]);
        }
        foreach (var f in forms)
        {
            if (Forms.IsSymbol(f, ".") || Forms.IsSymbol(f, "..."))
            {
                throw Errors.Parser(ErrorCodes.ParserFind, $"Cannot parse :find, unexpected {Forms.Show(f)} in {Forms.Show(EdnVector.Create(forms))}");
            }
        }
        return (FindShape.Relation, [.. forms.Select(ParseFindElement)]);
    }

    private static bool IsFindCall(object? form, object?[] items) =>
        items.Length > 0 && items[0] is Symbol s && !Term.IsVariableSymbol(s) && !Term.IsSourceSymbol(s) && Forms.IsCall(form, items);

    private static FindElement ParseFindElement(object? form)
    {
        if (Term.IsVariableSymbol(form)) return FindElement.ForVariable((Symbol)form!);
        var items = Forms.Items(form);
        if (items is null || items.Length < 2 || items[0] is not Symbol fn || Term.IsVariableSymbol(fn) && items.Length < 2)
        {
            throw Errors.Parser(ErrorCodes.ParserFind, $"Cannot parse :find, expected variables, pull or aggregate expressions, got {Forms.Show(form)}");
        }
        if (fn.Namespace is null && fn.Name == "pull")
        {
            return ParsePull(form!, items);
        }
        var last = items[^1];
        if (!Term.IsVariableSymbol(last))
        {
            throw Errors.Parser(ErrorCodes.ParserFind, $"Cannot parse :find, aggregate {Forms.Show(form)} should end with a variable");
        }
        var args = new Term[items.Length - 2];
        for (int i = 1; i < items.Length - 1; i++)
        {
            var t = Term.Of(items[i]);
            if (t.Kind is TermKind.Blank or TermKind.Source) throw Errors.Parser(ErrorCodes.ParserFind, $"Cannot parse :find, bad aggregate argument {t} in {Forms.Show(form)}");
            args[i - 1] = t;
        }
        return FindElement.ForAggregate(fn, args, (Symbol)last!, form!);
    }

    private static FindElement ParsePull(object form, object?[] items)
    {
        int i = 1;
        var source = DefaultSource;
        if (Term.IsSourceSymbol(items[i]))
        {
            source = (Symbol)items[i]!;
            i++;
        }
        if (items.Length - i != 2 || !Term.IsVariableSymbol(items[i]))
        {
            throw Errors.Parser(ErrorCodes.ParserFind, $"Cannot parse :find, expected (pull $src? ?var pattern), got {Forms.Show(form)}");
        }
        var pattern = items[i + 1];
        Term patternTerm = Term.IsVariableSymbol(pattern) || pattern is Symbol { Namespace: null } ps && ps.Name != "*"
            ? Term.Variable((Symbol)pattern!)
            : Term.Constant(pattern);
        return FindElement.ForPull(source, (Symbol)items[i]!, patternTerm, form);
    }

    private static InputSpec[] ParseIn(object?[] forms)
    {
        var result = new InputSpec[forms.Length];
        for (int i = 0; i < forms.Length; i++)
        {
            var f = forms[i];
            if (Term.IsSourceSymbol(f)) result[i] = InputSpec.ForSource((Symbol)f!);
            else if (Forms.IsSymbol(f, "%")) result[i] = InputSpec.ForRules();
            else result[i] = InputSpec.ForBinding(ParseBinding(f, ErrorCodes.ParserIn));
        }
        return result;
    }

    /// <summary>
    /// Parses <c>?x</c>, <c>_</c>, <c>[?x ...]</c>, <c>[?a ?b]</c> or <c>[[?a ?b]]</c>, nested; a malformed
    /// binding fails with <paramref name="code"/>, the parser code of the part it is in.
    /// </summary>
    internal static Binding ParseBinding(object? form, string code)
    {
        if (Term.IsVariableSymbol(form)) return Binding.Scalar((Symbol)form!, form!);
        if (Term.IsBlankSymbol(form)) return Binding.Scalar(null, form!);
        var items = Forms.Items(form);
        if (items is null || items.Length == 0)
        {
            throw Errors.Parser(code, $"Cannot parse binding, expected (bind-scalar | bind-tuple | bind-coll | bind-rel), got {Forms.Show(form)}");
        }
        if (items.Length == 2 && Forms.IsSymbol(items[1], "..."))
        {
            return Binding.Collection(ParseBinding(items[0], code), form!);
        }
        if (items.Length == 1 && Forms.Items(items[0]) is not null)
        {
            // [[?a ?b]] — a relation: a collection of tuples.
            return Binding.Collection(ParseBinding(items[0], code), form!);
        }
        return Binding.Tuple([.. items.Select(x => ParseBinding(x, code))], form!);
    }
}
