namespace Hike.Db;

/// <summary>Uniqueness of an attribute's values (<c>:db/unique</c>).</summary>
internal enum Unique : byte
{
    /// <summary>Not unique.</summary>
    None = 0,
    /// <summary><c>:db.unique/identity</c>: unique, and transactions upsert through it.</summary>
    Identity,
    /// <summary><c>:db.unique/value</c>: unique; asserting a taken value is an error.</summary>
    Value,
}
