using Hike.Api;
using Hike.Edn;
using Hike.Testing;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Api;

/// <summary>Schema migrations (norms) as Datahike's <c>datahike.norm.norm</c> and its test/datahike/norm/norm_test.clj.</summary>
public sealed class NormsTests
{
    private const string Occupation = """
        {:tx-data [{:db/doc         "Place of occupation"
                    :db/ident       :character/place-of-occupation
                    :db/valueType   :db.type/string
                    :db/cardinality :db.cardinality/one}]}
        """;

    private const string Name = """
        {:tx-data [{:db/doc         "Simpsons character name"
                    :db/ident       :character/name
                    :db/unique      :db.unique/identity
                    :db/valueType   :db.type/string
                    :db/cardinality :db.cardinality/one}]}
        """;

    /// <summary>A fresh, empty database (no initial transaction, so entity ids count from 1 as in Datahike's tests).</summary>
    private static Connection Fresh(FunctionRegistry? functions = null) =>
        Database.CreateAndConnectAsync(TestBackend.Place(new DatabaseConfig { Functions = functions ?? new FunctionRegistry() })).GetAwaiter().GetResult();

    private static TempDirectory Folder(params (string Name, string Text)[] files)
    {
        var dir = new TempDirectory();
        foreach (var (name, text) in files) Write(dir, name, text);
        return dir;
    }

