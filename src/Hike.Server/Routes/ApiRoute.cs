namespace Hike.Server.Routes;

/// <summary>
/// One of the server's routes: Datahike's name for the function (<c>/q</c>, <c>/transact</c>, …),
/// whether it only reads (then GET serves it too, and a response through a database handle may be
/// cached), how many arguments it takes, and what it does with them.
/// </summary>
internal sealed record ApiRoute(string Name, bool Pure, int MinArgs, int MaxArgs, Func<ApiCall, Task<object?>> Run)
{
    /// <summary>Whether the route takes its arguments' first string as EDN when the body is JSON (all but <c>/transact</c>, whose data JSON shapes by the schema).</summary>
    public bool FirstStringIsEdn => Name != "transact";
}
