using Hike.Edn;

namespace Hike.Api;

/// <summary>
/// Relative file paths in a <c>:store</c> map, made absolute against the folder of the config file
/// that holds them: a <c>:file</c> store's <c>:path</c>, a <c>:jdbc</c> SQLite store's <c>:dbname</c>,
/// and those of a <c>:tiered</c> store's <c>:frontend-config</c> and <c>:backend-config</c>. So a config
/// file opens the same database whichever folder the process runs in.
/// </summary>
internal static class StorePaths
{
    private static readonly Keyword BackendKey = Keyword.Intern("backend");
    private static readonly Keyword PathKey = Keyword.Intern("path");
    private static readonly Keyword DbTypeKey = Keyword.Intern("dbtype");
    private static readonly Keyword DbNameKey = Keyword.Intern("dbname");
    private static readonly Keyword[] TierKeys = [Keyword.Intern("frontend-config"), Keyword.Intern("backend-config")];

    /// <summary><paramref name="store"/> with its relative paths resolved against <paramref name="folder"/>; anything not a store map is returned as it is, for the config reader to refuse.</summary>
    public static object? Resolve(object? store, string folder)
    {
        if (store is not EdnMap map) return store;
        switch ((map.Get(BackendKey) as Keyword)?.FullName)
        {
            case "file":
                return Absolute(map, PathKey, folder);
            case "jdbc" when map.Get(DbTypeKey) is "sqlite":
                return Absolute(map, DbNameKey, folder);
            case "tiered":
                foreach (var tier in TierKeys)
                {
                    if (map.Get(tier) is EdnMap inner) map = map.With(tier, Resolve(inner, folder));
                }
                return map;
            default:
                return map;
        }
    }

    private static EdnMap Absolute(EdnMap map, Keyword key, string folder) =>
        map.Get(key) is string path && path.Length > 0 && !Path.IsPathRooted(path) && path.IndexOfAny(Path.GetInvalidPathChars()) < 0
            ? map.With(key, Path.GetFullPath(Path.Combine(folder, path)))
            : map;
}
