using Hike.Storage;

namespace Hike.Api;

/// <summary>
/// A kind of durable store, as a configuration names it (<see cref="Kind"/>): reads and checks the
/// <c>:store</c> map's keys and says where the store lives. The file store's is built in; the
/// networked ones live in their own assemblies (<c>Hike.Storage.S3</c>, ...), each naming its backend
/// with <see cref="StoreBackendAttribute"/>, and <see cref="StoreBackends"/> loads them on first use.
/// </summary>
internal interface IStoreBackend
{
    /// <summary>
    /// The kind of store it serves: the <c>:backend</c> keyword's name (<c>"file"</c>, <c>"s3"</c>,
    /// <c>"redis"</c>), and for <c>:jdbc</c> also the <c>:dbtype</c> (<c>"jdbc:postgresql"</c>, <c>"jdbc:sqlite"</c>).
    /// </summary>
    string Kind { get; }

    /// <summary>
    /// Where the store <paramref name="store"/> configures lives; a missing or malformed key is a
    /// <c>db/config</c> error naming it (never its value when it is a credential).
    /// </summary>
    IStoreLocation Locate(StoreConfig store);
}
