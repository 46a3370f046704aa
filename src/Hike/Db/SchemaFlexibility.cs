namespace Hike.Db;

/// <summary>When the schema is enforced (<c>:schema-flexibility</c>).</summary>
public enum SchemaFlexibility : byte
{
    /// <summary><c>:write</c>: every attribute must be declared before use and values must match its type.</summary>
    Write = 0,
    /// <summary><c>:read</c>: undeclared attributes are accepted with any value; declared ones are still checked.</summary>
    Read,
}
