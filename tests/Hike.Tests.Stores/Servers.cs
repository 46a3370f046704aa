using Hike.Api;
using Hike.Testing;

namespace Hike.Tests.Stores;

/// <summary>
/// The servers the backend tests run against, as <c>tests/servers.sh start</c> announces them in the
/// environment. A missing one fails the test that needs it, naming the script.
/// </summary>
internal static class Servers
{
    /// <summary>A <c>:jdbc</c> PostgreSQL config for a table of its own (each test its own store).</summary>
    public static DatabaseConfig Postgres(string table) => TestServers.Postgres(table);

    /// <summary>A <c>:redis</c> config for the keys under store id <paramref name="id"/>.</summary>
    public static DatabaseConfig Redis(string id) =>
        DatabaseConfig.Parse($"{{:store {{:backend :redis :id \"{id}\" :uri \"redis://{Require("HIKE_TEST_REDIS")}/0\"}}}}");

    /// <summary>The bucket the S3 tests share, each test under an <c>:id</c> of its own.</summary>
    public const string S3Bucket = TestServers.S3Bucket;

    /// <summary>An <c>:s3</c> store config on the test server for the store <paramref name="id"/>, with <paramref name="more"/> added to its <c>:store</c> map.</summary>
    public static DatabaseConfig S3(string id, string more = "") => TestServers.S3(id, more);

    /// <summary>An <c>:s3</c> store config whose heads live in a PostgreSQL table of their own (s3rver cannot compare-and-set).</summary>
    public static DatabaseConfig S3WithPostgresHeads(string id) => TestServers.S3WithPostgresHeads(id);

    /// <summary>Deletes every key of the store <paramref name="config"/> names, and what opening it made.</summary>
    public static void EmptyStore(DatabaseConfig config)
    {
        var location = StoreBackends.Locate(config.Store);
        using var store = location.Open();
        foreach (var key in store.List("")) store.Delete(key);
        location.Vacate(store, []);
    }

    /// <summary>A store id no other test uses.</summary>
    public static string UniqueId() => Guid.NewGuid().ToString();

    /// <summary>Runs <paramref name="sql"/> on the PostgreSQL server as the tests' administrator.</summary>
    public static void AdminSql(string sql)
    {
        using var source = Npgsql.NpgsqlDataSource.Create(Require("HIKE_TEST_POSTGRES"));
        using var command = source.CreateCommand(sql);
        command.ExecuteNonQuery();
    }

    /// <summary>A table name no other test uses.</summary>
    public static string UniqueTable() => TestServers.UniqueTable();

    private static string Require(string variable) => TestServers.Require(variable);
}
