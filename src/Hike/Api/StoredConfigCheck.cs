using Hike.Writing;

namespace Hike.Api;

/// <summary>Checks a connecting config against the settings a database was created with.</summary>
internal static class StoredConfigCheck
{
    /// <summary>
    /// The config to connect with: <paramref name="requested"/> with the stored settings. A setting
    /// given explicitly must match the stored one; a mismatch is an error naming the key.
    /// </summary>
    public static DatabaseConfig Effective(DatabaseConfig requested, DatabaseSettings created)
    {
        var stored = created.Options;
        if (requested.ExplicitKeepHistory && requested.KeepHistory != stored.KeepHistory)
        {
            throw Errors.Config($"Configuration mismatch for :keep-history?: the database was created with {stored.KeepHistory.ToString().ToLowerInvariant()}");
        }
        if (requested.ExplicitSchemaFlexibility && requested.SchemaFlexibility != stored.SchemaFlexibility)
        {
            throw Errors.Config($"Configuration mismatch for :schema-flexibility: the database was created with :{stored.SchemaFlexibility.ToString().ToLowerInvariant()}");
        }
        if (requested.Store.Id.Length > 0 && created.StoreId.Length > 0 && requested.Store.Id != created.StoreId)
        {
            throw Errors.Config($"Configuration mismatch for :store :id: the database was created with {Errors.Show(created.StoreId)}");
        }
        return requested with
        {
            KeepHistory = stored.KeepHistory,
            SchemaFlexibility = stored.SchemaFlexibility,
            Store = requested.Store with { Id = created.StoreId },
        };
    }
}
