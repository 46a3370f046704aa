using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Hike.Server.Console;

/// <summary>
/// The query console: one page at <c>/</c>, with its script and style under <c>/console/</c>, embedded
/// in the assembly. The page is served without a token: it holds no data, and every call it makes to
/// the routes carries the token its user gives it. Its policy lets it load only its own files and call
/// only this server.
/// </summary>
internal static class ConsolePage
{
    private const string Policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly (string Path, string File, string MediaType)[] Files =
    [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/console/console.css", "console.css", "text/css; charset=utf-8"),
        ("/console/console.js", "console.js", "text/javascript; charset=utf-8"),
        ("/console/edn.js", "edn.js", "text/javascript; charset=utf-8"),
    ];

    /// <summary>Maps the console's files; each is read from the assembly once.</summary>
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        foreach (var (path, file, mediaType) in Files)
        {
            byte[] content = Read(file);
            var tag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(content), 0, 8)}\"");
            endpoints.MapGet(path, (HttpContext http) =>
            {
                var headers = http.Response.Headers;
                headers.ContentSecurityPolicy = Policy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.CacheControl = "no-cache";
                return Results.Bytes(content, mediaType, entityTag: tag);
            });
        }
    }

    private static byte[] Read(string file)
    {
        using var stream = typeof(ConsolePage).Assembly.GetManifestResourceStream("Hike.Server.Console." + file)
            ?? throw new InvalidOperationException($"The console's {file} is not embedded in {typeof(ConsolePage).Assembly.GetName().Name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