    private static void Write(TempDirectory dir, string name, string text)
    {
        string path = Path.Combine(dir.Path, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private static object? Find(Database db, string query) => db.Q(query);

    private static List<Keyword> AppliedNorms(Database db) =>
        ((IEnumerable<object?>)db.Q("[:find [?n ...] :where [_ :tx/norm ?n]]")!).Cast<Keyword>().OrderBy(k => k.FullName, StringComparer.Ordinal).ToList();

    [Fact]
    public async Task Ensure_applies_the_norms_and_installs_tx_norm()
    {
        using var dir = Folder(("001-a1-example.edn", Occupation), ("002-a2-example.edn", Name));
        using var conn = Fresh();

        var applied = await Norms.EnsureNormsAsync(conn, dir.Path);

        Assert.Equal([K("001-a1-example.edn"), K("002-a2-example.edn")], applied);
        // norm_test.clj simple-test: the schema the norms define, and :tx/norm itself.
        var schema = conn.Db.Schema();
        AssertEdn("{:db/ident :character/place-of-occupation :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/doc \"Place of occupation\"}",
            Without(schema[K("character/place-of-occupation")], "db/id"));
        AssertEdn("{:db/ident :character/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/doc \"Simpsons character name\" :db/unique :db.unique/identity}",
            Without(schema[K("character/name")], "db/id"));
        AssertEdn("{:db/ident :tx/norm :db/valueType :db.type/keyword :db/cardinality :db.cardinality/one}", Without(schema[K("tx/norm")], "db/id"));
        Assert.Equal([K("001-a1-example.edn"), K("002-a2-example.edn")], AppliedNorms(conn.Db));
    }

    private static EdnMap Without(object? map, string key)
    {
        var m = Assert.IsType<EdnMap>(map);
        return EdnMap.Create(m.Entries.ToArray().Where(e => !Equals(e.Key, K(key))));
    }

    [Fact]
    public async Task Ensuring_twice_applies_nothing_the_second_time()
    {
        using var dir = Folder(("001-a1-example.edn", Occupation), ("002-a2-example.edn", Name), ("003-data.edn", "{:tx-data [{:character/name \"Homer Simpson\"}]}"));
        using var conn = Fresh();
        await Norms.EnsureNormsAsync(conn, dir.Path);
        var before = conn.Db;

        var again = await Norms.EnsureNormsAsync(conn, dir.Path);

        Assert.Empty(again);
        // No transaction at all: the database value is the one the first run left.
        Assert.Equal(before.MaxTx, conn.Db.MaxTx);
        Assert.Equal(1L, Find(conn.Db, "[:find (count ?e) . :where [?e :character/name]]"));
    }

    [Fact]
    public async Task Norms_apply_in_the_order_of_their_file_names_and_spaces_become_dashes()
    {
        // norm_test.clj naming-and-sorting-test: 001…004 sort before 01 and 02 (their ids compare as strings),
        // so Bart and Lisa, transacted by 01, get the entity ids 10 and 11.
        var functions = new FunctionRegistry()
            .RegisterTxFunction(K("simpsons/students"), (db, _) =>
                ((IEnumerable<object?>)db.Q("[:find [?e ...] :where [?e :character/name ?n] [(contains? #{\"Bart Simpson\" \"Lisa Simpson\"} ?n)]]")!)
                    .Select(e => (object?)EdnMap.Of(K("db/id"), e, K("character/occupation"), K("student"))).ToList());
        using var dir = Folder(
            ("02 add occupation.edn", """
                {:tx-data [{:db/doc "Occupation" :db/ident :character/occupation
                            :db/valueType :db.type/keyword :db/cardinality :db.cardinality/one}]
                 :tx-fn simpsons/students}
                """),
            ("01-transact-basic-characters.edn", "{:tx-data [{:character/name \"Bart Simpson\"} {:character/name \"Lisa Simpson\"}]}"),
            ("004-children.edn", "{:tx-data [{:db/ident :character/children :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}]}"),
            ("003-nothing.edn", "{}"),
            ("sub/002-a2-example.edn", Name),
            ("001-a1-example.edn", Occupation));
        using var conn = Fresh(functions);

        var applied = Norms.EnsureNorms(conn, dir.Path);

        Assert.Equal(
            ["001-a1-example.edn", "002-a2-example.edn", "003-nothing.edn", "004-children.edn", "01-transact-basic-characters.edn", "02-add-occupation.edn"],
            applied.Select(k => k.FullName));
        var students = ((IEnumerable<object?>)conn.Db.Q("[:find [?e ...] :where [?e :character/occupation :student]]")!).Order().ToList();
        AssertEdn("""
            [{:db/id 10 :character/name "Bart Simpson" :character/occupation :student}
             {:db/id 11 :character/name "Lisa Simpson" :character/occupation :student}]
            """, conn.Db.PullMany("[*]", students));
    }

    [Fact]
    public async Task A_tx_fn_norm_calls_the_registered_function_in_its_transaction()
    {
        // norm_test.clj tx-fn-test: the function lower-cases every place of occupation.
        var functions = new FunctionRegistry().RegisterTxFunction(K("my.migrations/lower-case-places"), (db, _) =>
            ((IEnumerable<object?>)db.Q("[:find ?e ?v :where [?e :character/place-of-occupation ?v]]")!)
                .Select(row => (IReadOnlyList<object?>)row!)
                .Select(row => (object?)EdnVector.Create(K("db/add"), row[0], K("character/place-of-occupation"), ((string)row[1]!).ToLowerInvariant()))
                .ToList());
        using var first = Folder(("001-a1-example.edn", Occupation), ("002-a2-example.edn", Name));
        using var second = Folder(("003-tx-fn-test.edn", "{:tx-fn my.migrations/lower-case-places}"));
        using var conn = Fresh(functions);
        await Norms.EnsureNormsAsync(conn, first.Path);
        await conn.TransactAsync("[{:character/place-of-occupation \"SPRINGFIELD ELEMENTARY SCHOOL\"} {:character/place-of-occupation \"SPRINGFIELD NUCLEAR POWER PLANT\"}]");

        await Norms.EnsureNormsAsync(conn, second.Path);

        AssertEdn("#{[\"springfield elementary school\"] [\"springfield nuclear power plant\"]}", conn.Db.Q("[:find ?v :where [_ :character/place-of-occupation ?v]]"));
    }

    [Fact]
    public async Task A_norm_with_tx_data_and_tx_fn_lets_the_function_use_what_the_data_defines()
    {
        // norm_test.clj tx-data-and-tx-fn-test: the tx-data adds :character/children, the function gives Homer and Marge their children.
        var functions = new FunctionRegistry().RegisterTxFunction(K("my.migrations/children"), (db, _) =>
            ((IEnumerable<object?>)db.Q("[:find [?e ...] :where [?e :character/name ?n] [(contains? #{\"Homer Simpson\" \"Marge Simpson\"} ?n)]]")!)
                .Select(e => (object?)EdnMap.Of(K("db/id"), e, K("character/children"), Read("[[:character/name \"Bart Simpson\"] [:character/name \"Lisa Simpson\"] [:character/name \"Maggie Simpson\"]]")))
                .ToList());
        using var first = Folder(("001-a1-example.edn", Occupation), ("002-a2-example.edn", Name));
        using var second = Folder(("004-tx-data-and-tx-fn-test.edn", """
            {:tx-data [{:db/doc "Simpsons children reference" :db/ident :character/children
                        :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}]
             :tx-fn my.migrations/children}
            """));
        using var conn = Fresh(functions);
        await Norms.EnsureNormsAsync(conn, first.Path);
        await conn.TransactAsync("[{:character/name \"Homer Simpson\"} {:character/name \"Marge Simpson\"} {:character/name \"Bart Simpson\"} {:character/name \"Lisa Simpson\"} {:character/name \"Maggie Simpson\"}]");

        await Norms.EnsureNormsAsync(conn, second.Path);

        AssertEdn("""
            [{:character/name "Homer Simpson"
              :character/children [{:character/name "Bart Simpson"} {:character/name "Lisa Simpson"} {:character/name "Maggie Simpson"}]}
             {:character/name "Marge Simpson"
              :character/children [{:character/name "Bart Simpson"} {:character/name "Lisa Simpson"} {:character/name "Maggie Simpson"}]}]
            """, conn.Db.PullMany("[:character/name {:character/children [:character/name]}]", [Read("[:character/name \"Homer Simpson\"]"), Read("[:character/name \"Marge Simpson\"]")]));
    }

    [Fact]
    public async Task A_failing_norm_leaves_nothing_of_itself_and_the_norms_before_it_stay_applied()
    {
        using var dir = Folder(
            ("001-a1-example.edn", Occupation),
            ("002-broken.edn", "{:tx-data [{:character/place-of-occupation \"Moe's Tavern\"} {:character/nickname \"Barney\"}]}"),
            ("003-a2-example.edn", Name));
        using var conn = Fresh();

        var error = await Assert.ThrowsAsync<HikeException>(() => Norms.EnsureNormsAsync(conn, dir.Path));

        Assert.Equal(ErrorCodes.TransactSchema, error.Code);
        Assert.Contains(":002-broken.edn", error.Message);
        Assert.Contains(":character/nickname", error.Message);
        Assert.Equal([K("001-a1-example.edn")], AppliedNorms(conn.Db));
        Assert.Null(Find(conn.Db, "[:find ?e . :where [?e :character/place-of-occupation \"Moe's Tavern\"]]"));
        Assert.False(conn.Db.Schema().ContainsKey(K("character/name")));

        // Fixed, the norm and the one after it apply; the first is not applied again.
        File.WriteAllText(Path.Combine(dir.Path, "002-broken.edn"), "{:tx-data [{:character/place-of-occupation \"Moe's Tavern\"}]}");
        Assert.Equal([K("002-broken.edn"), K("003-a2-example.edn")], await Norms.EnsureNormsAsync(conn, dir.Path));
        Assert.Equal(1L, Find(conn.Db, "[:find (count ?e) . :where [?e :character/place-of-occupation]]"));
    }

    [Fact]
    public async Task A_tx_fn_that_is_not_registered_applies_no_norm()
    {
        using var dir = Folder(("001-a1-example.edn", Occupation), ("002-fn.edn", "{:tx-fn my.migrations/missing}"));
        using var conn = Fresh();

        var error = await Assert.ThrowsAsync<HikeException>(() => Norms.EnsureNormsAsync(conn, dir.Path));

        Assert.Equal(ErrorCodes.NormInvalid, error.Code);
        Assert.Contains(":002-fn.edn", error.Message);
        Assert.Contains("my.migrations/missing", error.Message);
        Assert.Empty(AppliedNorms(conn.Db));
        Assert.False(conn.Db.Schema().ContainsKey(K("character/place-of-occupation")));
    }

    [Fact]
    public void Datahikes_neutral_fn_calls_nothing()
    {
        using var dir = Folder(("001-a1-example.edn", "{:tx-data [] :tx-fn datahike.norm.norm/neutral-fn}"));
        using var conn = Fresh();

        Assert.Equal([K("001-a1-example.edn")], Norms.EnsureNorms(conn, dir.Path));
    }

    [Fact]
    public void Norms_in_memory_apply_in_the_order_given_and_once()
    {
        using var conn = Fresh();
        var norms = new[]
        {
            new Norm(K("b-schema"), (EdnVector)Read("[{:db/ident :person/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]")!),
            new Norm(K("a-data"), (EdnVector)Read("[{:person/name \"Ned Flanders\"}]")!),
        };

        Assert.Equal([K("b-schema"), K("a-data")], Norms.EnsureNorms(conn, norms));
        Assert.Empty(Norms.EnsureNorms(conn, norms));
        Assert.Equal(1L, Find(conn.Db, "[:find (count ?e) . :where [?e :person/name]]"));
        Assert.Equal(ErrorCodes.NormInvalid, Assert.Throws<HikeException>(() => Norms.EnsureNorms(conn, [norms[0], new Norm(K("b-schema"))])).Code);
    }

    [Fact]
    public void Checksums_verify_until_a_norm_changes_and_update_fixes_them()
    {
        using var dir = Folder(("001-a1-example.edn", Occupation), ("002-a2-example.edn", Name));
        var written = Norms.UpdateChecksums(dir.Path);

        Assert.Equal([K("001-a1-example.edn"), K("002-a2-example.edn")], written.Keys);
        Assert.All(written.Values, v => Assert.Matches("^[0-9a-f]{128}$", (string)v!));
        Assert.Equal(written, Read(File.ReadAllText(Path.Combine(dir.Path, Norms.ChecksumsFile))));
        Norms.VerifyChecksums(dir.Path);

        File.WriteAllText(Path.Combine(dir.Path, "002-a2-example.edn"), Name.Replace("Simpsons character name", "Character name", StringComparison.Ordinal));
        var changed = Assert.Throws<HikeException>(() => Norms.VerifyChecksums(dir.Path));
        Assert.Equal(ErrorCodes.NormChecksum, changed.Code);
        Assert.Contains(":002-a2-example.edn changed", changed.Message);
        Assert.DoesNotContain("001-a1-example.edn", changed.Message);

        Norms.UpdateChecksums(dir.Path);
        Norms.VerifyChecksums(dir.Path);
    }

    [Fact]
    public void Checksums_are_of_the_values_not_the_text()
    {
        using var dir = Folder(("001-a1-example.edn", Occupation));
        Norms.UpdateChecksums(dir.Path);

        // Other whitespace, a comment and another key order are the same norm.
        File.WriteAllText(Path.Combine(dir.Path, "001-a1-example.edn"), """
            ; the place a character works
            {:tx-data [{:db/cardinality :db.cardinality/one, :db/valueType :db.type/string,
                        :db/ident :character/place-of-occupation, :db/doc "Place of occupation"}]}
            """);

        Norms.VerifyChecksums(dir.Path);
    }

    [Fact]
    public void A_norm_added_or_removed_since_the_checksums_fails_verification_naming_it()
    {
        using var dir = Folder(("001-a1-example.edn", Occupation), ("002-a2-example.edn", Name));
        Norms.UpdateChecksums(dir.Path);
        Write(dir, "sub/003-new.edn", "{:tx-data []}");
        File.Delete(Path.Combine(dir.Path, "001-a1-example.edn"));

        var error = Assert.Throws<HikeException>(() => Norms.VerifyChecksums(dir.Path));

        Assert.Equal(ErrorCodes.NormChecksum, error.Code);
        Assert.Contains(":003-new.edn has no checksum", error.Message);
        Assert.Contains(":001-a1-example.edn has a checksum but no file", error.Message);
    }

    [Fact]
    public void A_missing_folder_or_checksums_file_is_norm_missing()
    {
        using var dir = Folder(("001-a1-example.edn", Occupation));
        string gone = Path.Combine(dir.Path, "nowhere");

        Assert.Equal(ErrorCodes.NormMissing, Assert.Throws<HikeException>(() => Norms.ReadFolder(gone)).Code);
        var error = Assert.Throws<HikeException>(() => Norms.VerifyChecksums(dir.Path));
        Assert.Equal(ErrorCodes.NormMissing, error.Code);
        Assert.Contains(Norms.ChecksumsFile, error.Message);
    }

    [Theory]
    [InlineData("[{:db/ident :a}]", "a norm is a map")]
    [InlineData("{:tx-data ({:db/ident :a})}", ":tx-data must be a vector")]
    [InlineData("{:tx-fn :my/fn}", ":tx-fn must be a symbol")]
    [InlineData("{:tx-dat [{:db/ident :a}]}", "unknown key :tx-dat")]
    public void A_file_that_is_not_a_norm_is_refused_naming_it(string text, string expected)
    {
        using var dir = Folder(("001-a1-example.edn", Occupation), ("002-bad.edn", text));
        using var conn = Fresh();

        var error = Assert.Throws<HikeException>(() => Norms.EnsureNorms(conn, dir.Path));

        Assert.Equal(ErrorCodes.NormInvalid, error.Code);
        Assert.Contains("002-bad.edn", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.False(conn.Db.Schema().ContainsKey(K("tx/norm")));
    }

    [Fact]
    public void Two_files_of_one_name_in_different_folders_are_refused()
    {
        using var dir = Folder(("a/001-x.edn", "{}"), ("b/001-x.edn", "{}"));

        var error = Assert.Throws<HikeException>(() => Norms.ReadFolder(dir.Path));

        Assert.Equal(ErrorCodes.NormInvalid, error.Code);
        Assert.Contains(":001-x.edn", error.Message);
    }

    [Fact]
    public void A_norm_id_is_the_file_name_with_spaces_as_dashes()
    {
        // norm_test.clj resources: "02 add occupation.edn" is recorded in checksums.edn as :02-add-occupation.edn.
        Assert.Equal(K("02-add-occupation.edn"), Norms.NormId("02 add occupation.edn"));
        Assert.Equal(Read(":02-add-occupation.edn"), Norms.NormId("02 add occupation.edn"));
    }
}
