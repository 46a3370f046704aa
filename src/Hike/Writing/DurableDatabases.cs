using Hike.Db;
using Hike.Edn;
using Hike.Storage;
using Hike.Versioning;

namespace Hike.Writing;

/// <summary>
/// The durable databases this process has open, by store folder: every connection to one database
/// shares one <see cref="DatabaseRuntime"/> (one writer, one node cache). The last connection released
/// stops the writer and closes the store. Thread-safe.
/// </summary>
internal static class DurableDatabases
{
    private static readonly Dictionary<string, Entry> Open = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, Task> Closing = new(StringComparer.Ordinal);
    private static readonly Lock Gate = new();

    /// <summary>
    /// Creates the database in folder <paramref name="path"/> (full): <paramref name="config"/> (the
    /// configuration as stored), then an empty first commit on its main branch. Returns it with one connection counted.
    /// </summary>
    public static DatabaseRuntime Create(string path, long cacheBytes, DatabaseSettings settings, EdnMap config) =>
        Acquire(path, () => CreateIn(OpenStore(path), cacheBytes, settings, config, Stopped), existing: false);

    /// <summary>
    /// Connects to the database in folder <paramref name="path"/> (full), named <paramref name="description"/>
    /// in messages; <paramref name="settingsOf"/> reads the configuration it was created with.
    /// </summary>
    public static DatabaseRuntime Connect(string path, string description, long cacheBytes, Func<EdnMap, DatabaseSettings> settingsOf) =>
        Acquire(path, () =>
        {
            if (!Directory.Exists(path)) throw Errors.DatabaseMissing(description);
            return OpenIn(OpenStore(path), description, cacheBytes, settingsOf, Stopped);
        }, existing: true);

    /// <summary>Creates a database in <paramref name="store"/> (which it then owns): config, then an empty first commit.</summary>
    internal static DatabaseRuntime CreateIn(IKeyValueStore store, long cacheBytes, DatabaseSettings settings, EdnMap config, Action<DatabaseRuntime>? stopped)
    {
        var commits = new StoredCommitLog(store, cacheBytes);
        try
        {
            if (commits.ReadConfig() is not null) throw Errors.DatabaseExists(settings.Description);
            // A file of that name that is not Hike's is somebody else's: never written over.
            if (commits.Store.Get(StoreLayout.ConfigKey) is not null) throw Errors.StoreOccupied(settings.Description);
            var db = new DatabaseRuntime(settings, commits, stopped);
            db.Initialize(config, DbState.Empty(settings.Options));
            return db;
        }
        catch
        {
            commits.Dispose();
            throw;
        }
    }

