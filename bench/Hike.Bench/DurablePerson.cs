using Hike.Edn;

namespace Hike.Bench;

/// <summary>
/// One person of the durable benchmark in both sides' shapes: the entity map Hike transacts (with a
/// string tempid) and the attribute–value facts SQLite stores, one per datom (an alias listed twice
/// is one datom, as in Hike).
/// </summary>
internal sealed class DurablePerson
{
    public DurablePerson(EdnMap map, string name, (Keyword Attr, object Value)[] facts)
    {
        Map = map;
        Name = name;
        Facts = facts;
    }

    public EdnMap Map { get; }

    /// <summary>The person's <c>:name</c>, unique across the benchmark's people.</summary>
    public string Name { get; }

    public (Keyword Attr, object Value)[] Facts { get; }
}
