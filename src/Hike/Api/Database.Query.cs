namespace Hike.Api;

public sealed partial class Database
{
    /// <summary>
    /// Runs a Datalog query with this database as the first input (<c>$</c>), then
    /// <paramref name="inputs"/>: <c>db.Q("[:find ?e :where [?e :name \"Ivan\"]]")</c>. See <see cref="Datalog.Q(object, object[])"/>.
    /// </summary>
    public object? Q(object query, params object?[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return Datalog.Q(query, [this, .. inputs]);
    }

    /// <summary>
    /// Runs the query of <paramref name="request"/> with this database as the first input, then the
    /// request's inputs, under its cancellation token, timeout and row bound. See <see cref="Datalog.Q(QueryRequest)"/>.
    /// </summary>
    public object? Q(QueryRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Datalog.Q(request.Prepend(this));
    }
}
