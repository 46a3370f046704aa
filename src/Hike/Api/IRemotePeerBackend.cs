using Hike.Edn;
using Hike.Storage;

namespace Hike.Api;

/// <summary>
/// A kind of server a process without access to a database's store reaches it through
/// (<c>:remote-peer {:backend :datahike-server …}</c>): the store's objects read through the server,
/// and the databases the server creates and deletes. Its assembly names it with
/// <see cref="WriterBackendAttribute"/>, on a type that is also the <see cref="IWriterBackend"/> of its writes.
/// </summary>
internal interface IRemotePeerBackend
{
    /// <summary>The store <paramref name="config"/> names on the server <paramref name="options"/> (the <c>:remote-peer</c> map) point to, read through that server.</summary>
    IStoreLocation Locate(EdnMap options, DatabaseConfig config);

    /// <summary>Has the server create <paramref name="config"/>'s database (its <c>:initial-tx</c> applied); fails as the server's create does.</summary>
    Task CreateAsync(EdnMap options, DatabaseConfig config, CancellationToken cancellationToken);

    /// <summary>Has the server delete <paramref name="config"/>'s database; true when it existed.</summary>
    Task<bool> DeleteAsync(EdnMap options, DatabaseConfig config, CancellationToken cancellationToken);
}
