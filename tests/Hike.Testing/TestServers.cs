using System.Data.Common;
using Hike.Api;

namespace Hike.Testing;

/// <summary>
/// The servers tests run against, as <c>tests/servers.sh start</c> announces them in the environment.
/// A missing one fails the test that needs it, naming the script.
/// </summary>
public static class TestServers
{
    /// <summary>A <c>:jdbc</c> PostgreSQL config for table <paramref name="table"/> (each test a table of its own).</summary>
    public static DatabaseConfig Postgres(string table)
    {
        var settings = new DbConnectionStringBuilder { ConnectionString = Require("HIKE_TEST_POSTGRES") };
        return DatabaseConfig.Parse(
            $"{{:store {{:backend :jdbc :dbtype \"postgresql\" :host \"{settings["Host"]}\" :port {settings["Port"]} " +
            $":user \"{settings["Username"]}\" :dbname \"{settings["Database"]}\" :table \"{table}\"}}}}");
    }

    /// <summary>A table name no other test uses.</summary>
    public static string UniqueTable() => $"t{Guid.NewGuid():N}";

    /// <summary>The value of <paramref name="variable"/>, which <c>tests/servers.sh start</c> sets.</summary>
    public static string Require(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{variable} is not set: start the test servers with `eval \"$(bash tests/servers.sh start)\"` (README's test command does)");
}
