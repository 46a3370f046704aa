using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hike.Testing;
using Xunit.Abstractions;

namespace Hike.Cli.Tests;

/// <summary><c>export</c>, <c>import</c> and <c>load-entities</c>: a database's history moved through a file, transaction by transaction.</summary>
public sealed class ImportExportTests(ITestOutputHelper log)
{
    private const string Schema = """
        [{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
         {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
         {:db/ident :born :db/valueType :db.type/instant :db/cardinality :db.cardinality/one}
         {:db/ident :friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}
         {:db/ident :batch :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]
        """;

    [Theory]
    [InlineData("export.edn")]
    [InlineData("export.jsonl")]
    public void Import_of_an_export_has_the_same_facts_transactions_and_metadata(string file)
    {
        using var dir = new TempDirectory();
        var source = Config(dir, "source");
        BuildHistory(dir, source);

        Assert.Equal("{:datoms 33}", Cli.Ok(dir.Path, "export", $"db:{source}", file));
        Assert.Equal(33, File.ReadAllLines(Path.Combine(dir.Path, file)).Length);
        var target = Config(dir, "target");
        Cli.Ok(dir.Path, "create-database", target);
        Assert.Equal("{:transactions 4, :datoms 33}", Cli.Ok(dir.Path, "import", $"conn:{target}", file));

        foreach (var config in new[] { source, target })
        {
            Assert.Equal("4", Cli.Ok(dir.Path, "query", "[:find (count ?t) . :where [?t :db/txInstant]]", $"db:{config}"));
            Assert.Equal("""#{["Ann" 31 #inst "1990-05-01T00:00:00.000-00:00"] ["Bo" 40 #inst "1985-01-02T00:00:00.000-00:00"]}""", Cli.Ok(dir.Path, "query", "[:find ?n ?a ?b :where [?e :name ?n] [?e :age ?a] [?e :born ?b]]", $"db:{config}"));
            Assert.Equal("""#{["Cy" "Ann"]}""", Cli.Ok(dir.Path, "query", "[:find ?n ?f :where [?e :friend ?x] [?e :name ?n] [?x :name ?f]]", $"db:{config}"));
            // The metadata stays on the transaction that made Ann and Bo.
            Assert.Equal("""#{["people" "Ann"] ["people" "Bo"]}""", Cli.Ok(dir.Path, "query", "[:find ?batch ?n :where [?e :name ?n ?tx true] [?tx :batch ?batch]]", $"history:{config}"));
            // Retractions are replayed: Ann's age changed, Bo's friendship ended.
            Assert.Equal("""#{[30 true] [30 false] [31 true]}""", Cli.Ok(dir.Path, "query", "[:find ?a ?added :where [?e :name \"Ann\"] [?e :age ?a _ ?added]]", $"history:{config}"));
            Assert.Equal("""#{[true] [false]}""", Cli.Ok(dir.Path, "query", "[:find ?added :where [?e :name \"Bo\"] [?e :friend _ _ ?added]]", $"history:{config}"));
        }
        Assert.Equal(
            Cli.Ok(dir.Path, "query", "[:find [?i ...] :where [_ :db/txInstant ?i]]", $"db:{source}"),
            Cli.Ok(dir.Path, "query", "[:find [?i ...] :where [_ :db/txInstant ?i]]", $"db:{target}"));
    }

    [Theory]
    [InlineData("db")]
    [InlineData("history")]
    public void Import_reads_back_what_datoms_prints(string view)
    {
        using var dir = new TempDirectory();
        var source = Config(dir, "source");
        BuildHistory(dir, source);
        // Datahike's spelling, one list of all datoms in EAVT order: #datahike/Datom [e :a v tx added].
        var printed = Cli.Ok(dir.Path, "datoms", $"{view}:{source}", "{:index :eavt}");
        Assert.StartsWith("(#datahike/Datom [1 :db/ident :name 536870913 true] ", printed, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(dir.Path, "datoms.edn"), printed + "\n");
        var target = Config(dir, "target");
        Cli.Ok(dir.Path, "create-database", target);

        Assert.Equal(view == "db" ? "{:transactions 4, :datoms 29}" : "{:transactions 4, :datoms 33}", Cli.Ok(dir.Path, "import", $"conn:{target}", "datoms.edn"));

        Assert.Equal(printed, Cli.Ok(dir.Path, "datoms", $"{view}:{target}", "{:index :eavt}"));
    }

