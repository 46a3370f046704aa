using System.Globalization;
using System.Text;
using Hike.Server.Handles;
using Hike.Storage;

namespace Hike.Server.Client;

/// <summary>
/// A database's store as a remote peer reads it: every read a request to the server that holds the
/// database (<c>/store/get</c>, <c>/store/size</c>, <c>/store/list</c>), which opens it on first use
/// and again after it restarted. Read-only: a remote peer's writes go through the server's API. Reads
/// are round trips, so the engine reads ahead and in parallel here as on any server store
/// (<see cref="AppendsInPlace"/> is false). Thread-safe.
/// </summary>
internal sealed class HttpStore(ServerClient server, string description, Func<ConnectionHandle> connect) : IKeyValueStore
{
    private string? _store;

    public bool AppendsInPlace => false;

    public byte[]? Get(string key) => Read("/store/get", $"key={Uri.EscapeDataString(key)}");

    public byte[]? GetRange(string key, long offset, int length) =>
        Read("/store/get", FormattableString.Invariant($"key={Uri.EscapeDataString(key)}&offset={offset}&length={length}"));

    public long? Size(string key) =>
        Read("/store/size", $"key={Uri.EscapeDataString(key)}") is { } text ? long.Parse(Encoding.UTF8.GetString(text), CultureInfo.InvariantCulture) : null;

    public IEnumerable<string> List(string prefix) =>
        Encoding.UTF8.GetString(Read("/store/list", $"prefix={Uri.EscapeDataString(prefix)}") ?? []).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public void Trim(string key, IReadOnlyList<(long Offset, long Length)> ranges) => throw ReadOnly("Trimming");

    public void Put(string key, ReadOnlySpan<byte> value) => throw ReadOnly("Writing");

    public long Append(string key, ReadOnlySpan<byte> value) => throw ReadOnly("Writing");

    public bool Delete(string key) => throw ReadOnly("Deleting");

    public bool CompareAndSet(string key, ReadOnlySpan<byte> expected, bool expectAbsent, ReadOnlySpan<byte> value) => throw ReadOnly("Writing");

    public void Sync() => throw ReadOnly("Syncing");

    public IDisposable AcquireWriterLock() => throw ReadOnly("Taking the writer lock of");

    public void Dispose() => server.Dispose();

    /// <summary>
    /// Reads <c><paramref name="route"/>?store=…&amp;<paramref name="query"/></c> through the server, having it
    /// open the database first (and again, when it no longer has it open: it restarted); the store is
    /// named as the server's <c>/connect</c> answered.
    /// </summary>
    private byte[]? Read(string route, string query)
    {
        var store = _store ?? Connect();
        try
        {
            return server.Read($"{route}?store={store}&{query}");
        }
        catch (HikeException e) when (e.Code == ServerErrorCodes.UnknownHandle)
        {
            return server.Read($"{route}?store={Connect()}&{query}");
        }
    }

    private string Connect()
    {
        var handle = connect();
        return _store = Uri.EscapeDataString($"{handle.Backend.FullName}:{handle.StoreId}");
    }

    private HikeException ReadOnly(string what) => Errors.ConnectionRemote($"{what} the store {description} directly");
}
