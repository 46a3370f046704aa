namespace Hike.Api;

public sealed partial class Database
{
    /// <summary>
    /// Creates the database <paramref name="config"/> describes and applies its <c>:initial-tx</c>.
    /// Fails with <c>db/exists</c> when it already exists; when the initial transaction fails, nothing
    /// is created.
    /// </summary>
    public static async Task CreateAsync(DatabaseConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        RequireMemory(config);
        if (!MemoryDatabases.TryCreate(config, out var stored)) throw Errors.DatabaseExists(Describe(config));
        if (config.InitialTx is null) return;
        try
        {
            using var connection = new Connection(stored, config);
            await connection.TransactAsync(config.InitialTx, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // A database whose initial transaction failed was never created.
            MemoryDatabases.Delete(config.Store.Id);
            throw;
        }
    }

    /// <summary>Creates the database described by Datahike's EDN configuration text.</summary>
    public static Task CreateAsync(string ednConfig, CancellationToken cancellationToken = default) =>
        CreateAsync(DatabaseConfig.Parse(ednConfig), cancellationToken);

    /// <summary>
    /// Connects to an existing database. Settings given explicitly must match the ones it was created
    /// with (a mismatch names the key); the stored ones apply otherwise.
    /// </summary>
    public static Task<Connection> ConnectAsync(DatabaseConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        RequireMemory(config);
        if (!MemoryDatabases.TryGet(config.Store.Id, out var stored)) throw Errors.DatabaseMissing(Describe(config));
        var created = stored.Config;
        if (config.ExplicitKeepHistory && config.KeepHistory != created.KeepHistory)
        {
            throw Errors.Config($"Configuration mismatch for :keep-history?: the database was created with {created.KeepHistory.ToString().ToLowerInvariant()}");
        }
        if (config.ExplicitSchemaFlexibility && config.SchemaFlexibility != created.SchemaFlexibility)
        {
            throw Errors.Config($"Configuration mismatch for :schema-flexibility: the database was created with :{created.SchemaFlexibility.ToString().ToLowerInvariant()}");
        }
        var effective = config with { KeepHistory = created.KeepHistory, SchemaFlexibility = created.SchemaFlexibility };
        return Task.FromResult(new Connection(stored, effective));
    }

    /// <summary>Connects to the database described by Datahike's EDN configuration text.</summary>
    public static Task<Connection> ConnectAsync(string ednConfig, CancellationToken cancellationToken = default) =>
        ConnectAsync(DatabaseConfig.Parse(ednConfig), cancellationToken);

    /// <summary>Deletes the database; true when it existed.</summary>
    public static Task<bool> DeleteAsync(DatabaseConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        RequireMemory(config);
        return Task.FromResult(MemoryDatabases.Delete(config.Store.Id));
    }

    /// <summary>True when the database exists.</summary>
    public static Task<bool> ExistsAsync(DatabaseConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        RequireMemory(config);
        return Task.FromResult(MemoryDatabases.TryGet(config.Store.Id, out _));
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
        return new Database(Db.DbView.Of(Db.DbState.Empty(config.Options)), config.Functions);
    }

    private static string Describe(DatabaseConfig config) => $"{config.Store.Backend} {Errors.Show(config.Store.Id)}";

    private static void RequireMemory(DatabaseConfig config)
    {
        if (config.Store.Backend != StoreConfig.MemBackend)
        {
            throw Errors.Config($"The {config.Store.Backend} backend is not available; use :mem");
        }
    }
}
