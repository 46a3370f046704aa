namespace Hike.Db;

/// <summary>The value types of Datahike's schema (<c>:db.type/*</c>).</summary>
internal enum DbType : byte
{
    /// <summary>No declared type: any value (schema-on-read attributes, <c>:db.type/value</c>).</summary>
    Any = 0,
    /// <summary><c>:db.type/string</c></summary>
    String,
    /// <summary><c>:db.type/long</c></summary>
    Long,
    /// <summary><c>:db.type/double</c></summary>
    Double,
    /// <summary><c>:db.type/float</c></summary>
    Float,
    /// <summary><c>:db.type/bigint</c> (<see cref="System.Numerics.BigInteger"/>)</summary>
    BigInt,
    /// <summary><c>:db.type/bigdec</c> (<see cref="decimal"/>)</summary>
    BigDec,
    /// <summary><c>:db.type/number</c>: any number.</summary>
    Number,
    /// <summary><c>:db.type/boolean</c></summary>
    Boolean,
    /// <summary><c>:db.type/instant</c> (UTC <see cref="System.DateTime"/>)</summary>
    Instant,
    /// <summary><c>:db.type/uuid</c></summary>
    Uuid,
    /// <summary><c>:db.type/keyword</c></summary>
    Keyword,
    /// <summary><c>:db.type/symbol</c></summary>
    Symbol,
    /// <summary><c>:db.type/ref</c>: an entity id.</summary>
    Ref,
    /// <summary><c>:db.type/tuple</c>: homogeneous, heterogeneous or composite.</summary>
    Tuple,
    /// <summary><c>:db.type/bytes</c></summary>
    Bytes,
    /// <summary><c>:db.type/float-array</c></summary>
    FloatArray,
    /// <summary><c>:db.type/double-array</c></summary>
    DoubleArray,
}
