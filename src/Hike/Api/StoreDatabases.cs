using Hike.Edn;
using Hike.Storage;
using Hike.Versioning;
using Hike.Writing;

namespace Hike.Api;

/// <summary>
/// Durable databases as configured, on any backend: finds where the store lives
/// (<see cref="StoreBackends"/>), gives a new database its store id, stores its configuration (without
/// credentials) and reads it back for a connection. The open databases themselves are
/// <see cref="DurableDatabases"/>'.
/// </summary>
internal static class StoreDatabases
{
    /// <summary>Creates the database; returns it (one connection counted) and its configuration with the store id it got.</summary>
    public static (DatabaseRuntime Runtime, DatabaseConfig Config) Create(DatabaseConfig config)
    {
        var location = StoreBackends.Locate(config.Store);
        var effective = WithStoreId(config);
        return (DurableDatabases.Create(location, config.CacheBytes, SettingsOf(effective, location), Stored(effective)), effective);
    }

    /// <summary>Connects to the database (one connection counted); its settings are the ones it was created with.</summary>
    public static DatabaseRuntime Connect(DatabaseConfig config)
    {
        var location = LocationOf(config);
        return DurableDatabases.Connect(location, config.CacheBytes, stored => CheckedSettings(stored, config, location), config.Branch);
    }

    /// <summary>Creates a database in <paramref name="store"/> (which it then owns), as <see cref="Create"/> does where a configuration says.</summary>
    public static (DatabaseRuntime Runtime, DatabaseConfig Config) CreateIn(IKeyValueStore store, DatabaseConfig config)
    {
        var effective = WithStoreId(config);
        return (DurableDatabases.CreateIn(store, config.CacheBytes, SettingsOf(effective, location: null), Stored(effective), stopped: null), effective);
    }

    /// <summary>Opens the database in <paramref name="store"/> (which it then owns), as a new process would; returns it and the configuration to connect with.</summary>
    public static (DatabaseRuntime Runtime, DatabaseConfig Config) OpenIn(IKeyValueStore store, DatabaseConfig config)
    {
        var runtime = DurableDatabases.OpenIn(store, $"{config.Store.Backend} {Errors.Show(config.Store.Id)}", config.CacheBytes, stored => CheckedSettings(stored, config, location: null), stopped: null, config.Branch);
        return (runtime, StoredConfigCheck.Effective(config, runtime.Settings));
    }

    public static Task<bool> DeleteAsync(DatabaseConfig config) => DurableDatabases.DeleteAsync(StoreBackends.Locate(config.Store));

    public static RecoveryReport Recover(DatabaseConfig config, bool apply, CancellationToken cancellationToken) =>
        DurableDatabases.Recover(StoreBackends.Locate(config.Store), config.CacheBytes, apply, cancellationToken);

    public static bool Exists(DatabaseConfig config) => DurableDatabases.Exists(LocationOf(config));

    /// <summary>Where this process reads <paramref name="config"/>'s store: the store itself, or through the server of its <c>:remote-peer</c>.</summary>
    public static IStoreLocation LocationOf(DatabaseConfig config) =>
        config.RemotePeer is { } peer ? WriterBackends.Peer(peer).Locate(peer, config) : StoreBackends.Locate(config.Store);

    /// <summary>The settings of the database whose stored configuration is <paramref name="stored"/>, once <paramref name="requested"/> is checked against them.</summary>
    private static DatabaseSettings CheckedSettings(EdnMap stored, DatabaseConfig requested, IStoreLocation? location)
    {
        var settings = SettingsOf(DatabaseConfig.FromEdn(stored), location);
        StoredConfigCheck.Effective(requested, settings);
        return settings;
    }

    /// <summary>The settings of a database created with <paramref name="created"/>, opened at <paramref name="location"/>.</summary>
    private static DatabaseSettings SettingsOf(DatabaseConfig created, IStoreLocation? location) =>
        new(created.Options, created.Branch, created.Store.Id, location);

    /// <summary>The configuration as the database keeps it: its EDN, which holds no credentials.</summary>
    private static EdnMap Stored(DatabaseConfig config) => config.ToEdn();

    private static DatabaseConfig WithStoreId(DatabaseConfig config) =>
        config.Store.Id.Length > 0 ? config : config with { Store = config.Store with { Id = Guid.NewGuid().ToString() } };
}
