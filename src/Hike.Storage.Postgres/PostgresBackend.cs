using System.Collections.Concurrent;
using Hike.Api;
using Hike.Storage;
using Hike.Storage.Postgres;
using Npgsql;

[assembly: StoreBackend(typeof(PostgresBackend))]

namespace Hike.Storage.Postgres;

/// <summary>
/// <c>{:backend :jdbc :dbtype "postgresql" :host "127.0.0.1" :port 5432 :dbname "hike" :user "u" :password "p" :table "hike"}</c>:
/// a store in one table of a PostgreSQL database (konserve-jdbc's keys). Several databases can share
/// one PostgreSQL database, a table each. A role with SELECT only can read.
/// </summary>
internal sealed class PostgresBackend : IStoreBackend
{
    /// <summary>
    /// One data source (one connection pool) per connection string for the life of the process, as
    /// Npgsql advises: the stores of many databases on one server share its connections.
    /// </summary>
    private static readonly ConcurrentDictionary<string, NpgsqlDataSource> Sources = new(StringComparer.Ordinal);

    public string Kind => "jdbc:postgresql";

    public IStoreLocation Locate(StoreConfig store)
    {
        var options = JdbcOptions.Read(store, ["host", "port", "dbname", "user", "username", "password", "table", "sslmode", "writer-lease-ms"]);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = options.Text("host") ?? "localhost",
            Port = options.Integer("port") ?? 5432,
            Database = options.Text("dbname") ?? throw Errors.Config(":store :dbname is required for the :jdbc postgresql backend"),
            Username = options.Text("user") ?? options.Text("username"),
            Password = options.Text("password"),
            Timeout = 15,
            CommandTimeout = 60,
        };
        if (options.Text("sslmode") is { } ssl)
        {
            builder.SslMode = Enum.TryParse<SslMode>(ssl, ignoreCase: true, out var mode) ? mode : throw Errors.Config($":store :sslmode {Errors.Show(ssl)} is not one of disable, prefer, require, verify-ca, verify-full");
        }
        return new PostgresLocation(builder.ConnectionString, $"{builder.Host}:{builder.Port}/{builder.Database}", options.Table(), options.WriterLease());
    }

    private sealed class PostgresLocation(string connectionString, string server, string table, TimeSpan lease) : IStoreLocation
    {
        public string Key => $"jdbc:postgresql://{server}#{table}";

        public string Description => $":jdbc postgresql {Errors.Show(server)} table {table}";

        private NpgsqlDataSource Source => Sources.GetOrAdd(connectionString, NpgsqlDataSource.Create);

        public bool MayExist()
        {
            try
            {
                using var command = Source.CreateCommand("SELECT to_regclass(@t) IS NOT NULL");
                command.Parameters.AddWithValue("t", $"\"{table}\"");
                return command.ExecuteScalar() is true;
            }
            catch (NpgsqlException e)
            {
                throw new IOException($"{Description}: {e.Message}", e);
            }
        }

        /// <summary>Opens the table, creating it when it is missing (PostgreSQL asks for the right to create even when it exists).</summary>
        public IKeyValueStore Open() =>
            new SqlTableStore(Source, ownsSource: false, table, MayExist() ? null : "CREATE TABLE IF NOT EXISTS {0} (k TEXT COLLATE \"C\" PRIMARY KEY, v BYTEA NOT NULL); ALTER TABLE {0} ALTER COLUMN v SET STORAGE EXTERNAL", Description, lease, writesInWith: true);

        public void Vacate(IKeyValueStore store, IReadOnlyList<string> keyFolders)
        {
            if (!((SqlTableStore)store).IsEmpty) return;
            using var command = Source.CreateCommand($"DROP TABLE IF EXISTS \"{table}\"");
            command.ExecuteNonQuery();
        }
    }
}
