using Hike.Edn;

namespace Hike.Db;

/// <summary>
/// The built-in attributes with their fixed ids. The ids are stored in every index, so they are part
/// of the storage format: never renumber, only append.
/// </summary>
internal static class SystemAttributes
{
    public const int Ident = 1;
    public const int ValueType = 2;
    public const int Cardinality = 3;
    public const int Unique = 4;
    public const int Index = 5;
    public const int IsComponent = 6;
    public const int NoHistory = 7;
    public const int Doc = 8;
    public const int TxInstant = 9;
    public const int TupleAttrs = 10;
    public const int TupleType = 11;
    public const int TupleTypes = 12;
    public const int AttrPreds = 13;
    public const int EntityAttrs = 14;
    public const int EntityPreds = 15;
    public const int FullText = 16;
    public const int FullTextAnalyzer = 17;

    /// <summary>The first id handed to a user attribute.</summary>
    public const int FirstUserId = 64;

    public static readonly DbAttribute[] All =
    [
        new() { Id = Ident, Ident = Idents.Ident, Type = Db.DbType.Keyword, Unique = Db.Unique.Identity },
        new() { Id = ValueType, Ident = Idents.ValueType, Type = Db.DbType.Keyword },
        new() { Id = Cardinality, Ident = Idents.Cardinality, Type = Db.DbType.Keyword },
        new() { Id = Unique, Ident = Idents.Unique, Type = Db.DbType.Keyword },
        new() { Id = Index, Ident = Idents.Index, Type = Db.DbType.Boolean },
        new() { Id = IsComponent, Ident = Idents.IsComponent, Type = Db.DbType.Boolean },
        new() { Id = NoHistory, Ident = Idents.NoHistory, Type = Db.DbType.Boolean },
        new() { Id = Doc, Ident = Idents.Doc, Type = Db.DbType.String, Index = true },
        // DATAHIKE: :db/txInstant is not in AVET; instants increase with transaction ids, so a time
        // is found by binary search over AEVT (DbState.LastTxAt), saving an index write per transaction.
        new() { Id = TxInstant, Ident = Idents.TxInstant, Type = Db.DbType.Instant },
        new() { Id = TupleAttrs, Ident = Idents.TupleAttrs, Type = Db.DbType.Tuple, TupleType = Db.DbType.Keyword },
        new() { Id = TupleType, Ident = Idents.TupleType, Type = Db.DbType.Keyword },
        new() { Id = TupleTypes, Ident = Idents.TupleTypes, Type = Db.DbType.Tuple, TupleType = Db.DbType.Keyword },
        new() { Id = AttrPreds, Ident = Idents.AttrPreds, Type = Db.DbType.Symbol, Many = true },
        new() { Id = EntityAttrs, Ident = Idents.EntityAttrs, Type = Db.DbType.Keyword, Many = true },
        new() { Id = EntityPreds, Ident = Idents.EntityPreds, Type = Db.DbType.Symbol, Many = true },
        new() { Id = FullText, Ident = Idents.FullText, Type = Db.DbType.Boolean },
        new() { Id = FullTextAnalyzer, Ident = Idents.FullTextAnalyzer, Type = Db.DbType.Keyword },
    ];

    /// <summary>True for the attributes whose datoms define schema (attributes, idents, entity specs).</summary>
    public static bool DefinesSchema(int attrId) => attrId is >= Ident and <= FullTextAnalyzer and not TxInstant;

    public static bool IsSystem(int attrId) => attrId < FirstUserId;

    public static bool IsSystem(Keyword ident) => ident.Namespace is { } ns && (ns == "db" || ns.StartsWith("db.", StringComparison.Ordinal));
}
