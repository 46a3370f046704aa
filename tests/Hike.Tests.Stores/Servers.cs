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
