using Hike.Db;
using Hike.Edn;
using Hike.Storage;
using Hike.Versioning;

namespace Hike.Writing;

/// <summary>
/// The durable databases this process has open, by store (<see cref="IStoreLocation.Key"/>): every
/// connection to one database shares one <see cref="DatabaseRuntime"/> (one writer, one node cache).
/// The last connection released stops the writer and closes the store. Thread-safe.
/// </summary>
internal static class DurableDatabases
{
    private static readonly Dictionary<string, Entry> Open = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, Task> Closing = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, Task> Opening = new(StringComparer.Ordinal);
    private static readonly Lock Gate = new();

    /// <summary>
    /// Creates the database at <paramref name="location"/>: <paramref name="config"/> (the
    /// configuration as stored), then an empty first commit on its main branch. Returns it with one connection counted.
    /// </summary>
    public static DatabaseRuntime Create(IStoreLocation location, long cacheBytes, DatabaseSettings settings, EdnMap config) =>
        Acquire(location, () => CreateIn(OpenStore(location), cacheBytes, settings, config, Stopped), existing: false);

    /// <summary>
    /// Connects to the database at <paramref name="location"/>; <paramref name="settingsOf"/> reads the
    /// configuration it was created with.
    /// </summary>
    public static DatabaseRuntime Connect(IStoreLocation location, long cacheBytes, Func<EdnMap, DatabaseSettings> settingsOf, Keyword branch) =>
        Acquire(location, () =>
        {
            if (!StorageCalls.Run($"reading {location.Description}", location.MayExist)) throw Errors.DatabaseMissing(location.Description);
            return OpenIn(OpenStore(location), location.Description, cacheBytes, settingsOf, Stopped, branch);
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

    /// <summary>
    /// Opens the database in <paramref name="store"/> (which it then owns), with the settings
    /// <paramref name="settingsOf"/> reads from its stored config, and opens <paramref name="branch"/>,
    /// the one its connection reads. The config, format, branch set and that branch's head are read at
    /// once (on a server, one round trip); a missing branch is left for the connection to report.
    /// </summary>
    internal static DatabaseRuntime OpenIn(IKeyValueStore store, string description, long cacheBytes, Func<EdnMap, DatabaseSettings> settingsOf, Action<DatabaseRuntime>? stopped, Keyword branch)
    {
        var commits = new StoredCommitLog(store, cacheBytes);
        try
        {
            using var readAhead = commits.ReadAhead([StoreLayout.ConfigKey, StoreLayout.FormatKey, StoreLayout.BranchesKey, StoreLayout.HeadKey(branch)]);
            var runtime = new DatabaseRuntime(settingsOf(commits.ReadConfig() ?? throw MissingConfig(commits, description)), commits, stopped);
            runtime.TryBranch(branch);
            return runtime;
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
    public static void Disconnect(DatabaseRuntime db) => DisconnectAsync(db).GetAwaiter().GetResult();

    /// <summary>
    /// As <see cref="Disconnect"/>, without blocking: the task completes when the store is closed (at
    /// once when a connection remains, or when called on the writer's own thread, which cannot wait for itself).
    /// </summary>
    public static Task DisconnectAsync(DatabaseRuntime db)
    {
        lock (Gate)
        {
            // A database opened on a store directly (not by location) belongs to its one connection.
            var key = db.Settings.Location?.Key;
            if (key is not null && Open.TryGetValue(key, out var entry) && ReferenceEquals(entry.Db, db))
            {
                if (--entry.Connections > 0) return Task.CompletedTask;
                Open.Remove(key);
                Closing[key] = db.Writer.Stopped;
            }
        }
        db.Writer.Close();
        // The store is closed (and its writer lock free for other processes) when the last release completes.
        return db.Writer.IsWriterThread ? Task.CompletedTask : db.Writer.Stopped;
    }

    /// <summary>
    /// Deletes the database at <paramref name="location"/>: its own keys only (config, format, branch
    /// set, heads, segments), then what the store made for them (see <see cref="IStoreLocation.Vacate"/>).
    /// A store that holds no database is left alone entirely: false.
    /// </summary>
    public static async Task<bool> DeleteAsync(IStoreLocation location)
    {
        Entry? open;
        Task? closing;
        lock (Gate)
        {
            if (Open.Remove(location.Key, out open)) open.Db.MarkDeleted();
            Closing.Remove(location.Key, out closing);
        }
        if (open is not null) await open.Db.Writer.Stopped.ConfigureAwait(false);
        if (closing is not null) await closing.ConfigureAwait(false);
        return StorageCalls.Run($"deleting {location.Description}", () =>
        {
            if (!location.MayExist()) return false;
            using var store = location.Open();
            if (!StoreLayout.HoldsDatabase(store)) return false;
            using (store.AcquireWriterLock()) StoreLayout.DeleteDatabase(store);
            location.Vacate(store, [StoreLayout.HeadsPrefix.TrimEnd('/'), Index.Stored.Packs.Prefix.TrimEnd('/')]);
            return true;
        });
    }

    /// <summary>
    /// Checks, and with <paramref name="apply"/> recovers, the database at <paramref name="location"/>
    /// (see <see cref="StoreRecovery"/>); it must not be open in this process.
    /// </summary>
    public static RecoveryReport Recover(IStoreLocation location, long cacheBytes, bool apply, CancellationToken cancellationToken)
    {
        // A database being closed still holds its writer lock until its writer has drained.
        Task? closing;
        lock (Gate) Closing.Remove(location.Key, out closing);
        closing?.GetAwaiter().GetResult();
        lock (Gate)
        {
            if (Open.ContainsKey(location.Key)) throw Errors.DatabaseOpen(location.Description);
        }
        return StorageCalls.Run($"recovering {location.Description}", () =>
        {
            if (!location.MayExist()) throw Errors.DatabaseMissing(location.Description);
            using var commits = new StoredCommitLog(location.Open(), cacheBytes);
            if (!StoreLayout.HoldsDatabase(commits.Store)) throw Errors.DatabaseMissing(location.Description);
            // The store's own lock: a format upgrade must not run over a store that may be damaged.
            using var held = commits.Store.AcquireWriterLock();
            return StoreRecovery.Run(commits, apply, cancellationToken);
        });
    }

    /// <summary>True when the store at <paramref name="location"/> holds a database.</summary>
    public static bool Exists(IStoreLocation location)
    {
        lock (Gate)
        {
            if (Open.ContainsKey(location.Key)) return true;
        }
        return StorageCalls.Run($"reading {location.Description}", () =>
        {
            if (!location.MayExist()) return false;
            using var store = location.Open();
            return StoreLayout.HoldsDatabase(store);
        });
    }

    /// <summary>
    /// The open database at <paramref name="location"/> with one more connection counted, opening it
    /// with <paramref name="open"/> when it is not open. The opening runs outside the registry's lock:
    /// over a network it takes round trips, which must hold up neither other databases' connections
    /// nor a server in this process that the opening itself may be reading through (a remote peer of
    /// a server in the same process). Connections to the same store wait for it.
    /// </summary>
    private static DatabaseRuntime Acquire(IStoreLocation location, Func<DatabaseRuntime> open, bool existing)
    {
        // A database being closed still holds its writer lock until its writer has drained.
        Task? closing;
        lock (Gate) Closing.Remove(location.Key, out closing);
        closing?.GetAwaiter().GetResult();
        while (true)
        {
            Task? pending;
            TaskCompletionSource? mine = null;
            lock (Gate)
            {
                if (Open.TryGetValue(location.Key, out var entry))
                {
                    if (!existing) throw Errors.DatabaseExists(location.Description);
                    entry.Connections++;
                    return entry.Db;
                }
                if (!Opening.TryGetValue(location.Key, out pending))
                {
                    mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    Opening[location.Key] = mine.Task;
                }
            }
            if (mine is null)
            {
                // Another connection is opening it: when it is done, the database is open, or it failed and this one tries.
                pending!.GetAwaiter().GetResult();
                continue;
            }
            try
            {
                var db = open();
                lock (Gate) Open[location.Key] = new Entry(db);
                return db;
            }
            finally
            {
                lock (Gate) Opening.Remove(location.Key);
                mine.SetResult();
            }
        }
    }

    private static void Stopped(DatabaseRuntime db) => db.Log.Dispose();

    private static IKeyValueStore OpenStore(IStoreLocation location) => StorageCalls.Run($"opening {location.Description}", location.Open);

    private sealed class Entry(DatabaseRuntime db)
    {
        public DatabaseRuntime Db { get; } = db;

        public int Connections { get; set; } = 1;
    }
}
