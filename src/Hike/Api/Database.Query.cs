namespace Hike.Api;

public sealed partial class Database
{
    /// <summary>
    /// Runs a Datalog query with this database as the first input (<c>$</c>), then
    /// <paramref name="inputs"/>: <c>db.Q("[:find ?e :where [?e :name \"Ivan\"]]")</c>. See <see cref="Datalog.Q"/>.
    /// </summary>
    public object? Q(object query, params object?[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return Datalog.Q(query, [this, .. inputs]);
    }
}
