using Hike.Db;
using Hike.Edn;
using Hike.Storage;
using Hike.Versioning;

namespace Hike.Api;

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

    /// <summary>Creates the database: config, then an empty first commit on its branch. Returns it with one connection counted.</summary>
    public static DatabaseRuntime Create(DatabaseConfig config)
    {
        var path = FullPath(config);
        var entry = Acquire(path, () => CreateIn(OpenStore(config, path, create: true), config, Stopped), existing: false);
        return entry;
    }

    /// <summary>Connects to the database; a config that names settings differing from the stored ones is an error naming the key.</summary>
    public static DatabaseRuntime Connect(DatabaseConfig config)
    {
        var path = FullPath(config);
        var db = Acquire(path, () =>
        {
            if (!Directory.Exists(path)) throw Errors.DatabaseMissing(Describe(config));
            return OpenIn(OpenStore(config, path, create: false), config, Stopped);
        }, existing: true);
        StoredConfigCheck.Effective(config, db.Config);
        return db;
    }

    /// <summary>Creates a database in <paramref name="store"/> (which it then owns): config, then an empty first commit.</summary>
    internal static DatabaseRuntime CreateIn(IKeyValueStore store, DatabaseConfig config, Action<DatabaseRuntime>? stopped)
    {
        var commits = new StoredCommitLog(store, config.CacheBytes);
        try
        {
            if (commits.ReadConfig() is not null) throw Errors.DatabaseExists(Describe(config));
            // A file of that name that is not Hike's is somebody else's: never written over.
            if (commits.Store.Get(StoreLayout.ConfigKey) is not null) throw Errors.StoreOccupied(Describe(config));
            var effective = config with { Store = config.Store with { Id = config.Store.Id.Length > 0 ? config.Store.Id : Guid.NewGuid().ToString() } };
            var db = new DatabaseRuntime(effective, commits, stopped);
            db.Initialize(effective.ToEdn(), DbState.Empty(effective.Options));
            return db;
        }
        catch
        {
            commits.Dispose();
            throw;
        }
    }

    /// <summary>Opens the database in <paramref name="store"/> (which it then owns), checking <paramref name="config"/> against the stored one.</summary>
    internal static DatabaseRuntime OpenIn(IKeyValueStore store, DatabaseConfig config, Action<DatabaseRuntime>? stopped)
    {
        var commits = new StoredCommitLog(store, config.CacheBytes);
        try
        {
            var created = DatabaseConfig.FromEdn(commits.ReadConfig() ?? throw MissingConfig(commits, config));
            return new DatabaseRuntime(StoredConfigCheck.Effective(config, created), commits, stopped);
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
    private static HikeException MissingConfig(StoredCommitLog commits, DatabaseConfig config) =>
        commits.Store.List(StoreLayout.HeadsPrefix).Any()
            ? Errors.Corrupt(StoreLayout.ConfigKey, "it is missing, though the store holds branch heads, which are written after it")
            : Errors.DatabaseMissing(Describe(config));

    /// <summary>Counts one connection less; the last one stops the writer, which then closes the store.</summary>
    public static void Disconnect(DatabaseRuntime db)
    {
        lock (Gate)
        {
            // A database opened on a store directly (not by folder) belongs to its one connection.
            var path = db.Config.Store.Path is { } p ? Path.GetFullPath(p) : null;
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
    /// Deletes the database in the config's folder: its own files only (config, format, branch set,
    /// heads, segments, and the lock and temporary files the store makes), then the folders they were
    /// in and the folder itself where nothing else is left. A folder that holds no database is left
    /// alone entirely: false.
    /// </summary>
    public static async Task<bool> DeleteAsync(DatabaseConfig config)
    {
        var path = FullPath(config);
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

    /// <summary>Checks, and with <paramref name="apply"/> recovers, the database (see <see cref="StoreRecovery"/>); it must not be open in this process.</summary>
    public static RecoveryReport Recover(DatabaseConfig config, bool apply, CancellationToken cancellationToken)
    {
        var path = FullPath(config);
        // A database being closed still holds its writer lock until its writer has drained.
        Task? closing;
        lock (Gate) Closing.Remove(path, out closing);
        closing?.GetAwaiter().GetResult();
        lock (Gate)
        {
            if (Open.ContainsKey(path)) throw Errors.DatabaseOpen(Describe(config));
        }
        if (!Directory.Exists(path)) throw Errors.DatabaseMissing(Describe(config));
        return StorageCalls.Run($"recovering {path}", () =>
        {
            using var commits = new StoredCommitLog(new FileStore(path), config.CacheBytes);
            if (!StoreLayout.HoldsDatabase(commits.Store)) throw Errors.DatabaseMissing(Describe(config));
            // The store's own lock: a format upgrade must not run over a store that may be damaged.
            using var held = commits.Store.AcquireWriterLock();
            return StoreRecovery.Run(commits, apply, cancellationToken);
        });
    }

    public static bool Exists(DatabaseConfig config)
    {
        var path = FullPath(config);
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

    private static IKeyValueStore OpenStore(DatabaseConfig config, string path, bool create)
    {
        if (!create && !Directory.Exists(path)) throw Errors.DatabaseMissing(Describe(config));
        return StorageCalls.Run($"opening {path}", () => new FileStore(path));
    }

    private static string FullPath(DatabaseConfig config)
    {
        var path = config.Store.Path ?? throw Errors.Config(":store :path is required for the :file backend");
        if (string.IsNullOrWhiteSpace(path)) throw Errors.Config($":store :path {Errors.Show(path)} names no folder");
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw Errors.Config($":store :path {Errors.Show(path)} is not a valid folder path: {e.Message}");
        }
    }

    private static string Describe(DatabaseConfig config) => $":file {Errors.Show(config.Store.Path)}";

    private sealed class Entry(DatabaseRuntime db)
    {
        public DatabaseRuntime Db { get; } = db;

        public int Connections { get; set; } = 1;
    }
}
