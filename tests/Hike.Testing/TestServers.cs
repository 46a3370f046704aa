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

    /// <summary>The bucket the S3 tests' stores share, each under its own id.</summary>
    public const string S3Bucket = "hike-tests";

    /// <summary>
    /// An <c>:s3</c> store config on the test server for the store <paramref name="id"/>, with
    /// <paramref name="more"/> (EDN keys and values) added to its <c>:store</c> map.
    /// </summary>
    public static DatabaseConfig S3(string id, string more = "")
    {
        var endpoint = new Uri(Require("HIKE_TEST_S3"));
        return DatabaseConfig.Parse(
            $"{{:store {{:backend :s3 :id \"{id}\" :bucket \"{S3Bucket}\" :region \"us-east-1\" :access-key \"S3RVER\" :secret \"S3RVER\" " +
            $":endpoint-override {{:protocol :{endpoint.Scheme} :hostname \"{endpoint.Host}\" :port {endpoint.Port}}} :path-style-access? true {more}}}}}");
    }

    /// <summary>An <c>:s3</c> store config whose heads live in a PostgreSQL table of their own (s3rver cannot compare-and-set).</summary>
    public static DatabaseConfig S3WithPostgresHeads(string id) => S3(id, $":head-store {Postgres(UniqueTable()).Store}");

    /// <summary>A table name no other test uses.</summary>
    public static string UniqueTable() => $"t{Guid.NewGuid():N}";

    /// <summary>The value of <paramref name="variable"/>, which <c>tests/servers.sh start</c> sets.</summary>
    public static string Require(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{variable} is not set: start the test servers with `eval \"$(bash tests/servers.sh start)\"` (README's test command does)");
}
