using System.Collections.Concurrent;
using Hike.Api;
using Hike.Edn;

namespace Hike.Server.Handles;

/// <summary>
/// The connections a server holds for its clients, one per database and branch: a client's
/// <c>/connect</c> opens one (or finds it open) and gets its handle; later calls name it by that handle,
/// and database values by their connection and commit. Released with <c>/release</c> or when the
/// server stops. Thread-safe.
/// </summary>
internal sealed class ServerConnections : IDisposable
{
    /// <summary>How many database values of past commits the server keeps at hand for handles that name them.</summary>
    private const int PastValues = 256;

    private readonly ConcurrentDictionary<ConnectionHandle, Lazy<Task<Connection>>> _open = new();
    private readonly ConcurrentDictionary<DbHandle, Database> _past = new();
    private readonly ConcurrentDictionary<(Keyword Backend, string StoreId), bool> _servers = new();

    /// <summary>Opens the databases the server holds for its clients whatever its policy (<c>:databases</c>), with their configs' credentials.</summary>
    public void OpenServers(IEnumerable<DatabaseConfig> databases)
    {
        foreach (var database in databases)
        {
            var handle = ConnectAsync(database, CancellationToken.None).GetAwaiter().GetResult();
            _servers[(handle.Backend, handle.StoreId)] = true;
        }
    }

    /// <summary>Whether <paramref name="config"/> names a database the server opened itself (<c>:databases</c>).</summary>
    public bool IsServers(DatabaseConfig config)
    {
        var handle = HandleOf(config);
        return _servers.ContainsKey((handle.Backend, handle.StoreId));
    }

    /// <summary>The handle of a connection to <paramref name="config"/>'s database, connecting the first time.</summary>
    public async Task<ConnectionHandle> ConnectAsync(DatabaseConfig config, CancellationToken cancellationToken)
    {
        var handle = HandleOf(config);
        var opening = _open.GetOrAdd(handle, _ => new Lazy<Task<Connection>>(() => Database.ConnectAsync(config, CancellationToken.None)));
        try
        {
            await opening.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (opening.Value.IsFaulted)
        {
            _open.TryRemove(new KeyValuePair<ConnectionHandle, Lazy<Task<Connection>>>(handle, opening));
            throw;
        }
        return handle;
    }

    /// <summary>Creates <paramref name="config"/>'s database and keeps a connection to it; returns its config as stored (with the store id it got, without credentials).</summary>
    public async Task<Edn.EdnMap> CreateAsync(DatabaseConfig config, CancellationToken cancellationToken)
    {
        var conn = await Database.CreateAndConnectAsync(config, cancellationToken).ConfigureAwait(false);
        if (!_open.TryAdd(HandleOf(conn.Config), new Lazy<Task<Connection>>(Task.FromResult(conn)))) conn.Release();
        return conn.Config.ToEdn();
    }

    /// <summary>
    /// The handle a connection to <paramref name="config"/> has: its store's identity, as Datahike's
    /// <c>store-identity</c> gives it (a file store's full path, another store's id), and its branch.
    /// </summary>
    public static ConnectionHandle HandleOf(DatabaseConfig config) => new(config.Store.Backend, StoreIdentity(config.Store), config.Branch);

    private static string StoreIdentity(StoreConfig store) =>
        store.Path is { } path && store.Backend.FullName == "file" ? Path.GetFullPath(path) : store.Id;

    /// <summary>The open connection <paramref name="handle"/> names; <c>server/unknown-handle</c> when none.</summary>
    public Connection Get(ConnectionHandle handle) =>
        _open.TryGetValue(handle, out var opening) && opening.Value is { IsCompletedSuccessfully: true } task
            ? task.Result
            : throw ServerErrors.UnknownHandle($"connection {handle}");

    /// <summary>
    /// The store of the database in <paramref name="backend"/> <paramref name="storeId"/>, as an open
    /// connection to it reads it; <c>server/unknown-handle</c> when none is open, <c>server/bad-request</c>
    /// for a database in memory, which has no stored objects.
    /// </summary>
    public Storage.IKeyValueStore StoreOf(Keyword backend, string storeId)
    {
        var handle = _open.Keys.FirstOrDefault(h => h.Backend == backend && h.StoreId == storeId) ?? throw ServerErrors.UnknownHandle($"store [{backend} {storeId}]");
        return Get(handle).Runtime.Log.Objects
            ?? throw ServerErrors.BadRequest($"The database in [{backend} {storeId}] lives in the server's memory and has no stored objects to read: a remote peer needs a durable store");
    }

    /// <summary>The database value <paramref name="handle"/> names: its connection's at that exact commit.</summary>
    public async Task<Database> GetAsync(DbHandle handle, CancellationToken cancellationToken)
    {
        var conn = Get(handle.Connection);
        var current = conn.Db;
        if (current.CommitId == handle.CommitId) return current;
        var key = handle with { MaxEid = 0, MaxTx = 0 };
        if (_past.TryGetValue(key, out var known)) return known;
        var past = await conn.CommitAsDbAsync(handle.CommitId, cancellationToken).ConfigureAwait(false);
        // A commit's value never changes: kept for the next read through the same handle, within a bound.
        if (_past.Count >= PastValues) _past.Clear();
        _past[key] = past;
        return past;
    }

    /// <summary>Releases the connection <paramref name="handle"/> names; false when none was open.</summary>
    public bool Release(ConnectionHandle handle)
    {
        if (!_open.TryRemove(handle, out var opening) || !opening.Value.IsCompletedSuccessfully) return false;
        foreach (var past in _past.Keys.Where(k => k.Connection == handle).ToList()) _past.TryRemove(past, out _);
        opening.Value.Result.Release();
        return true;
    }

    /// <summary>Releases every connection to the database in <paramref name="store"/>, on every branch (before it is deleted).</summary>
    public void ReleaseAll(StoreConfig store)
    {
        foreach (var handle in _open.Keys.Where(h => h.Backend == store.Backend && h.StoreId == StoreIdentity(store)).ToList()) Release(handle);
    }

    public void Dispose()
    {
        foreach (var handle in _open.Keys.ToList()) Release(handle);
    }
}
