using Hike.Api;
using Hike.Edn;
using Hike.Testing;

namespace Hike.Tests.Stores;

/// <summary>
/// One query over a local database and a database someone else publishes on a server, read with a
/// role that may only SELECT: Datahike's "join a database from someone else's storage".
/// </summary>
public sealed class JoinTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_query_joins_a_local_database_with_a_read_only_published_one()
    {
        var (published, role) = await Publish();
        var local = new DatabaseConfig { Store = StoreConfig.File(Path.Combine(_dir.Path, "local")) };
        await Database.CreateAsync(local);
        using var mine = await Database.ConnectAsync(local);
        mine.Transact("[{:db/ident :person/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one} " +
                      "{:person/name \"Ada\"} {:person/name \"Grace\"} {:person/name \"Linus\"}]");
        var reader = published with { Store = published.Store with { Options = published.Store.Options.With(Keyword.Intern("user"), role) } };
        using var pub = await Database.ConnectAsync(reader);

        var joined = Datalog.Q(
            "[:find ?name ?city :in $ $pub :where [$ _ :person/name ?name] [$pub ?c :city/resident ?name] [$pub ?c :city/name ?city]]",
            mine.Db, pub.Db);

        Assert.Equal("#{[\"Ada\" \"London\"] [\"Grace\" \"New York\"]}", EdnPrinter.Print(joined));
        pub.Dispose();
        await Database.DeleteAsync(local);
        await Database.DeleteAsync(published);
        Servers.AdminSql($"DROP ROLE {role}");
    }

    [Fact]
    public async Task Hike_query_joins_them_given_two_db_arguments()
    {
        var (published, role) = await Publish();
        var store = (EdnMap)published.Store.ToEdn();
        File.WriteAllText(Path.Combine(_dir.Path, "pub.edn"),
            $"{{:store {{:backend :jdbc :dbtype \"postgresql\" :host \"{store[Keyword.Intern("host")]}\" :port {store[Keyword.Intern("port")]} " +
            $":dbname \"{store[Keyword.Intern("dbname")]}\" :user \"{role}\" :table \"{store[Keyword.Intern("table")]}\"}}}}");
        File.WriteAllText(Path.Combine(_dir.Path, "local.edn"), "{:store {:backend :file :path \"local\"}}");
        Hike("create-database", "local.edn");
        Hike("transact", "conn:local.edn", "[{:db/ident :person/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one} {:person/name \"Grace\"}]");

        var joined = Hike("query", "[:find ?name ?city :in $ $pub :where [$ _ :person/name ?name] [$pub ?c :city/resident ?name] [$pub ?c :city/name ?city]]", "db:local.edn", "db:pub.edn");

        Assert.Equal("#{[\"Grace\" \"New York\"]}", joined);
        await Database.DeleteAsync(published);
        Servers.AdminSql($"DROP ROLE {role}");
    }

    /// <summary>Runs the <c>hike</c> command in the test's folder; its output, trimmed, when it succeeds.</summary>
    private string Hike(params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = _dir.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Hike.Cli.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"hike {string.Join(' ', args)}: {error}");
        return output.Result.Trim();
    }

    /// <summary>A database of cities on the PostgreSQL server, and a role that may only read it.</summary>
    internal static async Task<(DatabaseConfig Config, string Role)> Publish()
    {
        string table = Servers.UniqueTable();
        var config = Servers.Postgres(table);
        await Database.CreateAsync(config);
        using (var conn = await Database.ConnectAsync(config))
        {
            conn.Transact("[{:db/ident :city/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one} " +
                          "{:db/ident :city/resident :db/valueType :db.type/string :db/cardinality :db.cardinality/many}]");
            conn.Transact("[{:city/name \"London\" :city/resident [\"Ada\" \"Charles\"]} {:city/name \"New York\" :city/resident [\"Grace\"]}]");
        }
        string role = $"r{Guid.NewGuid():N}";
        Servers.AdminSql($"CREATE ROLE {role} LOGIN; GRANT SELECT ON \"{table}\" TO {role}");
        return (config, role);
    }
}
