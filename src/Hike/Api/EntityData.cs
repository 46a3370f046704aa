using Hike.Index.Datoms;


namespace Hike.Api;

/// <summary>
/// What an <see cref="Entity"/> has read: its datoms in EAVT order and, at the index where each
/// attribute's group starts, that attribute's value once computed. Filled without locks: each slot
/// is written once with compare-and-swap.
/// </summary>
internal sealed class EntityData
{
    public EntityData(IndexDatom[] datoms)
    {
        Datoms = datoms;
        Values = new object?[datoms.Length];
    }

    public IndexDatom[] Datoms { get; }

    public object?[] Values { get; }
}
