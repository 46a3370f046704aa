using Hike.Api;
using Hike.Storage;

namespace Hike.Bench;

/// <summary>
/// Hike on one store that it opens directly (<see cref="StoreDatabases.CreateIn"/>,
/// <see cref="StoreDatabases.OpenIn"/>), as a new process would, bypassing the backends' lookup: the
/// store can be a wrapper that counts or delays calls. One database at a time, whatever the directory;
/// every connection's store is the same <see cref="MeteredStore"/>, which does not own what it wraps,
/// so a database opens again after a connection closed it.
/// </summary>
internal sealed class HikeInStoreTarget(MeteredStore store, bool keepHistory) : IDurableTarget
{
    // The config names no store a backend would find: the database is opened on the store given.
    private static readonly StoreConfig Unused = StoreConfig.File("unused");

    public string Name => "hike";

    /// <summary>The store every connection reads and writes through.</summary>
    public MeteredStore Store { get; } = store;

    public Task CreateAsync(string dir)
    {
        var (runtime, config) = StoreDatabases.CreateIn(Store, HikeTarget.ConfigOf(Unused, keepHistory, 256L << 20));
        using var conn = new Connection(runtime, config);
        conn.Transact(HikeTarget.Schema);
        return Task.CompletedTask;
    }

    public Task<IDurableSession> OpenAsync(string dir, long cacheBytes)
    {
        var (runtime, config) = StoreDatabases.OpenIn(Store, HikeTarget.ConfigOf(Unused, keepHistory, cacheBytes));
        return Task.FromResult(HikeTarget.SessionOf(new Connection(runtime, config)));
    }

    /// <summary>Nothing: the store is the caller's to delete.</summary>
    public Task DeleteAsync(string dir) => Task.CompletedTask;
}
