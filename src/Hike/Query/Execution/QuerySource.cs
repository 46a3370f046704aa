namespace Hike.Query.Execution;

/// <summary>What a source variable (<c>$</c>, <c>$name</c>) holds: a database or a collection of tuples.</summary>
internal abstract class QuerySource
{
    /// <summary>The value functions receive when a clause passes the source as an argument.</summary>
    public abstract object? Value { get; }
}
