using System.Security.Cryptography;
using System.Text;

namespace Hike.Bench;

/// <summary>Names on a server for a benchmark database known by its directory: a table, a schema, a key prefix or a bucket prefix.</summary>
internal static class StoreNames
{
    /// <summary>16 lower-case hex digits of the directory's hash: the same for the same directory, a plain SQL identifier after a letter.</summary>
    public static string Of(string dir) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dir)))[..16];
}