    [Fact]
    public void Import_reads_a_datahike_datom_on_each_line()
    {
        using var dir = new TempDirectory();
        var target = Config(dir, "target");
        Cli.Ok(dir.Path, "create-database", target);
        var lines = """
            #datahike/Datom [10 :db/ident :title 536870913 true]
            #datahike/Datom [10 :db/valueType :db.type/string 536870913 true]
            #datahike/Datom [10 :db/cardinality :db.cardinality/one 536870913 true]
            #datahike/Datom [20 :title "Dune" 536870914 true]
            """;

        var result = Cli.Run(dir.Path, lines, "import", $"conn:{target}", "-");

        Assert.Equal("{:transactions 2, :datoms 4}", result.Out);
        Assert.Equal("#datahike/Datom [2 :title \"Dune\" 536870914 true]", Cli.Ok(dir.Path, "datoms", $"db:{target}", "{:index :aevt :components [:title]}").Trim('(', ')'));
    }

    [Fact]
    public void Export_to_a_dash_writes_the_lines_to_standard_output()
    {
        using var dir = new TempDirectory();
        var source = Config(dir, "source");
        BuildHistory(dir, source);
        Cli.Ok(dir.Path, "export", $"db:{source}", "file.edn");

        var lines = Cli.Ok(dir.Path, "export", $"history:{source}", "-");

        Assert.Equal(File.ReadAllText(Path.Combine(dir.Path, "file.edn")).TrimEnd('\n'), lines);
        Assert.StartsWith("[1 :db/ident :name 536870913 true]", lines, StringComparison.Ordinal);
        Assert.StartsWith("[1,\":db/ident\",\":name\",536870913,true]", Cli.Ok(dir.Path, "export", $"db:{source}", "-", "--format", "json"), StringComparison.Ordinal);
    }

    [Fact]
    public void Import_reads_standard_input_for_a_dash()
    {
        using var dir = new TempDirectory();
        var target = Config(dir, "target");
        Cli.Ok(dir.Path, "create-database", target);
        var lines = """
            [10 :db/ident :title 536870913 true]
            [10 :db/valueType :db.type/string 536870913 true]
            [10 :db/cardinality :db.cardinality/one 536870913 true]

            [20 :title "Dune" 536870914 true]
            """;

        var result = Cli.Run(dir.Path, lines, "import", $"conn:{target}", "-");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("{:transactions 2, :datoms 4}", result.Out);
        Assert.Equal("""#{["Dune"]}""", Cli.Ok(dir.Path, "query", "[:find ?t :where [_ :title ?t]]", $"db:{target}"));
    }

    [Fact]
    public void Load_entities_takes_a_vector_of_datoms()
    {
        using var dir = new TempDirectory();
        var target = Config(dir, "target");
        Cli.Ok(dir.Path, "create-database", target);

        var printed = Cli.Ok(dir.Path, "load-entities", $"conn:{target}", """
            [[1 :db/ident :name 536870913 true]
             [1 :db/valueType :db.type/string 536870913 true]
             [1 :db/cardinality :db.cardinality/one 536870913 true]
             [2 :db/ident :likes 536870913 true]
             [2 :db/valueType :db.type/ref 536870913 true]
             [2 :db/cardinality :db.cardinality/one 536870913 true]
             [536870913 :db/txInstant #inst "2020-01-01T00:00:00.000-00:00" 536870913 true]
             [7 :name "Ivan" 536870914 true]
             [8 :name "Oleg" 536870914 true]
             [7 :likes 8 536870914 true]
             [536870914 :db/txInstant #inst "2020-01-02T00:00:00.000-00:00" 536870914 true]]
            """);

        Assert.Equal("{:transactions 2, :datoms 11}", printed);
        Assert.Equal("""#{["Ivan" "Oleg"]}""", Cli.Ok(dir.Path, "query", "[:find ?a ?b :where [?x :likes ?y] [?x :name ?a] [?y :name ?b]]", $"db:{target}"));
        Assert.Equal("#inst \"2020-01-02T00:00:00.000-00:00\"", Cli.Ok(dir.Path, "query", "[:find (max ?i) . :where [_ :db/txInstant ?i]]", $"db:{target}"));
    }

