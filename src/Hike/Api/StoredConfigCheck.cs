namespace Hike.Api;

/// <summary>Checks a connecting config against the one a database was created with.</summary>
internal static class StoredConfigCheck
{
    /// <summary>
    /// The config to connect with: <paramref name="requested"/> with the stored settings. A setting
    /// given explicitly must match the stored one; a mismatch is an error naming the key.
    /// </summary>
    public static DatabaseConfig Effective(DatabaseConfig requested, DatabaseConfig created)
    {
        if (requested.ExplicitKeepHistory && requested.KeepHistory != created.KeepHistory)
        {
            throw Errors.Config($"Configuration mismatch for :keep-history?: the database was created with {created.KeepHistory.ToString().ToLowerInvariant()}");
        }
        if (requested.ExplicitSchemaFlexibility && requested.SchemaFlexibility != created.SchemaFlexibility)
        {
            throw Errors.Config($"Configuration mismatch for :schema-flexibility: the database was created with :{created.SchemaFlexibility.ToString().ToLowerInvariant()}");
        }
        if (requested.Store.Id.Length > 0 && created.Store.Id.Length > 0 && requested.Store.Id != created.Store.Id)
        {
            throw Errors.Config($"Configuration mismatch for :store :id: the database was created with {Errors.Show(created.Store.Id)}");
        }
        return requested with
        {
            KeepHistory = created.KeepHistory,
            SchemaFlexibility = created.SchemaFlexibility,
            Store = requested.Store with { Id = created.Store.Id },
        };
    }
}
