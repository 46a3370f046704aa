using Hike.Testing;

namespace Hike.Cli.Tests;

/// <summary>A config file written as Datahike's doc/cli.md writes one, konserve store options included.</summary>
public sealed class DatahikeConfigTests
{
    [Fact]
    public void The_config_of_datahikes_cli_guide_creates_transacts_and_queries()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "myconfig.edn"), """
            {:store  {:backend :file
                      :path "dh-shared-db"
                      :id #uuid "550e8400-e29b-41d4-a716-446655440000"
                      :config {:in-place? true}}
             :keep-history? true
             :schema-flexibility :read}
            """);
        Assert.Equal($"{{:store {{:backend :file, :id \"550e8400-e29b-41d4-a716-446655440000\", :path \"{Path.Combine(dir.Path, "dh-shared-db")}\"}}, :keep-history? true, :schema-flexibility :read, :branch :db}}",
            Cli.Ok(dir.Path, "create-database", "myconfig.edn"));
        Assert.Equal("{:tx 536870913, :tempids {-1 1, :db/current-tx 536870913}, :datoms 2}",
            TxReports.Summary(Cli.Ok(dir.Path, "transact", "conn:myconfig.edn", "[[:db/add -1 :name \"Linus\"]]")));
        Assert.Equal("#{[\"Linus\"]}", Cli.Ok(dir.Path, "query", "[:find ?n :where [?e :name ?n]]", "db:myconfig.edn"));
    }

    [Fact]
    public void A_jdbc_sqlite_config_creates_transacts_and_queries()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "sql.edn"), """
            {:store {:backend :jdbc :dbtype "sqlite" :dbname "hike.db" :table "people"
                     :id #uuid "550e8400-e29b-41d4-a716-446655440001"}}
            """);
        Assert.Equal($"{{:store {{:backend :jdbc, :id \"550e8400-e29b-41d4-a716-446655440001\", :dbtype \"sqlite\", :dbname \"{Path.Combine(dir.Path, "hike.db")}\", :table \"people\"}}, :keep-history? true, :schema-flexibility :write, :branch :db}}",
            Cli.Ok(dir.Path, "create-database", "sql.edn"));
        Cli.Ok(dir.Path, "transact", "conn:sql.edn", "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
        Cli.Ok(dir.Path, "transact", "conn:sql.edn", "[{:name \"Linus\"}]");

        Assert.Equal("#{[\"Linus\"]}", Cli.Ok(dir.Path, "query", "[:find ?n :where [?e :name ?n]]", "db:sql.edn"));
        Assert.True(File.Exists(Path.Combine(dir.Path, "hike.db")));
        Assert.Equal(1, Cli.Run(dir.Path, null, "create-database", "sql.edn").ExitCode);
    }

    [Fact]
    public void An_s3_config_creates_transacts_queries_and_deletes_and_never_prints_its_credentials()
    {
        using var dir = new TempDirectory();
        var endpoint = new Uri(TestServers.Require("HIKE_TEST_S3"));
        File.WriteAllText(Path.Combine(dir.Path, "s3.edn"),
            $"{{:store {{:backend :s3 :id #uuid \"{Guid.NewGuid()}\" :bucket \"hike-cli-tests\" :region \"us-east-1\" " +
            $":access-key \"S3RVER\" :secret \"S3RVER\" :path-style-access? true :fencing :none " +
            $":endpoint-override {{:protocol :http :hostname \"{endpoint.Host}\" :port {endpoint.Port}}}}}}}");
        var created = Cli.Ok(dir.Path, "create-database", "s3.edn");
        Cli.Ok(dir.Path, "transact", "conn:s3.edn", "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one} {:name \"Linus\"}]");

        Assert.Equal("#{[\"Linus\"]}", Cli.Ok(dir.Path, "query", "[:find ?n :where [?e :name ?n]]", "db:s3.edn"));
        Assert.Contains(":backend :s3", created, StringComparison.Ordinal);
        Assert.DoesNotContain("S3RVER", created, StringComparison.Ordinal);
        Cli.Ok(dir.Path, "delete-database", "s3.edn");
        Assert.Equal(1, Cli.Run(dir.Path, null, "query", "[:find ?n :where [?e :name ?n]]", "db:s3.edn").ExitCode);
    }

    [Fact]
    public void Relative_store_paths_are_the_config_files_folders_and_an_inline_configs_the_working_directorys()
    {
        using var dir = new TempDirectory();
        string sub = Directory.CreateDirectory(Path.Combine(dir.Path, "sub")).FullName;
        File.WriteAllText(Path.Combine(sub, "cfg.edn"), "{:store {:backend :file :path \"db\"} :schema-flexibility :read}");

        Cli.Ok(dir.Path, "create-database", "sub/cfg.edn");
        Assert.True(Directory.Exists(Path.Combine(sub, "db")));
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "db")));
        Cli.Ok(dir.Path, "transact", "conn:sub/cfg.edn", "[{:name \"from the parent\"}]");
        Cli.Ok(sub, "transact", "conn:cfg.edn", "[{:name \"from inside\"}]");
        Assert.Equal("2", Cli.Ok(Path.GetTempPath(), "query", "[:find (count ?e) . :where [?e :name]]", $"db:{Path.Combine(sub, "cfg.edn")}"));

        Cli.Ok(dir.Path, "create-database", "{:store {:backend :file :path \"inline\"}}");
        Assert.True(Directory.Exists(Path.Combine(dir.Path, "inline")));
    }

    [Fact]
    public void Sync_copies_a_file_database_into_sqlite_and_a_second_sync_copies_nothing()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "from.edn"), "{:store {:backend :file :path \"db\"}}");
        File.WriteAllText(Path.Combine(dir.Path, "to.edn"), "{:store {:backend :jdbc :dbtype \"sqlite\" :dbname \"copy.db\"}}");
        Cli.Ok(dir.Path, "create-database", "from.edn");
        Cli.Ok(dir.Path, "transact", "conn:from.edn", "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one} {:name \"Linus\"}]");

        var first = Cli.Ok(dir.Path, "sync", "from.edn", "to.edn");
        var second = Cli.Ok(dir.Path, "sync", "from.edn", "to.edn", "--branch", ":db");

        Assert.Matches(@"^\{:objects [1-9]\d*, :bytes [1-9]\d*, :branches \[:db\]\}$", first);
        Assert.Equal("{:objects 0, :bytes 0, :branches []}", second);
        Assert.Equal("#{[\"Linus\"]}", Cli.Ok(dir.Path, "query", "[:find ?n :where [?e :name ?n]]", "db:to.edn"));
    }
}
