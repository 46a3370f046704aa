namespace Hike.Server;

/// <summary>The error codes the HTTP server itself gives, beside the engine's (<see cref="ErrorCodes"/>).</summary>
public static class ServerErrorCodes
{
    /// <summary>A request without the server's token, or with another one (HTTP 401).</summary>
    public const string Unauthorized = "server/unauthorized";

    /// <summary>A database the server's <c>:create-database</c> policy does not let clients open, create or delete (HTTP 403).</summary>
    public const string Forbidden = "server/forbidden";

    /// <summary>A body that does not decode, or does not fit the route's arguments (HTTP 400).</summary>
    public const string BadRequest = "server/bad-request";

    /// <summary>A body larger than <c>:max-body-bytes</c> (HTTP 413).</summary>
    public const string TooLarge = "server/too-large";

    /// <summary>A connection or database handle this server does not hold (HTTP 400).</summary>
    public const string UnknownHandle = "server/unknown-handle";

    /// <summary>A remote writer's server that cannot be reached.</summary>
    public const string Unreachable = "server/unreachable";

    /// <summary>A server's answer a remote writer cannot use.</summary>
    public const string BadAnswer = "server/bad-answer";

    /// <summary>A failure of the server itself, not of the call (HTTP 500); the message names its kind, never its details.</summary>
    public const string Internal = "server/internal";

    /// <summary>A server config that cannot be used: an unknown key, a value of the wrong kind, a token missing where one is required.</summary>
    public const string BadConfig = "server/config";
}
