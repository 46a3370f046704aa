using Hike.Edn;

namespace Hike.Db;

/// <summary>Maps <c>:db.type/*</c> keywords to <see cref="DbType"/> and back.</summary>
internal static class DbTypes
{
    private static readonly Dictionary<Keyword, DbType> ByKeyword = new()
    {
        [Keyword.Intern("db.type/string")] = DbType.String,
        [Keyword.Intern("db.type/long")] = DbType.Long,
        [Keyword.Intern("db.type/double")] = DbType.Double,
        [Keyword.Intern("db.type/float")] = DbType.Float,
        [Keyword.Intern("db.type/bigint")] = DbType.BigInt,
        [Keyword.Intern("db.type/bigdec")] = DbType.BigDec,
        [Keyword.Intern("db.type/number")] = DbType.Number,
        [Keyword.Intern("db.type/boolean")] = DbType.Boolean,
        [Keyword.Intern("db.type/instant")] = DbType.Instant,
        [Keyword.Intern("db.type/uuid")] = DbType.Uuid,
        [Keyword.Intern("db.type/keyword")] = DbType.Keyword,
        [Keyword.Intern("db.type/symbol")] = DbType.Symbol,
        [Keyword.Intern("db.type/ref")] = DbType.Ref,
        [Keyword.Intern("db.type/tuple")] = DbType.Tuple,
        [Keyword.Intern("db.type/bytes")] = DbType.Bytes,
        [Keyword.Intern("db.type/float-array")] = DbType.FloatArray,
        [Keyword.Intern("db.type/double-array")] = DbType.DoubleArray,
        [Keyword.Intern("db.type/value")] = DbType.Any,
    };

    private static readonly Keyword[] ByType = BuildReverse();

    public static bool TryParse(object? value, out DbType type)
    {
        type = DbType.Any;
        return value is Keyword k && ByKeyword.TryGetValue(k, out type);
    }

    public static Keyword ToKeyword(DbType type) => ByType[(int)type];

    private static Keyword[] BuildReverse()
    {
        var result = new Keyword[Enum.GetValues<DbType>().Length];
        foreach (var (k, t) in ByKeyword) result[(int)t] = k;
        return result;
    }
}
