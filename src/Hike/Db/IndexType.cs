namespace Hike.Db;

/// <summary>The sort orders of the datom indices (<c>:eavt</c>, <c>:aevt</c>, <c>:avet</c>).</summary>
public enum IndexType : byte
{
    /// <summary>Entity, attribute, value, transaction: every datom.</summary>
    Eavt = 0,
    /// <summary>DbAttribute, entity, value, transaction: every datom.</summary>
    Aevt,
    /// <summary>DbAttribute, value, entity, transaction: datoms of indexed, unique and ref attributes.</summary>
    Avet,
}
