using System.Globalization;
using Hike.Edn;

namespace Hike.Versioning;

/// <summary>
/// The keys a database uses in its store and the kinds of its stored objects. <c>config</c> holds the
/// creation config; <c>heads/&lt;branch&gt;</c> the branch's newest commit; <c>branches</c> the branch
/// set; <c>commits/&lt;id&gt;</c>, <c>schemas/&lt;id&gt;</c>, <c>roots/&lt;id&gt;</c> and <c>nodes/..</c>
/// are immutable objects.
/// </summary>
internal static class StoreLayout
{
    public const string ConfigKey = "config";
    public const string BranchesKey = "branches";
    public const string CommitsPrefix = "commits/";
    public const string HeadsPrefix = "heads/";

    public static string CommitKey(Guid id) => CommitsPrefix + id.ToString("N", CultureInfo.InvariantCulture);

    public static string HeadKey(Keyword branch) => HeadsPrefix + BranchSegment(branch);

    /// <summary>A fresh key under <paramref name="prefix"/> (<c>schemas/</c>, <c>roots/</c>).</summary>
    public static string NewObjectKey(string prefix) => prefix + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);

    /// <summary>Branch names become key segments as they are when they fit the key alphabet, else hex-encoded.</summary>
    private static string BranchSegment(Keyword branch)
    {
        var name = branch.FullName;
        foreach (char c in name)
        {
            bool plain = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.';
            if (!plain) return "x-" + Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(name));
        }
        return name;
    }
}
