using Hike.Edn;

namespace Hike.Query.Syntax;

/// <summary>A query after parsing and validation; shared by every run of the same query text. Immutable.</summary>
internal sealed class ParsedQuery
{
    public required object Form { get; init; }

    public required FindShape Shape { get; init; }

    public required FindElement[] Find { get; init; }

    /// <summary>Keys of <c>:keys</c>, <c>:strs</c> or <c>:syms</c> (keywords, strings or symbols); null when results are tuples.</summary>
    public object[]? ReturnKeys { get; init; }

    public required Symbol[] With { get; init; }

    public required InputSpec[] In { get; init; }

    /// <summary>False when the query has no <c>:in</c> and reads <c>$</c> by default.</summary>
    public bool HasIn { get; init; }

    public required Clause[] Where { get; init; }

    /// <summary>True when some find element aggregates.</summary>
    public bool HasAggregates => Find.Any(f => f.Kind == FindElementKind.Aggregate);
}
