namespace Hike.Cli.Tests;

/// <summary>Every failure exits 1 with one line on standard error naming what was wrong, and prints nothing on standard output.</summary>
public sealed class ErrorTests : IClassFixture<ErrorTests.Database>
{
    private readonly Fixture _f;

    public ErrorTests(Database db) => _f = db.Fixture;

    [Theory]
    [InlineData("hike: EOF while reading vector started at line 1, column 1 [edn/syntax]", "query", "[:find ?e :where [?e :name]", "db:cfg.edn")]
    [InlineData("hike: Unexpected ')', expected ']' to close the vector started at line 1, column 1 (line 1, column 17) [edn/syntax]", "query", "[:find ?e :where)", "db:cfg.edn")]
    [InlineData("hike: Bad entity attribute :nope at {:nope 1}, not defined in current schema [transact/schema]", "transact", "conn:cfg.edn", "[{:nope 1}]")]
    [InlineData("hike: Bad entity value \"old\" at {:name \"x\", :age \"old\"}, value does not match schema definition. Must be conform to: :db.type/long [transact/schema]", "transact", "conn:cfg.edn", "[{:name \"x\" :age \"old\"}]")]
    [InlineData("hike: missing.edn: no such file [cli/file]", "query", "[:find ?e :where [?e :name]]", "db:missing.edn")]
    [InlineData("hike: tx.edn: no such file [cli/file]", "transact", "conn:cfg.edn", "edn:tx.edn")]
    [InlineData("hike: Branch :nope does not exist [branch/missing]", "query", "[:find ?e :where [?e :name]]", "branch:nope:cfg.edn")]
    [InlineData("hike: Wrong number of arguments for bindings [$ ?n], 2 required, 1 provided [query/inputs]", "query", "[:find ?e :in $ ?n :where [?e :name ?n]]", "db:cfg.edn")]
    [InlineData("hike: Unknown output format xml; use edn, json, pprint, table or cbor [cli/format]", "--format", "xml", "schema", "db:cfg.edn")]
    [InlineData("hike: pull needs a pull pattern as argument 2 [cli/argument]", "pull", "db:cfg.edn")]
    [InlineData("hike: entity takes at most 2 argument(s), got 3: unexpected 2 [cli/argument]", "entity", "db:cfg.edn", "1", "2")]
    [InlineData("hike: Bad time yesterday: expected epoch milliseconds, an ISO-8601 instant or tx:N [cli/argument]", "query", "[:find ?e :where [?e :name]]", "asof:yesterday:cfg.edn")]
    [InlineData("hike: Expected a connection conn:CONFIG, got history:cfg.edn [cli/argument]", "transact", "history:cfg.edn", "[]")]
    [InlineData("hike: datoms needs :index :eavt, :aevt or :avet in {:index :vaet} [cli/argument]", "datoms", "db:cfg.edn", "{:index :vaet}")]
    [InlineData("hike: unknown command frobnicate (hike --help lists the commands) [cli/usage]", "frobnicate")]
    [InlineData("hike: unknown command qeury; did you mean query? (hike --help lists the commands) [cli/usage]", "qeury", "[:find ?e :where [?e :name]]", "db:cfg.edn")]
    [InlineData("hike: unknown command transcat; did you mean transact? (hike --help lists the commands) [cli/usage]", "help", "transcat")]
    [InlineData("hike: Branch :db is the default branch and cannot be deleted [branch/default]", "delete-branch", "conn:cfg.edn", ":db")]
    [InlineData("hike: benchmark's TO must be a whole number of at least 0, got ten [cli/argument]", "benchmark", "conn:cfg.edn", "0", "ten", "5")]
    [InlineData("hike: benchmark's TO must be a whole number of at least 5, got 1 [cli/argument]", "benchmark", "conn:cfg.edn", "5", "1", "5")]
    [InlineData("hike: benchmark's BATCH must be a whole number of at least 1, got 0 [cli/argument]", "benchmark", "conn:cfg.edn", "0", "10", "0")]
    [InlineData("hike: benchmark's BATCH must be at most 1,000,000 datoms, got 5000000 [cli/argument]", "benchmark", "conn:cfg.edn", "0", "10", "5000000")]
    public void A_failure_prints_one_line_naming_it_and_exits_1(string expected, params string[] args)
    {
        var result = _f.Run(args);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Equal(expected + "\n", result.Error);
    }

    [Fact]
    public void Help_names_a_commands_arguments_and_q_is_query()
    {
        var help = _f.Run("help", "query");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Run a Datalog query on its inputs.", help.Output, StringComparison.Ordinal);
        Assert.Contains("Usage:\n  hike query ", help.Output, StringComparison.Ordinal);
        Assert.Contains("transact", _f.Run("help").Output, StringComparison.Ordinal);
        Assert.Equal(_f.Run("query", "[:find (count ?e) . :where [?e :name]]", "db:cfg.edn").Output, _f.Run("q", "[:find (count ?e) . :where [?e :name]]", "db:cfg.edn").Output);
    }

    [Fact]
    public void A_missing_database_is_named()
    {
        using var f = new Fixture(create: false);
        var result = f.Run("query", "[:find ?e :where [?e :name]]", "db:cfg.edn");
        Assert.Equal(1, result.ExitCode);
        Assert.Matches("^hike: Database :file \".*db\" does not exist \\[db/missing\\]\n$", result.Error);
        Assert.Equal(0, f.Run("create-database", "cfg.edn").ExitCode);
        var again = f.Run("create-database", "cfg.edn");
        Assert.Equal(1, again.ExitCode);
        Assert.Matches("^hike: Database :file \".*db\" already exists \\[db/exists\\]\n$", again.Error);
    }

    [Fact]
    public void A_config_file_that_does_not_read_is_named_and_a_mem_database_is_said_to_live_for_the_command_only()
    {
        using var f = new Fixture(create: false);
        File.WriteAllText(Path.Combine(f.Dir, "bad.edn"), "{:store {:backend :file} :keep-history? true}");
        var bad = f.Run("query", "[:find ?e :where [?e :name]]", "db:bad.edn");
        Assert.Equal(1, bad.ExitCode);
        Assert.Equal("hike: bad.edn: :store :path is required for the :file backend [config/invalid]\n", bad.Error);

        File.WriteAllText(Path.Combine(f.Dir, "mem.edn"), "{:store {:backend :mem :id \"scratch\"}}");
        var created = f.Run("create-database", "mem.edn");
        Assert.Equal(0, created.ExitCode);
        Assert.StartsWith("{:store {:backend :mem", created.Output, StringComparison.Ordinal);
        Assert.Equal("hike: warning: a :mem database lives in this process only, and is gone when this command ends; use :file (or another store) to keep it\n", created.Error);
    }

    /// <summary>One database for all the error cases.</summary>
    public sealed class Database : IDisposable
    {
        internal Fixture Fixture { get; } = new();

        public void Dispose() => Fixture.Dispose();
    }
}