    /// <summary>Opens the database in <paramref name="store"/> (which it then owns), with the settings <paramref name="settingsOf"/> reads from its stored config.</summary>
    internal static DatabaseRuntime OpenIn(IKeyValueStore store, string description, long cacheBytes, Func<EdnMap, DatabaseSettings> settingsOf, Action<DatabaseRuntime>? stopped)
    {
        var commits = new StoredCommitLog(store, cacheBytes);
        try
        {
            return new DatabaseRuntime(settingsOf(commits.ReadConfig() ?? throw MissingConfig(commits, description)), commits, stopped);
        }
        catch
        {
            commits.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A store without a config holds no database — unless it holds branch heads, which only a database
    /// writes after its config: then the config was lost, and that is damage, not absence.
    /// </summary>
    private static HikeException MissingConfig(StoredCommitLog commits, string description) =>
        commits.Store.List(StoreLayout.HeadsPrefix).Any()
            ? Errors.Corrupt(StoreLayout.ConfigKey, "it is missing, though the store holds branch heads, which are written after it")
            : Errors.DatabaseMissing(description);

    /// <summary>Counts one connection less; the last one stops the writer, which then closes the store.</summary>
    public static void Disconnect(DatabaseRuntime db)
    {
        lock (Gate)
        {
            // A database opened on a store directly (not by folder) belongs to its one connection.
            var path = db.Settings.Path is { } p ? Path.GetFullPath(p) : null;
            if (path is not null && Open.TryGetValue(path, out var entry) && ReferenceEquals(entry.Db, db))
            {
                if (--entry.Connections > 0) return;
                Open.Remove(path);
                Closing[path] = db.Writer.Stopped;
            }
        }
        db.Writer.Close();
        // The store is closed (and its writer lock free for other processes) when the last release returns.
        if (!db.Writer.IsWriterThread) db.Writer.Stopped.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Deletes the database in folder <paramref name="path"/> (full): its own files only (config, format, branch set,
    /// heads, segments, and the lock and temporary files the store makes), then the folders they were
    /// in and the folder itself where nothing else is left. A folder that holds no database is left
    /// alone entirely: false.
    /// </summary>
    public static async Task<bool> DeleteAsync(string path)
    {
        Entry? open;
        Task? closing;
        lock (Gate)
        {
            if (Open.Remove(path, out open)) open.Db.MarkDeleted();
            Closing.Remove(path, out closing);
        }
        if (open is not null) await open.Db.Writer.Stopped.ConfigureAwait(false);
        if (closing is not null) await closing.ConfigureAwait(false);
        if (!Directory.Exists(path)) return false;
        return StorageCalls.Run($"deleting {path}", () =>
        {
            using var store = new FileStore(path);
            if (!StoreLayout.HoldsDatabase(store)) return false;
            using (store.AcquireWriterLock()) StoreLayout.DeleteDatabase(store);
            store.Vacate([StoreLayout.HeadsPrefix.TrimEnd('/'), Index.Stored.Packs.Prefix.TrimEnd('/')]);
            return true;
        });
    }

    /// <summary>
    /// Checks, and with <paramref name="apply"/> recovers, the database in folder <paramref name="path"/>
    /// (full; see <see cref="StoreRecovery"/>); it must not be open in this process.
    /// </summary>
    public static RecoveryReport Recover(string path, string description, long cacheBytes, bool apply, CancellationToken cancellationToken)
    {
        // A database being closed still holds its writer lock until its writer has drained.
        Task? closing;
        lock (Gate) Closing.Remove(path, out closing);
        closing?.GetAwaiter().GetResult();
        lock (Gate)
        {
            if (Open.ContainsKey(path)) throw Errors.DatabaseOpen(description);
        }
        if (!Directory.Exists(path)) throw Errors.DatabaseMissing(description);
        return StorageCalls.Run($"recovering {path}", () =>
        {
            using var commits = new StoredCommitLog(new FileStore(path), cacheBytes);
            if (!StoreLayout.HoldsDatabase(commits.Store)) throw Errors.DatabaseMissing(description);
            // The store's own lock: a format upgrade must not run over a store that may be damaged.
            using var held = commits.Store.AcquireWriterLock();
            return StoreRecovery.Run(commits, apply, cancellationToken);
        });
    }

    /// <summary>True when folder <paramref name="path"/> (full) holds a database.</summary>
    public static bool Exists(string path)
    {
        lock (Gate)
        {
            if (Open.ContainsKey(path)) return true;
        }
        if (!Directory.Exists(path)) return false;
        return StorageCalls.Run($"reading {path}", () =>
        {
            using var store = new FileStore(path);
            return StoreLayout.HoldsDatabase(store);
        });
    }

    private static DatabaseRuntime Acquire(string path, Func<DatabaseRuntime> open, bool existing)
    {
        // A database being closed still holds its writer lock until its writer has drained.
        Task? closing;
        lock (Gate) Closing.Remove(path, out closing);
        closing?.GetAwaiter().GetResult();
        lock (Gate)
        {
            if (Open.TryGetValue(path, out var entry))
            {
                if (!existing) throw Errors.DatabaseExists($":file {Errors.Show(path)}");
                entry.Connections++;
                return entry.Db;
            }
            var db = open();
            Open[path] = new Entry(db);
            return db;
        }
    }

    private static void Stopped(DatabaseRuntime db) => db.Log.Dispose();

    private static IKeyValueStore OpenStore(string path) => StorageCalls.Run($"opening {path}", () => new FileStore(path));

    private sealed class Entry(DatabaseRuntime db)
    {
        public DatabaseRuntime Db { get; } = db;

        public int Connections { get; set; } = 1;
    }
}
