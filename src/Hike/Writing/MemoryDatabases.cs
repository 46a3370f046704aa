using System.Collections.Concurrent;
using Hike.Db;
using Hike.Versioning;

namespace Hike.Writing;

/// <summary>
/// The in-memory store: databases by store id, shared by every connection in the process (as
/// Datahike's <c>:mem</c> backend). Thread-safe.
/// </summary>
internal static class MemoryDatabases
{
    private static readonly ConcurrentDictionary<string, DatabaseRuntime> Databases = new(StringComparer.Ordinal);

    public static bool TryCreate(DatabaseSettings settings, out DatabaseRuntime database)
    {
        database = new DatabaseRuntime(settings, new MemoryCommitLog());
        database.Initialize(null, DbState.Empty(settings.Options));
        if (Databases.TryAdd(settings.StoreId, database)) return true;
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
