using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Hike.Server.Routes;

/// <summary>
/// Who may call the server: a request with the server's token (<c>Authorization: token &lt;t&gt;</c>,
/// compared in constant time; for <c>/listen</c>, which a browser's EventSource opens without headers,
/// also <c>?token=</c>), any request when the server has none or is in dev mode; and which browser
/// origins may read the answers (<c>:access-control-allow-origin</c>).
/// </summary>
internal sealed class ServerGate(ServerConfig config)
{
    private readonly byte[]? _token = config.Token is null ? null : Encoding.UTF8.GetBytes(config.Token);

    /// <summary>Throws <c>server/unauthorized</c> unless the request may call.</summary>
    public void Authorize(HttpRequest request, bool tokenInQuery = false)
    {
        if (_token is null || config.DevMode) return;
        string header = request.Headers.Authorization.ToString();
        const string scheme = "token ";
        string? given = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim()
            : tokenInQuery && request.Query.TryGetValue("token", out var query) ? query.ToString()
            : null;
        if (!CryptographicOperations.FixedTimeEquals(given is null ? [] : Encoding.UTF8.GetBytes(given), _token)) throw ServerErrors.Unauthorized();
    }

    /// <summary>Lets a browser on an allowed origin read the answer; true when it is one.</summary>
    public bool AllowOrigin(HttpContext http)
    {
        string origin = http.Request.Headers.Origin.ToString();
        if (origin.Length == 0 || !config.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase)) return false;
        http.Response.Headers.AccessControlAllowOrigin = origin;
        http.Response.Headers.Vary = "Origin";
        return true;
    }
}
