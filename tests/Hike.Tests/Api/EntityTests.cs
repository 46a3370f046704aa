using Hike.Api;
using Hike.Db;
using Hike.Edn;

namespace Hike.Tests.Api;

/// <summary>
/// The cases of DataScript's <c>test/datascript/test/entity.cljc</c> and Datahike's
/// <c>test/datahike/test/entity_test.cljc</c> (and the entity parts of <c>components_test.cljc</c>)
/// as facts, plus Hike's map interface, equality and views.
/// </summary>
public sealed class EntityTests
{
    private static Keyword K(string name) => Keyword.Intern(name);

    private static Database Empty() => Database.Empty(new DatabaseConfig { SchemaFlexibility = SchemaFlexibility.Read });

    private static object? Read(string text) => EdnReader.Read(text);

    private static void AssertEdn(string expected, object? actual)
    {
        var want = EdnReader.Read(expected);
        Assert.True(ValueEquality.Instance.Equals(want, actual), $"Expected {EdnPrinter.Print(want)}{Environment.NewLine}  but got {EdnPrinter.Print(actual)}");
    }

    /// <summary>An entity as Datahike's tests see it: its printed form read back.</summary>
    private static object? Visible(object? entity) => EdnReader.Read(entity!.ToString()!);

    private static Database PeopleDb() => Empty()
        .DbWith("[{:db/id 1001 :db/ident :aka :db/cardinality :db.cardinality/many}]")
        .DbWith("""[{:db/id 1, :name "Ivan", :age 19, :aka ["X" "Y"]} {:db/id 2, :name "Ivan", :sex "male", :aka ["Z"]} [:db/add 3 :huh? false]]""");

    private static Database FamilyDb() => Empty()
        .DbWith("""
            [{:db/id 1001 :db/ident :father :db/valueType :db.type/ref}
             {:db/id 1002 :db/ident :children :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}]
            """)
        .DbWith("[{:db/id 1, :children [10]} {:db/id 10, :father 1, :children [100 101]} {:db/id 100, :father 10} {:db/id 101, :father 10}]");

    private static Database NamesDb() => Empty()
        .DbWith("[{:db/id 1001 :db/ident :name :db/unique :db.unique/identity}]")
        .DbWith("""[{:db/id 1, :name "Ivan"} {:db/id 2, :name "Oleg"}]""");

    [Fact]
    public void An_entity_reads_its_attributes_lazily()
    {
        var db = PeopleDb();
        var e = db.Entity(1L)!;
        Assert.Equal(1L, e[K("db/id")]);
        Assert.Equal(1L, e.Id);
        Assert.Same(db, e.Db);
        Assert.Equal("Ivan", e[K("name")]);
        Assert.Equal("Ivan", e.Get(K("name")));
        Assert.Equal(19L, e[K("age")]);
        AssertEdn("""#{"X" "Y"}""", e[K("aka")]);
        Assert.True(e.ContainsKey(K("age")));
        Assert.False(e.ContainsKey(K("not-found")));
    }

    [Fact]
    public void An_entity_as_a_map_holds_its_attributes_without_db_id()
    {
        var db = PeopleDb();
        AssertEdn("""{:name "Ivan", :age 19, :aka #{"X" "Y"}}""", new Dictionary<Keyword, object?>(db.Entity(1L)!));
        AssertEdn("""{:name "Ivan", :sex "male", :aka #{"Z"}}""", new Dictionary<Keyword, object?>(db.Entity(2L)!));
        var e3 = db.Entity(3L)!;
        AssertEdn("{:huh? false}", new Dictionary<Keyword, object?>(e3));
        Assert.Equal(false, e3[K("huh?")]);
    }

    [Fact]
    public void An_entity_prints_its_loaded_attributes_and_id_as_Datahike()
    {
        var db = PeopleDb();
        Assert.Equal("{:db/id 1}", db.Entity(1L)!.ToString());
        var e = db.Entity(1L)!;
        Assert.Null(e[K("unknown")]);
        Assert.Equal("{:db/id 1}", e.ToString());
        _ = e[K("name")];
        Assert.Equal("{:name \"Ivan\", :db/id 1}", e.ToString());
        AssertEdn("""{:name "Ivan", :db/id 1}""", Visible(e));
    }

