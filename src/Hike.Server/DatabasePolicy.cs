using Hike.Api;
using Hike.Edn;

namespace Hike.Server;

/// <summary>
/// Which databases a server's clients may name (<c>:create-database {:backends [:file …] :paths
/// ["/srv/hike" …] :create? true}</c>): the backends their configs may use (any by default), the folders
/// a file store may be in (anywhere by default), and whether they may create and delete databases or
/// only open the ones there are (they may by default, as on Datahike's server). The databases the
/// server opened itself (<c>:databases</c>) are always open to them. Immutable.
/// </summary>
public sealed record DatabasePolicy
{
    /// <summary>The keywords' names of the backends a client's config may name; null for any.</summary>
    public IReadOnlySet<string>? Backends { get; init; }

    /// <summary>The folders (full paths) a <c>:file</c> store must be in; null for anywhere.</summary>
    public IReadOnlyList<string>? Paths { get; init; }

    /// <summary>Whether clients may create and delete databases (<c>:create?</c>).</summary>
    public bool MayCreate { get; init; } = true;

    /// <summary>Reads <c>:create-database</c>'s map; a key it does not know is refused by name.</summary>
    public static DatabasePolicy FromEdn(object? value, string? relativeTo = null)
    {
        if (value is not EdnMap map) throw ServerErrors.BadConfig($":create-database must be a map {{:backends [...] :paths [...] :create? true}}, not {EdnPrinter.Print(value)}");
        var policy = new DatabasePolicy();
        foreach (var (key, item) in map)
        {
            policy = (key as Keyword)?.FullName switch
            {
                "backends" => policy with { Backends = item is EdnSequence backends && backends.All(b => b is Keyword) ? backends.Select(b => ((Keyword)b!).FullName).ToHashSet(StringComparer.Ordinal) : throw ServerErrors.BadConfig($":create-database :backends must be a vector of keywords, not {EdnPrinter.Print(item)}") },
                "paths" => policy with { Paths = item is EdnSequence paths && paths.All(p => p is string { Length: > 0 }) ? [.. paths.Select(p => Path.GetFullPath((string)p!, relativeTo ?? Environment.CurrentDirectory))] : throw ServerErrors.BadConfig($":create-database :paths must be a vector of folders, not {EdnPrinter.Print(item)}") },
                "create?" => policy with { MayCreate = item as bool? ?? throw ServerErrors.BadConfig($":create-database :create? must be true or false, not {EdnPrinter.Print(item)}") },
                _ => throw ServerErrors.BadConfig($"Unknown :create-database key {EdnPrinter.Print(key)}"),
            };
        }
        return policy;
    }

    /// <summary>Throws <c>server/forbidden</c> naming what the policy does not let a client do with <paramref name="config"/>'s database (<paramref name="changes"/>: create or delete it).</summary>
    public void Check(DatabaseConfig config, bool changes)
    {
        var backend = config.Store.Backend.FullName;
        if (Backends is not null && !Backends.Contains(backend))
            throw ServerErrors.Forbidden($"This server's databases are on {string.Join(", ", Backends.Order(StringComparer.Ordinal).Select(b => ":" + b))}, not :{backend}");
        if (Paths is not null && backend == "file" && config.Store.Path is { } path && !Paths.Any(root => IsWithin(Path.GetFullPath(path), root)))
            throw ServerErrors.Forbidden($"This server's file databases are in {string.Join(", ", Paths)}, not {Path.GetFullPath(path)}");
        if (changes && !MayCreate)
            throw ServerErrors.Forbidden("This server does not let its clients create or delete databases (:create-database {:create? false})");
    }

    private static bool IsWithin(string path, string root) =>
        path == root || path.StartsWith(Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
