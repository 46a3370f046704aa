using Hike.Edn;

namespace Hike.Query.Syntax;

/// <summary>
/// Parses and validates a query given as EDN text, as a vector <c>[:find ... :where ...]</c> or as a
/// map <c>{:find [...] :where [...]}</c>. Errors are <see cref="HikeException"/>s coded
/// <c>parser/query</c>, <c>parser/find</c>, <c>parser/in</c>, <c>parser/where</c> or
/// <c>parser/rules</c>, naming the offending form. Stateless.
/// </summary>
internal static partial class QueryParser
{
    private static readonly Keyword FindKey = Keyword.Intern("find");
    private static readonly Keyword InKey = Keyword.Intern("in");
    private static readonly Keyword WithKey = Keyword.Intern("with");
    private static readonly Keyword WhereKey = Keyword.Intern("where");
    private static readonly Keyword KeysKey = Keyword.Intern("keys");
    private static readonly Keyword StrsKey = Keyword.Intern("strs");
    private static readonly Keyword SymsKey = Keyword.Intern("syms");
    private static readonly Keyword[] Sections = [FindKey, InKey, WithKey, WhereKey, KeysKey, StrsKey, SymsKey];
    private static readonly Symbol DefaultSource = Symbol.Intern("$");

    public static ParsedQuery Parse(object query)
    {
        var form = query is string text ? ReadText(text) : query;
        var sections = SplitSections(form);
        if (!sections.TryGetValue(FindKey, out var findForms) || findForms.Length == 0)
        {
            throw Errors.Parser(ErrorCodes.ParserQuery, $"Query should have a :find clause: {Forms.Show(form)}");
        }
        var (shape, find) = ParseFind(findForms);
        var with = sections.TryGetValue(WithKey, out var withForms) ? ParseWith(withForms) : [];
        var inputs = sections.TryGetValue(InKey, out var inForms) ? ParseIn(inForms) : [InputSpec.ForSource(DefaultSource)];
        var where = sections.TryGetValue(WhereKey, out var whereForms) ? ParseClauses(whereForms) : [];
        var returnKeys = ParseReturnKeys(sections, find.Length, shape);
        var parsed = new ParsedQuery
        {
            Form = form!,
            Shape = shape,
            Find = find,
            ReturnKeys = returnKeys,
            With = with,
            In = inputs,
            HasIn = sections.ContainsKey(InKey),
            Where = where,
        };
        Validate(parsed);
        return parsed;
    }

    private static object? ReadText(string text)
    {
        try
        {
            return EdnReader.Read(text);
        }
        catch (EdnSyntaxException e)
        {
            throw Errors.Parser(ErrorCodes.ParserQuery, $"Query is not valid EDN: {e.Message}", e);
        }
    }

    private static Dictionary<Keyword, object?[]> SplitSections(object? form)
    {
        var result = new Dictionary<Keyword, object?[]>();
        if (Maps.ToEntries(form) is { } entries)
        {
            foreach (var (k, v) in entries)
            {
                if (k is not Keyword key || Array.IndexOf(Sections, key) < 0)
                {
                    throw Errors.Parser(ErrorCodes.ParserQuery, $"Unknown query section {Forms.Show(k)} in {Forms.Show(form)}");
                }
                result[key] = Forms.Items(v) ?? throw Errors.Parser(ErrorCodes.ParserQuery, $"Query section {key} should be a vector, got {Forms.Show(v)}");
            }
            return result;
        }
        var items = Forms.Items(form) ?? throw Errors.Parser(ErrorCodes.ParserQuery, $"Query should be a vector or a map, got {Forms.Show(form)}");
        Keyword? current = null;
        var buffer = new List<object?>();
        foreach (var item in items)
        {
            if (item is Keyword unknown && Array.IndexOf(Sections, unknown) < 0 && current != KeysKey && current != StrsKey && current != SymsKey)
            {
                throw Errors.Parser(ErrorCodes.ParserQuery, $"Unknown query section {unknown} in {Forms.Show(form)}");
            }
            if (item is Keyword k && Array.IndexOf(Sections, k) >= 0)
            {
                if (current is not null) result[current] = [.. buffer];
                if (result.ContainsKey(k)) throw Errors.Parser(ErrorCodes.ParserQuery, $"Query section {k} appears twice in {Forms.Show(form)}");
                current = k;
                buffer.Clear();
                continue;
            }
            if (current is null) throw Errors.Parser(ErrorCodes.ParserQuery, $"Query should start with a keyword such as :find, got {Forms.Show(item)}");
            buffer.Add(item);
        }
        if (current is not null) result[current] = [.. buffer];
        return result;
    }

    private static Symbol[] ParseWith(object?[] forms)
    {
        var with = new List<Symbol>();
        foreach (var f in forms)
        {
            if (!Term.IsVariableSymbol(f)) throw Errors.Parser(ErrorCodes.ParserWith, $"Cannot parse :with clause, expected variables, got {Forms.Show(f)}");
            with.Add((Symbol)f!);
        }
        return [.. with];
    }

    private static object[]? ParseReturnKeys(Dictionary<Keyword, object?[]> sections, int arity, FindShape shape)
    {
        object[]? keys = null;
        foreach (var (section, make) in new (Keyword, Func<object?, object?>)[]
        {
            (KeysKey, f => f is Symbol s ? Keyword.Intern(s.Namespace, s.Name) : f as Keyword),
            (StrsKey, f => f is Symbol s ? s.FullName : f as string),
            (SymsKey, f => f as Symbol),
        })
        {
            if (!sections.TryGetValue(section, out var forms)) continue;
            if (keys is not null) throw Errors.Parser(ErrorCodes.ParserFind, "Only one of :keys, :strs and :syms may be given");
            keys = forms.Select(f => make(f) ?? throw Errors.Parser(ErrorCodes.ParserFind, $"Cannot parse {section} entry {Forms.Show(f)}")).ToArray();
            if (keys.Length != arity)
            {
                throw Errors.Parser(ErrorCodes.ParserFind, $"Count of {section} ({keys.Length}) must match count of :find ({arity})");
            }
            if (shape is FindShape.Collection or FindShape.Scalar)
            {
                throw Errors.Parser(ErrorCodes.ParserFind, $"{section} needs a relation or tuple find spec");
            }
        }
        return keys;
    }
}
