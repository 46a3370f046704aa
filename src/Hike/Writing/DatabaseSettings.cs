using Hike.Db;
using Hike.Edn;
using Hike.Storage;

namespace Hike.Writing;

/// <summary>
/// What the writing runtime keeps of the configuration a database was created with: the options its
/// states carry, its main branch (the one that cannot be deleted), its store id and, for a durable
/// store opened by its configuration, where the store lives.
/// </summary>
internal sealed record DatabaseSettings(DbOptions Options, Keyword MainBranch, string StoreId, IStoreLocation? Location)
{
    /// <summary>The database as messages name it: its store's description (<c>:file "path"</c>), or <c>:mem "id"</c>.</summary>
    public string Description => Location?.Description ?? $":mem {Errors.Show(StoreId)}";
}
