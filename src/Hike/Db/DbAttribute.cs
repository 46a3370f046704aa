using Hike.Edn;

namespace Hike.Db;

/// <summary>
/// One attribute's definition as the engine uses it. <see cref="Id"/> is the small integer the
/// indices store in place of the keyword; <see cref="Eid"/> is the entity that defines it (0 for
/// built-in attributes and for attributes first seen under <c>:schema-flexibility :read</c>).
/// Immutable.
/// </summary>
internal sealed record DbAttribute
{
    public required int Id { get; init; }

    public required Keyword Ident { get; init; }

    public long Eid { get; init; }

    public DbType Type { get; init; }

    public bool Many { get; init; }

    public Unique Unique { get; init; }

    public bool Index { get; init; }

    public bool IsComponent { get; init; }

    public bool NoHistory { get; init; }

    /// <summary>True when the attribute's values are searchable by full text (<c>:db/fulltext</c>, Datomic's flag).</summary>
    public bool FullText { get; init; }

    /// <summary>The analyzer of a full-text attribute (<c>:db.fulltext/analyzer</c>); null for the default, <c>:standard</c>.</summary>
    public Keyword? Analyzer { get; init; }

    public string? Doc { get; init; }

    /// <summary>Source attributes of a composite tuple (<c>:db/tupleAttrs</c>), else null.</summary>
    public Keyword[]? TupleAttrs { get; init; }

    /// <summary>Element type of a homogeneous tuple (<c>:db/tupleType</c>), else null.</summary>
    public DbType? TupleType { get; init; }

    /// <summary>Element types of a heterogeneous tuple (<c>:db/tupleTypes</c>), else null.</summary>
    public DbType[]? TupleTypes { get; init; }

    /// <summary>Names of the value predicates run on every assertion (<c>:db.attr/preds</c>).</summary>
    public Symbol[]? Preds { get; init; }

    /// <summary>True when the attribute was declared by schema data (not implicit, not built in).</summary>
    public bool Declared => Eid != 0;

    public bool IsRef => Type == DbType.Ref;

    public bool IsComposite => TupleAttrs is not null;

    /// <summary>True when the attribute's datoms are kept in AVET: indexed, unique or ref.</summary>
    public bool InAvet => Index || Unique != Unique.None || Type == DbType.Ref;

    public bool IsUniqueIdentity => Unique == Unique.Identity;
}
