namespace Hike.Server;

/// <summary>The server's own failures, each with its code (<see cref="ServerErrorCodes"/>) and HTTP status.</summary>
internal static class ServerErrors
{
    public static HikeException BadRequest(string message) => new(ServerErrorCodes.BadRequest, message);

    public static HikeException Unauthorized() => new(ServerErrorCodes.Unauthorized, "Not authorized: send the server's token as Authorization: token <token>");

    public static HikeException TooLarge(long limit) => new(ServerErrorCodes.TooLarge, $"The body is larger than the server's :max-body-bytes, {limit}");

    public static HikeException BadConfig(string message) => new(ServerErrorCodes.BadConfig, message);

    public static HikeException Forbidden(string message) => new(ServerErrorCodes.Forbidden, message);

    public static HikeException Unreachable(Uri server, Exception cause) =>
        new(ServerErrorCodes.Unreachable, $"The server at {server} cannot be reached: {cause.Message}", cause);

    public static HikeException BadAnswer(string expected, object? got) =>
        new(ServerErrorCodes.BadAnswer, $"The server answered something other than {expected}: {Edn.EdnPrinter.Print(got is Formats.Tagged t ? t.Tag : got)}");

    public static HikeException Released() => new(ErrorCodes.ConnectionReleased, "The connection was released");

    /// <summary>The error a server answered, as the caller's own: its code (the server's internal one when it gave none) and message.</summary>
    public static HikeException FromServer(string? code, string message) => new(code ?? ServerErrorCodes.Internal, message);

    public static HikeException UnknownHandle(string what) =>
        new(ServerErrorCodes.UnknownHandle, $"This server holds no {what}: connect first (handles do not outlive the server, or a released connection)");

    /// <summary>The HTTP status for a failure: the caller's mistakes are 4xx, the server's and its stores' 5xx.</summary>
    public static int StatusOf(Exception e) => e switch
    {
        HikeException { Code: ServerErrorCodes.Unauthorized } => 401,
        HikeException { Code: ServerErrorCodes.Forbidden } => 403,
        HikeException { Code: ServerErrorCodes.TooLarge } => 413,
        HikeException { Code: ErrorCodes.QueryTimeout } => 503,
        CorruptionException => 500,
        HikeException { Code: ErrorCodes.StorageIo or ErrorCodes.StorageCorrupt or ErrorCodes.StorageFormat or ErrorCodes.StorageUnfenced or ErrorCodes.DbWriterFailed or ErrorCodes.DbWriterConflict } => 500,
        HikeException { Code: ErrorCodes.DbWriterLocked } => 503,
        HikeException => 400,
        OperationCanceledException => 503,
        _ => 500,
    };
}
