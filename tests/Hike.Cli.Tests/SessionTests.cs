using System.Text.RegularExpressions;
using Hike.Testing;

namespace Hike.Cli.Tests;

/// <summary>A whole session of dthk commands against a file store, each a hike process of its own, checking every output exactly.</summary>
public sealed class SessionTests
{
    private const string Config = """
        {:store {:backend :file :path "db"}
         :keep-history? true
         :schema-flexibility :write
         :initial-tx [{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
                      {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]}
        """;

    [Fact]
    public void A_dthk_session_creates_transacts_queries_travels_in_time_and_deletes()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "cfg.edn"), Config);

        var created = Cli.Ok(dir.Path, "create-database", "cfg.edn");
        Assert.Matches($$"""^\{:store \{:backend :file, :id "[0-9a-f-]{36}", :path "{{Regex.Escape(Path.Combine(dir.Path, "db"))}}"\}, :keep-history\? true, :schema-flexibility :write, :branch :db\}$""", created);
        Assert.Equal("true", Cli.Ok(dir.Path, "database-exists", "cfg.edn"));

        // 100 single-entity transactions, each by a process of its own; the schema took transaction 536870913.
        for (int i = 1; i <= 100; i++)
        {
            long tx = 536870913 + i;
            Assert.Equal($"{{:tx {tx}, :tempids {{:db/current-tx {tx}}}, :datoms 3}}", TxReports.Summary(Cli.Ok(dir.Path, "transact", "conn:cfg.edn", $"[{{:name \"p{i}\" :age {i}}}]")));
        }
        Assert.Equal("100", Cli.Ok(dir.Path, "query", "[:find (count ?e) . :where [?e :name]]", "db:cfg.edn"));

        // A positional string input, and pull output as Datahike prints it.
        Assert.Equal("{:tx 536871014, :tempids {\"j\" 103, :db/current-tx 536871014}, :datoms 2}",
            TxReports.Summary(Cli.Ok(dir.Path, "transact", "conn:cfg.edn", "[{:db/id \"j\" :name \"Judea\"}]")));
        Assert.Equal("{:db/id 103, :name \"Judea\"}", Cli.Ok(dir.Path, "query", "[:find (pull ?e [:db/id :name]) . :in $ ?n :where [?e :name ?n]]", "db:cfg.edn", "\"Judea\""));
        Assert.Equal("#{[\"Judea\"]}", Cli.Ok(dir.Path, "query", "[:find ?n :in $ ?min :where [?e :name ?n] (not [?e :age])]", "db:cfg.edn", "0"));

        // Time travel: everything since the epoch, nothing as of it, the first transactions by id.
        Assert.Equal("101", Cli.Ok(dir.Path, "query", "[:find (count ?e) . :where [?e :name]]", "since:0:cfg.edn"));
        Assert.Equal("nil", Cli.Ok(dir.Path, "query", "[:find (count ?e) . :where [?e :name]]", "asof:0:cfg.edn"));
        Assert.Equal("nil", Cli.Ok(dir.Path, "query", "[:find (count ?e) . :where [?e :name]]", "asof:2000-01-01T00:00:00Z:cfg.edn"));
        Assert.Equal("#{[\"p1\" 1] [\"p2\" 2]}", Cli.Ok(dir.Path, "query", "[:find ?n ?a :where [?e :name ?n] [?e :age ?a]]", "asof:tx:536870915:cfg.edn"));
        Assert.Equal("#{[\"p1\" 1]}", Cli.Ok(dir.Path, "query", "[:find ?n ?a :where [?e :name ?n] [?e :age ?a]]", "asof:tx:536870914:cfg.edn"));
        Cli.Ok(dir.Path, "transact", "conn:cfg.edn", "[[:db/add [:name \"p1\"] :age 42]]");
        Assert.Equal("#{[1 true] [1 false] [42 true]}", Cli.Ok(dir.Path, "query", "[:find ?a ?added :where [?e :name \"p1\"] [?e :age ?a _ ?added]]", "history:cfg.edn"));

        // Reads of one entity and of the indices.
        Assert.Equal("{:name \"p1\", :age 42}", Cli.Ok(dir.Path, "pull", "db:cfg.edn", "[:name :age]", "3"));
        Assert.Equal("[{:name \"p1\"} {:name \"p2\"}]", Cli.Ok(dir.Path, "pull-many", "db:cfg.edn", "[:name]", "[3 4]"));
        Assert.Equal("{:name \"p2\", :age 2}", Cli.Ok(dir.Path, "entity", "db:cfg.edn", "4"));
        Assert.Equal("(#datahike/Datom [1 :db/ident :name 536870913 true] #datahike/Datom [1 :db/valueType :db.type/string 536870913 true] #datahike/Datom [1 :db/cardinality :db.cardinality/one 536870913 true] #datahike/Datom [1 :db/unique :db.unique/identity 536870913 true])",
            Cli.Ok(dir.Path, "datoms", "db:cfg.edn", "{:index :eavt :components [1]}"));
        Assert.Equal("(#datahike/Datom [4 :name \"p2\" 536870915 true] #datahike/Datom [4 :age 2 536870915 true])",
            Cli.Ok(dir.Path, "datoms", "db:cfg.edn", "{:index :eavt :components [4]}"));
        Assert.Equal("(#datahike/Datom [10 :age 8 536870921 true] #datahike/Datom [11 :age 9 536870922 true])",
            Cli.Ok(dir.Path, "index-range", "db:cfg.edn", "{:attrid :age :start 8 :end 9}"));
        Assert.Equal("{:name {:db/ident :name, :db/valueType :db.type/string, :db/cardinality :db.cardinality/one, :db/unique :db.unique/identity, :db/id 1}, :age {:db/ident :age, :db/valueType :db.type/long, :db/cardinality :db.cardinality/one, :db/id 2}}",
            Cli.Ok(dir.Path, "schema", "db:cfg.edn"));
        Assert.Equal("{:db/unique #{:name}, :db.unique/identity #{:name}}", Cli.Ok(dir.Path, "reverse-schema", "db:cfg.edn"));
        var metrics = Cli.Ok(dir.Path, "metrics", "db:cfg.edn");
        Assert.StartsWith("{:per-attr-counts {:age 100, :name 101, :db/cardinality 2, :db/ident 2, :db/txInstant 103, :db/unique 1, :db/valueType 2}, :per-entity-counts {", metrics);
        Assert.EndsWith(", :count 311, :avet-count 103, :temporal-count 2, :temporal-avet-count 0}", metrics);

        // The other output formats.
        Assert.Equal("{\"name\":\"p2\",\"age\":2}", Cli.Ok(dir.Path, "--format", "json", "pull", "db:cfg.edn", "[:name :age]", "4"));
        Assert.Equal("| ?n | ?a |\n|----|----|\n| p2 | 2  |\n| p3 | 3  |\n(2 rows)", Cli.Ok(dir.Path, "-f", "table", "query", "[:find ?n ?a :where [?e :name ?n] [?e :age ?a] [(< 1 ?a 4)]]", "db:cfg.edn"));

        Assert.Equal("true", Cli.Ok(dir.Path, "delete-database", "cfg.edn"));
        Assert.Equal("false", Cli.Ok(dir.Path, "database-exists", "cfg.edn"));
    }
}
