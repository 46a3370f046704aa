namespace Hike.Query.Syntax;

/// <summary>The shape of a query's answer, chosen by its find spec.</summary>
internal enum FindShape
{
    /// <summary><c>:find ?a ?b</c>: a set of tuples.</summary>
    Relation,

    /// <summary><c>:find [?x ...]</c>: a collection of values.</summary>
    Collection,

    /// <summary><c>:find [?a ?b]</c>: one tuple.</summary>
    Tuple,

    /// <summary><c>:find ?x .</c>: one value.</summary>
    Scalar,
}
