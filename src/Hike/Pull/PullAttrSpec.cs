using Hike.Edn;

namespace Hike.Pull;

/// <summary>
/// One attribute of a compiled pull pattern, as written and independent of any schema: the name
/// (<c>:name</c>, <c>:_child</c> or <c>:db/id</c>), the key it is returned under, its limit and
/// default, and what to do with the entities it refers to (a subpattern or recursion). Immutable.
/// </summary>
internal sealed class PullAttrSpec
{
    /// <summary>The limit of values read for an attribute without an explicit <c>:limit</c>.</summary>
    public const int DefaultLimit = 1000;

    /// <summary>The value of <see cref="Limit"/> for <c>:limit nil</c>.</summary>
    public const int Unlimited = -1;

    private static readonly Keyword DbIdKeyword = Keyword.Intern("db/id");

    public PullAttrSpec(Keyword name, object? alias, int limit, bool hasDefault, object? defaultValue, PullPattern? subpattern, bool recursive, int recursionLimit)
    {
        Name = name;
        IsDbId = ReferenceEquals(name, DbIdKeyword);
        Reverse = !IsDbId && name.Name.Length > 1 && name.Name[0] == '_';
        Attr = Reverse ? Keyword.Intern(name.Namespace, name.Name[1..]) : name;
        Key = alias ?? name;
        Limit = limit;
        HasDefault = hasDefault;
        Default = defaultValue;
        Subpattern = subpattern;
        Recursive = recursive;
        RecursionLimit = recursionLimit;
    }

    /// <summary>The attribute as written: <c>:name</c>, <c>:_child</c>, <c>:db/id</c>.</summary>
    public Keyword Name { get; }

    /// <summary>The attribute read: <see cref="Name"/> without the reverse underscore.</summary>
    public Keyword Attr { get; }

    /// <summary>True for a reverse reference (<c>:_attr</c>): the entities whose <see cref="Attr"/> points here.</summary>
    public bool Reverse { get; }

    /// <summary>True for <c>:db/id</c>, which is the entity id rather than an attribute.</summary>
    public bool IsDbId { get; }

    /// <summary>The key of the result map: the <c>:as</c> alias, else <see cref="Name"/>.</summary>
    public object Key { get; }

    /// <summary>How many values are read at most; <see cref="Unlimited"/> for no limit.</summary>
    public int Limit { get; }

    /// <summary>True when <c>:default</c> was given.</summary>
    public bool HasDefault { get; }

    /// <summary>The value returned when the attribute has no value.</summary>
    public object? Default { get; }

    /// <summary>The pattern applied to referenced entities (<c>{:attr [...]}</c>), or null.</summary>
    public PullPattern? Subpattern { get; }

    /// <summary>True for <c>{:attr ...}</c> or <c>{:attr n}</c>: referenced entities are pulled with the enclosing pattern.</summary>
    public bool Recursive { get; }

    /// <summary>The recursion depth limit; 0 when unbounded (<c>...</c>).</summary>
    public int RecursionLimit { get; }
}
