namespace Hike;

/// <summary>
/// A domain failure reported by Hike: malformed input, a schema or uniqueness violation, a failed
/// compare-and-set, a missing entity, and so on. <see cref="Code"/> carries Datahike's error keyword
/// without the leading colon (for example <c>transact/unique</c>), so callers can branch on it.
/// </summary>
public class HikeException : Exception
{
    /// <summary>Creates an exception with a Datahike-style error code and a message.</summary>
    public HikeException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    /// <summary>Creates an exception with a Datahike-style error code, a message and a cause.</summary>
    public HikeException(string code, string message, Exception? innerException)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>The error keyword without its colon, e.g. <c>transact/syntax</c> or <c>parser/find</c>.</summary>
    public string Code { get; }

    /// <inheritdoc />
    public override string ToString() => $"{GetType().Name} [{Code}]: {Message}";
}
