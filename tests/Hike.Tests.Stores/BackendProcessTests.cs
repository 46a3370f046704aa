using Hike.Api;
using Hike.Edn;

namespace Hike.Tests.Stores;

/// <summary>What the networked process tests share.</summary>
internal static class BackendProcessTests
{
    /// <summary>
    /// <paramref name="config"/> with a 3-second writer lease, so that a killed writer's successor
    /// waits seconds, not the default 15, as the child process takes it and as messages name it.
    /// </summary>
    public static (string Place, DatabaseConfig Config, string Name) Place(DatabaseConfig config)
    {
        var leased = config with { Store = config.Store with { Options = config.Store.Options.With(Keyword.Intern("writer-lease-ms"), 3000L) } };
        return (EdnPrinter.Print(leased.ToEdn()), leased, StoreBackends.Locate(leased.Store).Description);
    }
}