    [Fact]
    public void Ref_attributes_give_entities_and_sets_of_entities()
    {
        var db = FamilyDb();
        Entity E(long id) => db.Entity(id)!;
        Assert.Equal(EdnSet.Of(E(10)), E(1)[K("children")]);
        Assert.Equal(EdnSet.Of(E(100), E(101)), E(10)[K("children")]);
        Assert.Null(E(100)[K("children")]);
        Assert.Equal(E(1), E(10)[K("father")]);
    }

    [Fact]
    public void Nested_navigation_follows_refs_before_and_after_touch()
    {
        var db = FamilyDb();
        Entity E(long id) => db.Entity(id)!;
        static Entity First(object? set) => (Entity)((EdnSet)set!).First()!;
        Assert.Equal(EdnSet.Of(E(100), E(101)), First(E(1)[K("children")])[K("children")]);
        Assert.Equal(E(10), ((Entity)First(E(10)[K("children")])[K("father")]!));
        Assert.Equal(EdnSet.Of(E(10)), ((Entity)E(10)[K("father")]!)[K("children")]);
        var e1 = E(1).Touch();
        var e10 = E(10).Touch();
        Assert.Equal(EdnSet.Of(E(100), E(101)), First(e1[K("children")])[K("children")]);
        Assert.Equal(E(10), ((Entity)First(e10[K("children")])[K("father")]!));
        Assert.Equal(EdnSet.Of(E(10)), ((Entity)e10[K("father")]!)[K("children")]);
    }

    [Fact]
    public void Reverse_attributes_navigate_backwards()
    {
        var db = FamilyDb();
        Entity E(long id) => db.Entity(id)!;
        Assert.Null(E(1)[K("_children")]);
        Assert.Equal(EdnSet.Of(E(10)), E(1)[K("_father")]);
        Assert.Equal(EdnSet.Of(E(1)), E(10)[K("_children")]);
        Assert.Equal(EdnSet.Of(E(100), E(101)), E(10)[K("_father")]);
        var parent = (Entity)((EdnSet)E(100)[K("_children")]!).First()!;
        Assert.Equal(EdnSet.Of(E(1)), parent[K("_children")]);
    }

    [Fact]
    public void References_that_resolve_to_nothing_give_null()
    {
        var db = NamesDb();
        Assert.Null(db.Entity(null));
        Assert.Null(db.Entity("abc"));
        Assert.Null(db.Entity(K("keyword")));
        Assert.Null(db.Entity(Read("""[:name "Petr"]""")));
        Assert.Null(db.Entity("""[:name "Petr"]"""));
        Assert.Null(db.Entity(Read("[:name nil]")));
        Assert.Null(db.Entity(Guid.NewGuid()));
        Assert.Equal(777L, db.Entity(777L)!.Id);
    }

    [Fact]
    public void A_lookup_ref_on_a_non_unique_attribute_is_an_error()
    {
        var db = NamesDb();
        var e = Assert.Throws<HikeException>(() => db.Entity(Read("[:not-an-attr 777]")));
        Assert.Equal("lookup-ref/unique", e.Code);
        Assert.Contains("Lookup ref attribute should be marked as :db/unique: [:not-an-attr 777]", e.Message, StringComparison.Ordinal);
        Assert.Equal("lookup-ref/syntax", Assert.Throws<HikeException>(() => db.Entity(Read("[:name]"))).Code);
        Assert.Equal("lookup-ref/syntax", Assert.Throws<HikeException>(() => db.Entity(Read("[:name 1 2]"))).Code);
    }

    [Fact]
    public void Negative_and_fractional_ids_are_entity_id_syntax_errors()
    {
        var db = NamesDb();
        Assert.Equal("entity-id/syntax", Assert.Throws<HikeException>(() => db.Entity(-5L)).Code);
        Assert.Equal("entity-id/syntax", Assert.Throws<HikeException>(() => db.Entity(1.5)).Code);
    }

