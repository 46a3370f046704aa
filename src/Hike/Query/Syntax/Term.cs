using Hike.Edn;

namespace Hike.Query.Syntax;

/// <summary>What one position of a clause holds.</summary>
internal enum TermKind
{
    /// <summary>A logic variable, <c>?x</c>.</summary>
    Variable,

    /// <summary>A literal value.</summary>
    Constant,

    /// <summary>The placeholder <c>_</c>, matching anything and binding nothing.</summary>
    Blank,

    /// <summary>A source variable, <c>$</c> or <c>$name</c>.</summary>
    Source,
}

/// <summary>One position of a clause: a variable, a constant, <c>_</c> or a source. Immutable.</summary>
internal readonly struct Term
{
    private Term(TermKind kind, Symbol? symbol, object? value)
    {
        Kind = kind;
        Symbol = symbol;
        Value = value;
    }

    public TermKind Kind { get; }

    /// <summary>The variable's or source's name; null for constants and blanks.</summary>
    public Symbol? Symbol { get; }

    /// <summary>The literal of a constant.</summary>
    public object? Value { get; }

    public bool IsVariable => Kind == TermKind.Variable;

    public bool IsConstant => Kind == TermKind.Constant;

    public bool IsBlank => Kind == TermKind.Blank;

    public static Term Variable(Symbol name) => new(TermKind.Variable, name, null);

    public static Term Constant(object? value) => new(TermKind.Constant, null, value);

    public static Term Blank { get; } = new(TermKind.Blank, null, null);

    public static Term Source(Symbol name) => new(TermKind.Source, name, null);

    /// <summary>Reads a form in a clause position: <c>?x</c>, <c>_</c>, <c>$src</c> or a literal.</summary>
    public static Term Of(object? form)
    {
        if (form is Symbol s)
        {
            if (IsVariableSymbol(s)) return Variable(s);
            if (s.Namespace is null && s.Name == "_") return Blank;
            if (IsSourceSymbol(s)) return Source(s);
        }
        return Constant(form);
    }

    public static bool IsVariableSymbol(object? form) => form is Symbol { Namespace: null } s && s.Name.Length > 1 && s.Name[0] == '?';

    public static bool IsSourceSymbol(object? form) => form is Symbol { Namespace: null } s && s.Name[0] == '$';

    public static bool IsBlankSymbol(object? form) => form is Symbol { Namespace: null, Name: "_" };

    public override string ToString() => Kind switch
    {
        TermKind.Constant => EdnPrinter.Print(Value),
        TermKind.Blank => "_",
        _ => Symbol!.ToString(),
    };
}
