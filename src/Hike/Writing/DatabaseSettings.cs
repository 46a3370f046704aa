using Hike.Db;
using Hike.Edn;

namespace Hike.Writing;

/// <summary>
/// What the writing runtime keeps of the configuration a database was created with: the options its
/// states carry, its main branch (the one that cannot be deleted), its store id and, for a durable
/// store, the folder as the caller gave it (for messages).
/// </summary>
internal sealed record DatabaseSettings(DbOptions Options, Keyword MainBranch, string StoreId, string? Path)
{
    /// <summary>The database as messages name it: <c>:file "path"</c> or <c>:mem "id"</c>.</summary>
    public string Description => Path is { } path ? $":file {Errors.Show(path)}" : $":mem {Errors.Show(StoreId)}";
}
