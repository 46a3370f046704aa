using Hike.Edn;
using Hike.Versioning;
using Hike.Writing;

namespace Hike.Api;

public sealed partial class Database
{
    /// <summary>
    /// Creates the database <paramref name="config"/> describes and applies its <c>:initial-tx</c>.
    /// Fails with <c>db/exists</c> when it already exists; when the initial transaction fails, nothing
    /// is created. A durable database is durable when this completes.
    /// </summary>
    public static async Task CreateAsync(DatabaseConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.RemotePeer is { } peer)
        {
            await WriterBackends.Peer(peer).CreateAsync(peer, config, cancellationToken).ConfigureAwait(false);
            return;
        }
        var (runtime, created) = IsMemory(config) ? (CreateMemory(config), config) : StoreDatabases.Create(config);
        if (config.InitialTx is null)
        {
            Disconnect(runtime);
            return;
        }
        try
        {
            using var connection = new Connection(runtime, created);
            await connection.TransactAsync(config.InitialTx, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // A database whose initial transaction failed was never created.
            await DeleteAsync(config, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates the database described by Datahike's EDN configuration text.</summary>
    public static Task CreateAsync(string ednConfig, CancellationToken cancellationToken = default) =>
        CreateAsync(DatabaseConfig.Parse(ednConfig), cancellationToken);

    /// <summary>
    /// Connects to an existing database. Settings given explicitly must match the ones it was created
    /// with (a mismatch names the key); the stored ones apply otherwise. Opening a durable database
    /// reads its head, commit, schema and index roots, not its data.
    /// </summary>
    public static Task<Connection> ConnectAsync(DatabaseConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (IsMemory(config))
        {
            if (!MemoryDatabases.TryGet(config.Store.Id, out var stored)) throw Errors.DatabaseMissing(Describe(config));
            return Task.FromResult(new Connection(stored, StoredConfigCheck.Effective(config, stored.Settings)));
        }
        var durable = StoreDatabases.Connect(config);
        try
        {
            return Task.FromResult(new Connection(durable, StoredConfigCheck.Effective(config, durable.Settings)));
        }
        catch
        {
            // A mismatched setting or a missing branch: the connection counted for the database is given back.
            Disconnect(durable);
            throw;
        }
    }

    /// <summary>Connects to the database described by Datahike's EDN configuration text.</summary>
    public static Task<Connection> ConnectAsync(string ednConfig, CancellationToken cancellationToken = default) =>
        ConnectAsync(DatabaseConfig.Parse(ednConfig), cancellationToken);

    /// <summary>Deletes the database; true when it existed. A durable database must not be written by another process.</summary>
    public static Task<bool> DeleteAsync(DatabaseConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.RemotePeer is { } peer) return WriterBackends.Peer(peer).DeleteAsync(peer, config, cancellationToken);
        return IsMemory(config) ? Task.FromResult(MemoryDatabases.Delete(config.Store.Id)) : StoreDatabases.DeleteAsync(config);
    }

    /// <summary>
    /// Checks a durable database and, when <paramref name="apply"/> is true, recovers it: each branch is
    /// set to its newest commit whose every object reads whole (its record, schema, index chunks and
    /// tree nodes, each checked by its checksum), and a damaged branch set or format record is
    /// rewritten. Hike never does this by itself — a damaged store is reported as <c>storage/corrupt</c>
    /// — so this is the one, explicit way past damage: run it first without applying to see which
    /// commits each branch would drop, and what whole commits exist after them (which
    /// <see cref="ForceBranchAsync(Database, Keyword, IEnumerable{object}, Guid?, CancellationToken)"/> can restore instead). Nothing is deleted: what the moved heads no
    /// longer reach stays in the store until garbage collection. The database must not be open (by
    /// this process or another): it takes the writer lock. Reads the whole store: O(its size).
    /// </summary>
    public static Task<RecoveryReport> RecoverAsync(DatabaseConfig config, bool apply = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (IsMemory(config)) throw Errors.Config("Recovery is for durable stores; a :mem database cannot be damaged");
        if (config.RemotePeer is not null) throw Errors.ConnectionRemote("Recovery");
        return Task.Run(() => StoreDatabases.Recover(config, apply, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Copies the durable database <paramref name="from"/> into the store <paramref name="to"/>
    /// configures, on any two backends (konserve-sync's job): only the segments the target lacks or
    /// has part of, then the config the first time, then the heads of every branch (or of
    /// <paramref name="branch"/> alone), last. The target is always either as it was or a whole
    /// database, so a sync cut short is finished by running it again, and a second sync of an unchanged
    /// source copies nothing. The source may be written meanwhile; the target must not be open for
    /// writing (its writer lock is taken). Heads only move forward: a target branch whose head the
    /// source's does not descend from (another database, or commits made in the copy) is
    /// <c>sync/diverged</c>. The target records its own <c>:store</c> in its config. Reads every
    /// segment's size: O(segments) calls plus the bytes copied.
    /// </summary>
    public static Task<SyncReport> SyncAsync(DatabaseConfig from, DatabaseConfig to, Keyword? branch = null, IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (IsMemory(from) || IsMemory(to)) throw Errors.Config("Sync copies between durable stores; a :mem database has no store");
        return Task.Run(() =>
        {
            var source = StoreDatabases.LocationOf(from);
            var target = StoreDatabases.LocationOf(to);
            return StorageCalls.Run($"syncing {source.Description} to {target.Description}", () =>
            {
                if (!source.MayExist()) throw Errors.DatabaseMissing(source.Description);
                using var sourceLog = new StoredCommitLog(source.Open(), from.CacheBytes);
                using var targetLog = new StoredCommitLog(target.Open(), to.CacheBytes);
                var sourceId = sourceLog.ReadConfig()?.TryGetValue(Keyword.Intern("store"), out var stored) == true && stored is EdnMap map && map.TryGetValue(Keyword.Intern("id"), out var id) ? id as string : null;
                // The copy keeps the source's store id unless the target's config names its own (an :s3 or :redis prefix).
                var targetStore = to.Store.Id.Length > 0 || sourceId is null ? to.Store : to.Store with { Id = sourceId };
                return StoreSync.Run(sourceLog, targetLog, source.Description, target.Description, targetStore.ToEdn(), branch, progress, cancellationToken);
            });
        }, cancellationToken);
    }

    /// <summary>As <see cref="SyncAsync(DatabaseConfig, DatabaseConfig, Keyword?, IProgress{SyncProgress}?, CancellationToken)"/>, for the one branch named by its text with or without the colon.</summary>
    public static Task<SyncReport> SyncAsync(DatabaseConfig from, DatabaseConfig to, string branch, IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default) =>
        SyncAsync(from, to, BranchNames.Of(branch), progress, cancellationToken);

    /// <summary>True when the database exists.</summary>
    public static Task<bool> ExistsAsync(DatabaseConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Task.FromResult(IsMemory(config) ? MemoryDatabases.TryGet(config.Store.Id, out _) : StoreDatabases.Exists(config));
    }

    /// <summary>Creates a database and connects to it: a shortcut for tests and scripts.</summary>
    public static async Task<Connection> CreateAndConnectAsync(DatabaseConfig config, CancellationToken cancellationToken = default)
    {
        await CreateAsync(config, cancellationToken).ConfigureAwait(false);
        return await ConnectAsync(config, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// An empty database value with the given settings, not stored anywhere: for <see cref="With"/>
    /// and tests (DataScript's <c>empty-db</c>).
    /// </summary>
    public static Database Empty(DatabaseConfig? config = null)
    {
        config ??= new DatabaseConfig();
        return new Database(Db.DbView.Of(Db.DbState.Empty(config.Options)), config.Functions, config.QueryLimits);
    }

    internal static void Disconnect(DatabaseRuntime runtime)
    {
        if (runtime.Log.IsDurable) DurableDatabases.Disconnect(runtime);
    }

    /// <summary>As <see cref="Disconnect"/>; the task completes when a durable store the last connection held is closed.</summary>
    internal static Task DisconnectAsync(DatabaseRuntime runtime) =>
        runtime.Log.IsDurable ? DurableDatabases.DisconnectAsync(runtime) : Task.CompletedTask;

    private static DatabaseRuntime CreateMemory(DatabaseConfig config)
    {
        if (!MemoryDatabases.TryCreate(new DatabaseSettings(config.Options, config.Branch, config.Store.Id, Location: null), out var stored)) throw Errors.DatabaseExists(Describe(config));
        return stored;
    }

    private static string Describe(DatabaseConfig config) => $"{config.Store.Backend} {Errors.Show(config.Store.Id)}";

    /// <summary>Whether the database lives in this process's memory (a remote peer's <c>:mem</c> store is on its server).</summary>
    private static bool IsMemory(DatabaseConfig config) => config.RemotePeer is null && config.Store.Backend == StoreConfig.MemBackend;
}
