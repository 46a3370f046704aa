namespace Hike.Edn;

/// <summary>
/// Malformed EDN text. <see cref="HikeException.Code"/> is <c>edn/syntax</c>; the message names what
/// is wrong and ends with where, and <see cref="Line"/> and <see cref="Column"/> give that place
/// (1-based, columns count UTF-16 code units). For an unterminated construct the place is where the
/// construct started.
/// </summary>
public sealed class EdnSyntaxException : HikeException
{
    /// <summary>The error code of every EDN syntax error.</summary>
    public const string SyntaxCode = ErrorCodes.EdnSyntax;

    internal EdnSyntaxException(string message, int line, int column)
        : base(SyntaxCode, message)
    {
        Line = line;
        Column = column;
    }

    /// <summary>The 1-based line of the offending text.</summary>
    public int Line { get; }

    /// <summary>The 1-based column of the offending text, in UTF-16 code units.</summary>
    public int Column { get; }
}
