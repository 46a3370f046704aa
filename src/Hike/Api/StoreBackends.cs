using System.Collections.Concurrent;
using System.Reflection;
using Hike.Edn;
using Hike.Storage;

namespace Hike.Api;

/// <summary>
/// The durable store backends by kind (<see cref="IStoreBackend.Kind"/>). The file store is built in;
/// a networked backend is found the first time a configuration names it, by loading the assembly that
/// provides it (a package the application references: <c>Hike.Storage.S3</c> for <c>:s3</c>) and
/// reading its <see cref="StoreBackendAttribute"/>. Thread-safe.
/// </summary>
internal static class StoreBackends
{
    /// <summary>The assembly that provides each kind of networked store.</summary>
    private static readonly ConcurrentDictionary<string, string> Assemblies = new(StringComparer.Ordinal)
    {
        ["s3"] = "Hike.Storage.S3",
        ["redis"] = "Hike.Storage.Redis",
        ["jdbc:postgresql"] = "Hike.Storage.Postgres",
        ["jdbc:sqlite"] = "Hike.Storage.Sqlite",
    };

    private static readonly ConcurrentDictionary<string, IStoreBackend> Registered = new(StringComparer.Ordinal)
    {
        [FileStoreBackend.Instance.Kind] = FileStoreBackend.Instance,
        [TieredStoreBackend.Instance.Kind] = TieredStoreBackend.Instance,
    };

    /// <summary>Where the durable store <paramref name="store"/> configures lives.</summary>
    public static IStoreLocation Locate(StoreConfig store) => Find(KindOf(store)).Locate(store);

    /// <summary>Names <paramref name="assemblyName"/> as the provider of the kind of store <paramref name="kind"/>, to be loaded the first time a configuration names it.</summary>
    public static void ProvidedBy(string kind, string assemblyName) => Assemblies[kind] = assemblyName;

    /// <summary>Makes <paramref name="backend"/> the one for its kind (tests, and backends loaded by hand).</summary>
    public static void Register(IStoreBackend backend) => Registered[backend.Kind] = backend;

    private static string KindOf(StoreConfig store)
    {
        if (store.Backend.FullName != "jdbc") return store.Backend.FullName;
        var dbtype = store.Options.TryGetValue(Keyword.Intern("dbtype"), out var t) ? t : null;
        return dbtype is string name ? $"jdbc:{name}" : throw Errors.Config($":store :dbtype must name the :jdbc database (\"postgresql\" or \"sqlite\"), got {Errors.Show(dbtype)}");
    }

    private static IStoreBackend Find(string kind)
    {
        if (Registered.TryGetValue(kind, out var backend)) return backend;
        if (!Assemblies.TryGetValue(kind, out var assemblyName))
        {
            throw Errors.Config($"Unknown :store :backend {Describe(kind)}; Hike has :mem, :file, :s3, :jdbc (postgresql, sqlite), :redis and :tiered");
        }
        var assembly = BackendAssemblies.Load(assemblyName, Describe(kind));
        foreach (var named in assembly.GetCustomAttributes<StoreBackendAttribute>())
        {
            var provided = (IStoreBackend)Activator.CreateInstance(named.Backend, nonPublic: true)!;
            Registered.TryAdd(provided.Kind, provided);
        }
        return Registered.TryGetValue(kind, out backend) ? backend : throw Errors.Config($"{assemblyName} provides no {Describe(kind)} backend");
    }

    private static string Describe(string kind) => kind.StartsWith("jdbc:", StringComparison.Ordinal) ? $":jdbc {Errors.Show(kind[5..])}" : $":{kind}";
}
