using Hike.Edn;
using Hike.Storage;
using Hike.Versioning;
using Hike.Writing;

namespace Hike.Api;

/// <summary>
/// The <c>:file</c> backend as configured: checks <c>:store :path</c>, gives a new database its store
/// id, stores its configuration and reads it back for a connection. The open databases themselves are
/// <see cref="DurableDatabases"/>'.
/// </summary>
internal static class FileDatabases
{
    /// <summary>Creates the database; returns it (one connection counted) and its configuration with the store id it got.</summary>
    public static (DatabaseRuntime Runtime, DatabaseConfig Config) Create(DatabaseConfig config)
    {
        var effective = WithStoreId(config);
        return (DurableDatabases.Create(FullPath(config), config.CacheBytes, SettingsOf(effective, config), effective.ToEdn()), effective);
    }

    /// <summary>Connects to the database (one connection counted); its settings are the ones it was created with.</summary>
    public static DatabaseRuntime Connect(DatabaseConfig config) =>
        DurableDatabases.Connect(FullPath(config), Describe(config), config.CacheBytes, stored => CheckedSettings(stored, config));

    /// <summary>Creates a database in <paramref name="store"/> (which it then owns), as <see cref="Create"/> does in a folder.</summary>
    public static (DatabaseRuntime Runtime, DatabaseConfig Config) CreateIn(IKeyValueStore store, DatabaseConfig config)
    {
        var effective = WithStoreId(config);
        return (DurableDatabases.CreateIn(store, config.CacheBytes, SettingsOf(effective, config), effective.ToEdn(), stopped: null), effective);
    }

    /// <summary>Opens the database in <paramref name="store"/> (which it then owns), as a new process would; returns it and the configuration to connect with.</summary>
    public static (DatabaseRuntime Runtime, DatabaseConfig Config) OpenIn(IKeyValueStore store, DatabaseConfig config)
    {
        var runtime = DurableDatabases.OpenIn(store, Describe(config), config.CacheBytes, stored => CheckedSettings(stored, config), stopped: null);
        return (runtime, StoredConfigCheck.Effective(config, runtime.Settings));
    }

    public static Task<bool> DeleteAsync(DatabaseConfig config) => DurableDatabases.DeleteAsync(FullPath(config));

    public static RecoveryReport Recover(DatabaseConfig config, bool apply, CancellationToken cancellationToken) =>
        DurableDatabases.Recover(FullPath(config), Describe(config), config.CacheBytes, apply, cancellationToken);

    public static bool Exists(DatabaseConfig config) => DurableDatabases.Exists(FullPath(config));

    /// <summary>The settings of the database whose stored configuration is <paramref name="stored"/>, once <paramref name="requested"/> is checked against them.</summary>
    private static DatabaseSettings CheckedSettings(EdnMap stored, DatabaseConfig requested)
    {
        var settings = SettingsOf(DatabaseConfig.FromEdn(stored), requested);
        StoredConfigCheck.Effective(requested, settings);
        return settings;
    }

    /// <summary>The settings of a database created with <paramref name="created"/>, opened at the folder <paramref name="requested"/> names.</summary>
    private static DatabaseSettings SettingsOf(DatabaseConfig created, DatabaseConfig requested) =>
        new(created.Options, created.Branch, created.Store.Id, requested.Store.Path);

    private static DatabaseConfig WithStoreId(DatabaseConfig config) =>
        config.Store.Id.Length > 0 ? config : config with { Store = config.Store with { Id = Guid.NewGuid().ToString() } };

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
}
