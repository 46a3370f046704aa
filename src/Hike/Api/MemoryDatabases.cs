using System.Collections.Concurrent;
using Hike.Db;

namespace Hike.Api;

/// <summary>
/// The in-memory store: databases by store id, shared by every connection in the process (as
/// Datahike's <c>:mem</c> backend). Thread-safe.
/// </summary>
internal static class MemoryDatabases
{
    private static readonly ConcurrentDictionary<string, DatabaseRuntime> Databases = new(StringComparer.Ordinal);

    public static bool TryCreate(DatabaseConfig config, out DatabaseRuntime database)
    {
        database = new DatabaseRuntime(config, new Versioning.MemoryCommitLog());
        database.Initialize(null, DbState.Empty(config.Options));
        if (Databases.TryAdd(config.Store.Id, database)) return true;
        database.MarkDeleted();
        return false;
    }

    public static bool TryGet(string id, out DatabaseRuntime database) => Databases.TryGetValue(id, out database!);

    public static bool Delete(string id)
    {
        if (!Databases.TryRemove(id, out var database)) return false;
        database.MarkDeleted();
        return true;
    }
}
