namespace Hike.Api;

public sealed partial class Database
{
    // One overload per number of inputs, and no params array: with `params object?[]` a single array
    // (db.Q(q, new[] {"A", "E"})) would be spread into several inputs instead of binding one collection.

    /// <summary>
    /// Runs a Datalog query with this database as its only input (<c>$</c>):
    /// <c>db.Q("[:find ?e :where [?e :name \"Ivan\"]]")</c>. See <see cref="Datalog.Q(object, object[])"/>.
    /// </summary>
    public object? Q(object query) => Run(query, [this]);

    /// <summary>
    /// Runs a Datalog query with this database as its first input, then <paramref name="input"/>,
    /// bound as it is: an array or list is one collection (or relation) input,
    /// <c>db.Q("[:find ?x :in $ [?x ...]]", new[] { "A", "E" })</c>. See <see cref="Datalog.Q(object, object[])"/>.
    /// </summary>
    public object? Q(object query, object? input) => Run(query, [this, input]);

    /// <summary>As <see cref="Q(object, object)"/>, with two inputs after this database.</summary>
    public object? Q(object query, object? input1, object? input2) => Run(query, [this, input1, input2]);

    /// <summary>As <see cref="Q(object, object)"/>, with three inputs after this database.</summary>
    public object? Q(object query, object? input1, object? input2, object? input3) => Run(query, [this, input1, input2, input3]);

    /// <summary>
    /// As <see cref="Q(object, object)"/>, with four inputs after this database; for more, pass a
    /// <see cref="QueryRequest"/> (<see cref="Q(QueryRequest)"/>).
    /// </summary>
    public object? Q(object query, object? input1, object? input2, object? input3, object? input4) => Run(query, [this, input1, input2, input3, input4]);

    /// <summary>
    /// Runs the query of <paramref name="request"/> with this database as the first input, then the
    /// request's inputs, under its cancellation token, timeout and row bound. See <see cref="Datalog.Q(QueryRequest)"/>.
    /// </summary>
    public object? Q(QueryRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Datalog.Q(request.Prepend(this));
    }

    private static object? Run(object query, object?[] inputs)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Datalog.Q(new QueryRequest(query, inputs));
    }
}
