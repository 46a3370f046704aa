using Hike.Api;
using Hike.Edn;
using Hike.Storage;
using Hike.Storage.Sqlite;
using Microsoft.Data.Sqlite;

[assembly: StoreBackend(typeof(SqliteBackend))]

namespace Hike.Storage.Sqlite;

/// <summary>
/// <c>{:backend :jdbc :dbtype "sqlite" :dbname "/path/file.db" :table "hike"}</c>: a store in one
/// table of a SQLite file (konserve-jdbc's keys). Several databases can share a file, a table each.
/// </summary>
internal sealed class SqliteBackend : IStoreBackend
{
    public string Kind => "jdbc:sqlite";

    public IStoreLocation Locate(StoreConfig store)
    {
        var options = JdbcOptions.Read(store, ["dbname", "table", "writer-lease-ms"]);
        var dbname = options.Text("dbname") ?? throw Errors.Config(":store :dbname is required for the :jdbc sqlite backend: the SQLite file");
        string path;
        try
        {
            path = Path.GetFullPath(dbname);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw Errors.Config($":store :dbname {Errors.Show(dbname)} is not a valid file path: {e.Message}");
        }
        return new SqliteLocation(path, options.Table(), options.WriterLease());
    }

    private sealed class SqliteLocation(string path, string table, TimeSpan lease) : IStoreLocation
    {
        public string Key => $"jdbc:sqlite:{path}#{table}";

        public string Description => $":jdbc sqlite {Errors.Show(path)} table {table}";

        public bool MayExist()
        {
            if (!File.Exists(path)) return false;
            using var connection = new SqliteConnection(ConnectionString(SqliteOpenMode.ReadOnly));
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = @t";
            command.Parameters.AddWithValue("@t", table);
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
        }

        public IKeyValueStore Open()
        {
            var source = SqliteFactory.Instance.CreateDataSource(ConnectionString(SqliteOpenMode.ReadWriteCreate));
            using (var connection = source.OpenConnection())
            using (var wal = connection.CreateCommand())
            {
                // Readers in other processes go on while the writer commits.
                wal.CommandText = "PRAGMA journal_mode = WAL";
                wal.ExecuteNonQuery();
            }
            return new SqlTableStore(source, ownsSource: true, table, "CREATE TABLE IF NOT EXISTS {0} (k TEXT PRIMARY KEY NOT NULL, v BLOB NOT NULL)", Description, lease);
        }

        public void Vacate(IKeyValueStore store, IReadOnlyList<string> keyFolders)
        {
            if (!((SqlTableStore)store).IsEmpty) return;
            using var connection = new SqliteConnection(ConnectionString(SqliteOpenMode.ReadWrite));
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"DROP TABLE IF EXISTS \"{table}\"";
            command.ExecuteNonQuery();
        }

        private string ConnectionString(SqliteOpenMode mode) =>
            new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = true, DefaultTimeout = 30 }.ToString();
    }
}
