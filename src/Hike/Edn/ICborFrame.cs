namespace Hike.Edn;

/// <summary>
/// A value that goes into CBOR as a tag-27 frame <c>[type-name argument]</c> (a datom is
/// <c>["datahike.datom/Datom" [e a v tx added]]</c>, as Datahike's <c>datahike.cbor</c> writes it).
/// <see cref="CborValueWriter"/> asks it before anything else.
/// </summary>
internal interface ICborFrame
{
    /// <summary>The frame's type name.</summary>
    string CborTypeName { get; }

    /// <summary>The frame's argument.</summary>
    object? CborArgument { get; }
}
