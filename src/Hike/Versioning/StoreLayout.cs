using Hike.Edn;

namespace Hike.Versioning;

/// <summary>
/// The keys a database uses in its store: <c>config</c> holds the creation config;
/// <c>heads/&lt;branch&gt;</c> the branch's newest commit; <c>branches</c> the branch set; everything
/// else is in immutable packs (<see cref="Index.Packs"/>).
/// </summary>
internal static class StoreLayout
{
    public const string ConfigKey = "config";
    public const string BranchesKey = "branches";
    public const string HeadsPrefix = "heads/";

    public static string HeadKey(Keyword branch) => HeadsPrefix + BranchSegment(branch);

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
