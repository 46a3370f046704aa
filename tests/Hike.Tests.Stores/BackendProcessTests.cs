using Hike.Api;
using Hike.Edn;

namespace Hike.Tests.Stores;

/// <summary>What the networked process tests share.</summary>
internal static class BackendProcessTests
{
    /// <summary>
    /// <paramref name="config"/> as the child process takes it, and the name messages give its store.
    /// Its writer lease is the default: a killed writer's successor on this machine takes it at once.
    /// </summary>
    public static (string Place, DatabaseConfig Config, string Name) Place(DatabaseConfig config) =>
        (EdnPrinter.Print(config.ToEdn()), config, StoreBackends.Locate(config.Store).Description);
}