    [Fact]
    public void Entities_are_found_by_lookup_ref_ident_or_edn_text()
    {
        var db = NamesDb();
        Assert.Equal(2L, db.Entity(Read("""[:name "Oleg"]"""))!.Id);
        Assert.Equal(2L, db.Entity("""[:name "Oleg"]""")!.Id);
        Assert.Equal(1L, db.Entity(new List<object> { K("name"), "Ivan" })!.Id);
        Assert.Equal(2L, db.Entity("2")!.Id);
        Assert.Equal(2L, db.Entity(2)!.Id);
        var attribute = db.Entity(K("name"))!;
        Assert.Equal(1001L, attribute.Id);
        Assert.Equal(K("db.unique/identity"), attribute[K("db/unique")]);
        Assert.Equal(1001L, db.Entity(":name")!.Id);
    }

    [Fact]
    public void An_entity_converts_to_the_map_of_its_attributes()
    {
        var db = PeopleDb();
        var e = db.Entity(1L)!;
        AssertEdn("""{:name "Ivan", :age 19, :aka #{"X" "Y"}}""", e);
        Assert.Equal(3, e.Count);
        Assert.Equal(new[] { K("age"), K("aka"), K("name") }, e.Keys.OrderBy(k => k));
        Assert.Equal(3, e.Values.Count());
        Assert.Equal(3, e.Count());
    }

    [Fact]
    public void The_string_indexer_takes_names_with_or_without_the_colon()
    {
        var db = FamilyDb();
        var e = db.Entity(10L)!;
        Assert.Equal(db.Entity(1L), e[":father"]);
        Assert.Equal(db.Entity(1L), e["father"]);
        Assert.Equal(EdnSet.Of(db.Entity(1L)), e[":_children"]);
        Assert.Equal(EdnSet.Of(db.Entity(100L), db.Entity(101L)), e["_father"]);
        Assert.Equal(10L, e[":db/id"]);
        Assert.Null(e["nothing"]);
        Assert.Throws<ArgumentException>(() => e[""]);
    }

    [Fact]
    public void Db_id_is_readable_but_not_a_key()
    {
        var e = PeopleDb().Entity(1L)!;
        Assert.True(e.ContainsKey(K("db/id")));
        Assert.True(e.TryGetValue(K("db/id"), out var id));
        Assert.Equal(1L, id);
        Assert.DoesNotContain(K("db/id"), e.Keys);
        Assert.False(e.TryGetValue(K("nothing"), out var none));
        Assert.Null(none);
    }

    [Fact]
    public void Through_the_dictionary_interface_a_missing_key_throws()
    {
        IReadOnlyDictionary<Keyword, object?> e = PeopleDb().Entity(1L)!;
        Assert.Equal("Ivan", e[K("name")]);
        Assert.Throws<KeyNotFoundException>(() => e[K("nothing")]);
    }

    [Fact]
    public void Touch_loads_components_recursively()
    {
        var db = Empty()
            .DbWith("[{:db/id 1001 :db/ident :profile :db/valueType :db.type/ref :db/isComponent true}]")
            .DbWith("""[{:db/id 1 :name "Ivan" :profile 3} {:db/id 3 :email "@3"} {:db/id 4 :email "@4"}]""");
        AssertEdn("""{:db/id 1 :name "Ivan" :profile {:db/id 3 :email "@3"}}""", Visible(db.Entity(1L)!.Touch()));
        var deeper = db.DbWith("[[:db/add 3 :profile 4]]");
        AssertEdn(
            """{:db/id 1 :name "Ivan" :profile {:db/id 3 :email "@3" :profile {:db/id 4 :email "@4"}}}""",
            Visible(deeper.Entity(1L)!.Touch()));
        AssertEdn("{:db/id 1}", Visible(db.Entity(3L)![K("_profile")]));
    }

    [Fact]
    public void Touch_loads_many_valued_components_as_a_set()
    {
        var db = Empty()
            .DbWith("[{:db/id 1001 :db/ident :profile :db/valueType :db.type/ref :db/cardinality :db.cardinality/many :db/isComponent true}]")
            .DbWith("""[{:db/id 1 :name "Ivan" :profile [3 4]} {:db/id 3 :email "@3"} {:db/id 4 :email "@4"}]""");
        AssertEdn("""{:db/id 1 :name "Ivan" :profile #{{:db/id 3 :email "@3"} {:db/id 4 :email "@4"}}}""", Visible(db.Entity(1L)!.Touch()));
        // A reverse component ref has a single owner.
        Assert.Equal(db.Entity(1L), db.Entity(4L)![K("_profile")]);
    }