    [Fact]
    public void A_missing_file_is_a_one_line_error()
    {
        using var dir = new TempDirectory();
        var target = Config(dir, "target");
        Cli.Ok(dir.Path, "create-database", target);

        var result = Cli.Run(dir.Path, null, "import", $"conn:{target}", "missing.edn");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Equal("hike: missing.edn: no such file [cli/file]", result.Error.TrimEnd('\n'));
        var export = Cli.Run(dir.Path, null, "export", $"db:{target}", "no/such/folder/out.edn");
        Assert.Equal(1, export.ExitCode);
        Assert.Equal("hike: no/such/folder/out.edn: no such directory [cli/file]", export.Error.TrimEnd('\n'));
    }

    [Fact]
    public void Load_entities_reads_json_datoms_and_restores_their_types()
    {
        using var dir = new TempDirectory();
        var target = Config(dir, "target");
        Cli.Ok(dir.Path, "create-database", target);
        File.WriteAllText(Path.Combine(dir.Path, "datoms.json"), """
            [[1, ":db/ident", ":born", 536870913, true],
             [1, ":db/valueType", ":db.type/instant", 536870913, true],
             [1, ":db/cardinality", ":db.cardinality/one", 536870913, true],
             [2, ":db/ident", ":label", 536870913, true],
             [2, ":db/valueType", ":db.type/string", 536870913, true],
             [2, ":db/cardinality", ":db.cardinality/one", 536870913, true],
             [536870913, ":db/txInstant", "2020-01-01T00:00:00.000Z", 536870913, true],
             [5, ":born", "1999-12-31T23:59:59.000Z", 536870914, true],
             [5, ":label", ":not-a-keyword", 536870914, true],
             [536870914, ":db/txInstant", "2020-01-02T00:00:00.000Z", 536870914, true]]
            """);

        Assert.Equal("{:transactions 2, :datoms 10}", Cli.Ok(dir.Path, "load-entities", $"conn:{target}", "json:datoms.json"));
        Assert.Equal("""#{[#inst "1999-12-31T23:59:59.000-00:00" ":not-a-keyword"]}""", Cli.Ok(dir.Path, "query", "[:find ?b ?l :where [?e :born ?b] [?e :label ?l]]", $"db:{target}"));
    }

