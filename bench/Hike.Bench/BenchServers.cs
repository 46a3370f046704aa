using Npgsql;

namespace Hike.Bench;

/// <summary>
/// The servers <c>--stores</c> runs against, from the environment <c>tests/servers.sh start</c> sets
/// (<c>HIKE_TEST_POSTGRES</c>, an Npgsql connection string; <c>HIKE_TEST_REDIS</c>, host:port;
/// <c>HIKE_TEST_S3</c>, the s3rver's URL), and their <c>:store</c> maps, in EDN with their credentials.
/// </summary>
internal sealed class BenchServers
{
    /// <summary>The bucket the benchmark's S3 databases share, each under its own id.</summary>
    private const string S3Bucket = "hike-bench";

    private BenchServers(string? postgres, string? redis, Uri? s3)
    {
        Postgres = postgres;
        Redis = redis;
        S3 = s3;
    }

    /// <summary>The PostgreSQL server's connection string, or null when none is configured.</summary>
    public string? Postgres { get; }

    /// <summary>The Redis server's host:port, or null.</summary>
    public string? Redis { get; }

    /// <summary>The S3 server's URL, or null.</summary>
    public Uri? S3 { get; }

    public static BenchServers FromEnvironment() => new(
        Variable("HIKE_TEST_POSTGRES"),
        Variable("HIKE_TEST_REDIS"),
        Variable("HIKE_TEST_S3") is { } s3 ? new Uri(s3) : null);

    /// <summary>A <c>:jdbc</c> PostgreSQL store in table <paramref name="table"/>.</summary>
    public string PostgresStore(string table)
    {
        var settings = new NpgsqlConnectionStringBuilder(Postgres ?? throw Missing("HIKE_TEST_POSTGRES"));
        return $"{{:backend :jdbc :dbtype \"postgresql\" :host \"{settings.Host}\" :port {settings.Port} :user \"{settings.Username}\" :dbname \"{settings.Database}\" :table \"{table}\"}}";
    }

    /// <summary>A <c>:redis</c> store for the keys under <paramref name="id"/>.</summary>
    public string RedisStore(string id) => $"{{:backend :redis :id \"{id}\" :uri \"redis://{Redis ?? throw Missing("HIKE_TEST_REDIS")}/0\"}}";

    /// <summary>An <c>:s3</c> store under <paramref name="id"/> of the benchmark's bucket, its heads in the PostgreSQL table <paramref name="headTable"/> (s3rver cannot compare-and-set).</summary>
    public string S3Store(string id, string headTable)
    {
        var endpoint = S3 ?? throw Missing("HIKE_TEST_S3");
        return $"{{:backend :s3 :id \"{id}\" :bucket \"{S3Bucket}\" :region \"us-east-1\" :access-key \"S3RVER\" :secret \"S3RVER\" " +
            $":endpoint-override {{:protocol :{endpoint.Scheme} :hostname \"{endpoint.Host}\" :port {endpoint.Port}}} :path-style-access? true " +
            $":head-store {PostgresStore(headTable)}}}";
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    private static InvalidOperationException Missing(string variable) => new($"{variable} is not set: start the servers with `eval \"$(bash tests/servers.sh start)\"`");
}