    [Fact]
    public void Touch_terminates_on_cyclic_components()
    {
        var db = Empty()
            .DbWith("[{:db/id 1001 :db/ident :part :db/valueType :db.type/ref :db/isComponent true}]")
            .DbWith("""[{:db/id 1 :name "a" :part 2} {:db/id 2 :name "b" :part 1}]""");
        AssertEdn("""{:db/id 1 :name "a" :part {:db/id 2 :name "b" :part {:db/id 1}}}""", Visible(db.Entity(1L)!.Touch()));
    }

    [Fact]
    public void Touching_an_entity_without_datoms_changes_nothing()
    {
        var e = PeopleDb().Entity(777L)!;
        Assert.Same(e, e.Touch());
        Assert.Empty(e);
        Assert.Empty(e.Keys);
        Assert.Equal("{:db/id 777}", e.ToString());
    }

    [Fact]
    public void Entities_are_equal_by_id_within_one_database_value()
    {
        var db = PeopleDb();
        Assert.Equal(db.Entity(1L), db.Entity(1L));
        Assert.Equal(db.Entity(1L)!.GetHashCode(), db.Entity(1L)!.GetHashCode());
        Assert.NotEqual(db.Entity(1L), db.Entity(2L));
        Assert.NotEqual(db.Entity(1L), db.DbWith("[[:db/add 1 :age 20]]").Entity(1L));
        Assert.NotEqual(db.Entity(1L), db.AsOf(db.MaxTx).Entity(1L));
        Assert.False(db.Entity(1L)!.Equals(Read("{:db/id 1}")));
    }

    [Fact]
    public async Task Entities_of_the_same_connection_value_are_equal()
    {
        using var conn = await Database.CreateAndConnectAsync(TestBackend.Place(new DatabaseConfig { SchemaFlexibility = SchemaFlexibility.Read }));
        conn.Transact("""[{:db/id 1 :name "Ivan"}]""");
        Assert.Equal(conn.Db.Entity(1L), conn.Db.Entity(1L));
        Assert.Equal("Ivan", conn.Db.Entity(1L)![":name"]);
    }

    [Fact]
    public async Task Entities_of_past_and_filtered_values_read_those_values()
    {
        using var conn = await Database.CreateAndConnectAsync(TestBackend.Place(new DatabaseConfig { SchemaFlexibility = SchemaFlexibility.Read }));
        conn.Transact("[{:db/id 1001 :db/ident :aka :db/cardinality :db.cardinality/many}]");
        long tx1 = conn.Transact("""[{:db/id 1 :name "Ivan" :aka ["X"]}]""").Tx;
        long tx2 = conn.Transact("""[[:db/add 1 :name "Vanya"] [:db/retract 1 :aka "X"] [:db/add 1 :aka "Y"]]""").Tx;
        var db = conn.Db;
        Assert.Equal("Ivan", db.AsOf(tx1).Entity(1L)![K("name")]);
        AssertEdn("""#{"X"}""", db.AsOf(tx1).Entity(1L)![K("aka")]);
        Assert.Null(db.Since(tx1).Entity(1L)![K("nothing")]);
        Assert.Equal("Vanya", db.Since(tx1).Entity(1L)![K("name")]);
        Assert.Null(db.Since(tx2).Entity(1L)![K("name")]);
        var name = K("name");
        Assert.Null(db.Filter((_, d) => d.A != name).Entity(1L)![K("name")]);
        // History, as Datahike: every datom counts; card-one shows the first in index order.
        var history = db.History().Entity(1L)!;
        Assert.Equal("Ivan", history[K("name")]);
        AssertEdn("""#{"X" "Y"}""", history[K("aka")]);
    }

    [Fact]
    public void Concurrent_readers_see_one_cached_value()
    {
        var e = PeopleDb().Entity(1L)!;
        var seen = new object?[4];
        Parallel.For(0, seen.Length, i => seen[i] = e[K("aka")]);
        Assert.All(seen, v => Assert.Same(seen[0], v));
        AssertEdn("""#{"X" "Y"}""", seen[0]);
    }
}