    [Fact]
    public void A_malformed_line_is_an_error_naming_its_number()
    {
        using var dir = new TempDirectory();
        var target = Config(dir, "target");
        Cli.Ok(dir.Path, "create-database", target);
        File.WriteAllText(Path.Combine(dir.Path, "bad.edn"), """
            [1 :db/ident :title 536870913 true]
            [1 :db/valueType :db.type/string 536870913 true]
            [1 :db/cardinality :db.cardinality/one 536870913 true
            """);
        File.WriteAllText(Path.Combine(dir.Path, "short.edn"), "[1 :db/ident :title 536870913 true]\n[2 :title]\n");

        var syntax = Cli.Run(dir.Path, null, "import", $"conn:{target}", "bad.edn");
        var shape = Cli.Run(dir.Path, null, "import", $"conn:{target}", "short.edn");

        Assert.Equal(1, syntax.ExitCode);
        Assert.Single(syntax.Error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("hike: bad.edn line 3: ", syntax.Error, StringComparison.Ordinal);
        Assert.EndsWith("[edn/syntax]\n", syntax.Error, StringComparison.Ordinal);
        Assert.Equal(1, shape.ExitCode);
        Assert.Equal("hike: short.edn line 2: expected a datom [e :attribute value tx added], got [2 :title] [cli/format]", shape.Error.TrimEnd('\n'));
        // Nothing of the broken source transaction was loaded.
        Assert.Equal("nil", Cli.Ok(dir.Path, "query", "[:find (count ?t) . :where [?t :db/txInstant]]", $"db:{target}"));
    }

    [Fact]
    public void A_million_datoms_import_through_the_command_line()
    {
        using var dir = new TempDirectory();
        const int transactions = 1000;
        const int entities = 500;
        var file = Path.Combine(dir.Path, "million.edn");
        long lines = WriteMillion(file, transactions, entities);
        Assert.Equal(1 + 6 + 1 + (transactions * ((entities * 2) + 1)), lines);
        var target = Config(dir, "target");
        Cli.Ok(dir.Path, "create-database", target);

        var clock = Stopwatch.StartNew();
        var printed = Cli.Ok(dir.Path, "import", $"conn:{target}", "million.edn");
        log.WriteLine($"import of {lines} datoms: {clock.Elapsed.TotalSeconds:0.0} s");

        Assert.Equal($"{{:transactions {transactions + 1}, :datoms {lines}}}", printed);
        Assert.Equal($"{transactions * entities}", Cli.Ok(dir.Path, "query", "[:find (count ?e) . :where [?e :item/id]]", $"db:{target}"));
        Assert.Equal($"{transactions + 1}", Cli.Ok(dir.Path, "query", "[:find (count ?t) . :where [?t :db/txInstant]]", $"db:{target}"));
        Assert.Equal("\"item 499999\"", Cli.Ok(dir.Path, "query", "[:find ?n . :where [?e :item/id 499999] [?e :item/name ?n]]", $"db:{target}"));
    }

    [Fact]
    public void An_import_run_again_on_the_whole_file_after_part_of_it_continues_where_it_stopped()
    {
        using var dir = new TempDirectory();
        var source = Config(dir, "source");
        BuildHistory(dir, source);
        Cli.Ok(dir.Path, "export", $"db:{source}", "all.edn");
        var lines = File.ReadAllLines(Path.Combine(dir.Path, "all.edn"));
        // The first two transactions, as an import killed after committing them leaves the database.
        static long Tx(string line) => long.Parse(line.Split(' ')[^2], CultureInfo.InvariantCulture);
        long third = lines.Select(Tx).Distinct().ElementAt(2);
        File.WriteAllLines(Path.Combine(dir.Path, "part.edn"), lines.TakeWhile(l => Tx(l) < third));
        var target = Config(dir, "target");
        Cli.Ok(dir.Path, "create-database", target);
        Assert.Equal("{:transactions 2, :datoms 26}", Cli.Ok(dir.Path, "import", $"conn:{target}", "part.edn"));

        Assert.Equal("{:transactions 2, :datoms 33, :skipped 2}", Cli.Ok(dir.Path, "import", $"conn:{target}", "all.edn"));
        Assert.Equal("{:transactions 0, :datoms 33, :skipped 4}", Cli.Ok(dir.Path, "import", $"conn:{target}", "all.edn"));

        Cli.Ok(dir.Path, "export", $"db:{target}", "again.edn");
        Assert.Equal(lines, File.ReadAllLines(Path.Combine(dir.Path, "again.edn")));
    }

    [Fact]
    public async Task An_import_killed_midway_finishes_when_run_again()
    {
        using var dir = new TempDirectory();
        const int transactions = 400;
        const int entities = 250;
        long lines = WriteMillion(Path.Combine(dir.Path, "items.edn"), transactions, entities);
        var target = Config(dir, "target");
        Cli.Ok(dir.Path, "create-database", target);
        using var reader = await Hike.Api.Database.ConnectAsync(Hike.Api.DatabaseConfig.Parse(File.ReadAllText(Path.Combine(dir.Path, target))));
        long firstTx = reader.Db.MaxTx;

        using (var import = Cli.Start(dir.Path, "import", $"conn:{target}", "items.edn"))
        {
            var clock = Stopwatch.StartNew();
            while (reader.Db.MaxTx < firstTx + 20 && !import.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2)) await Task.Delay(5);
            Assert.False(import.HasExited, "the import finished before it could be killed");
            import.Kill();
            await import.WaitForExitAsync();
        }
        long committed = reader.Db.MaxTx - firstTx;
        log.WriteLine($"killed after {committed} transactions");
        Assert.InRange(committed, 20, transactions);

        var printed = Cli.Ok(dir.Path, "import", $"conn:{target}", "items.edn");

        var counts = (Hike.Edn.EdnMap)Hike.Edn.EdnReader.Read(printed)!;
        long skipped = (long)counts.Get(Hike.Edn.Keyword.Intern("skipped"))!;
        Assert.True(skipped >= committed, printed);
        Assert.Equal(transactions + 1L, skipped + (long)counts.Get(Hike.Edn.Keyword.Intern("transactions"))!);
        Assert.Equal(lines, counts.Get(Hike.Edn.Keyword.Intern("datoms")));
        Assert.Equal($"{transactions * entities}", Cli.Ok(dir.Path, "query", "[:find (count ?e) . :where [?e :item/id]]", $"db:{target}"));
        Assert.Equal($"{transactions + 1}", Cli.Ok(dir.Path, "query", "[:find (count ?t) . :where [?t :db/txInstant]]", $"db:{target}"));
        // Exactly what one uninterrupted import makes, down to the ids and instants.
        var clean = Config(dir, "clean");
        Cli.Ok(dir.Path, "create-database", clean);
        Cli.Ok(dir.Path, "import", $"conn:{clean}", "items.edn");
        Cli.Ok(dir.Path, "export", $"db:{target}", "resumed.edn");
        Cli.Ok(dir.Path, "export", $"db:{clean}", "clean.edn");
        Assert.True(File.ReadAllBytes(Path.Combine(dir.Path, "clean.edn")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir.Path, "resumed.edn"))));
    }

    /// <summary>Writes a config file for a file-store database in <paramref name="dir"/>; returns its name.</summary>
    private static string Config(TempDirectory dir, string name)
    {
        var db = Path.Combine(dir.Path, name).Replace("\\", "\\\\", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(dir.Path, name + ".edn"), $"{{:store {{:backend :file :path \"{db}\"}} :keep-history? true :schema-flexibility :write}}");
        return name + ".edn";
    }

    /// <summary>Four transactions: the schema; Ann and Bo with metadata; Ann older and Cy her friend; Bo's friendship retracted.</summary>
    private static void BuildHistory(TempDirectory dir, string config)
    {
        Cli.Ok(dir.Path, "create-database", config);
        Cli.Ok(dir.Path, "transact", $"conn:{config}", Schema);
        Cli.Ok(dir.Path, "transact", $"conn:{config}", """
            {:tx-data [{:db/id "ann" :name "Ann" :age 30 :born #inst "1990-05-01"}
                       {:name "Bo" :age 40 :born #inst "1985-01-02" :friend "ann"}]
             :tx-meta {:batch "people"}}
            """);
        Cli.Ok(dir.Path, "transact", $"conn:{config}", """[{:name "Cy" :friend [:name "Ann"]} [:db/add [:name "Ann"] :age 31]]""");
        Cli.Ok(dir.Path, "transact", $"conn:{config}", """[[:db/retract [:name "Bo"] :friend [:name "Ann"]]]""");
    }

    /// <summary>An export as <c>export</c> writes it: attribute definitions, then transactions of new entities, each with its instant.</summary>
    private static long WriteMillion(string path, int transactions, int entities)
    {
        const long tx0 = 536870912;
        long lines = 0;
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 16);
        void Line(string text)
        {
            writer.WriteLine(text);
            lines++;
        }
        var instant = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        string Inst(DateTime t) => "#inst \"" + t.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'-00:00'", CultureInfo.InvariantCulture) + "\"";
        long tx = tx0 + 1;
        Line($"[1 :db/ident :item/id {tx} true]");
        Line($"[1 :db/valueType :db.type/long {tx} true]");
        Line($"[1 :db/cardinality :db.cardinality/one {tx} true]");
        Line($"[1 :db/unique :db.unique/identity {tx} true]");
        Line($"[2 :db/ident :item/name {tx} true]");
        Line($"[2 :db/valueType :db.type/string {tx} true]");
        Line($"[2 :db/cardinality :db.cardinality/one {tx} true]");
        Line($"[{tx} :db/txInstant {Inst(instant)} {tx} true]");
        long e = 100;
        long n = 0;
        for (int t = 1; t <= transactions; t++)
        {
            tx = tx0 + 1 + t;
            for (int i = 0; i < entities; i++, e++, n++)
            {
                Line($"[{e} :item/id {n} {tx} true]");
                Line($"[{e} :item/name \"item {n}\" {tx} true]");
            }
            Line($"[{tx} :db/txInstant {Inst(instant.AddMinutes(t))} {tx} true]");
        }
        return lines;
    }
}
