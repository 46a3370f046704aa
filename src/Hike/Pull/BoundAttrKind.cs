namespace Hike.Pull;

/// <summary>How a pull attribute spec reads its values once bound to a schema.</summary>
internal enum BoundAttrKind : byte
{
    /// <summary>The attribute is unknown to the schema (or a reverse spec of a non-ref attribute): only a default can show.</summary>
    Missing,

    /// <summary><c>:db/id</c>: the entity id, when the entity has any datom.</summary>
    DbId,

    /// <summary>An attribute of the entity, from EAVT.</summary>
    Forward,

    /// <summary>The entities referring to this one through a ref attribute, from AVET.</summary>
    Reverse,
}
