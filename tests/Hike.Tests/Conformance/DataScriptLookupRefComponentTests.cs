using Hike.Api;
using Hike.Db;
using Hike.Edn;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Conformance;

/// <summary>
/// DataScript's lookup-ref, component and explode cases (test/datascript/test/lookup_refs.cljc,
/// components.cljc, explode.cljc) as facts. Entity ids 1 and 2 of those tests are 100 and 200 here.
/// </summary>
public sealed class DataScriptLookupRefComponentTests
{
    private const string People = """
        [{:db/ident :name :db/unique :db.unique/identity}
         {:db/ident :email :db/unique :db.unique/value}
         {:db/ident :friend :db/valueType :db.type/ref}
         {:db/ident :friends :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}]
        """;

    private static Database PeopleDb() => NewDb(People, SchemaFlexibility.Read).DbWith("""
        [{:db/id 100 :name "Ivan" :email "@1" :age 35}
         {:db/id 200 :name "Petr" :email "@2" :age 22}
         {:db/id 300 :name "Oleg" :email "@3"}]
        """);

    [Fact]
    public void Lookup_refs_resolve_through_identity_and_value_attributes()
    {
        var db = PeopleDb();
        Assert.Equal(100L, db.Entid(Read("[:name \"Ivan\"]")!));
        Assert.Equal(100L, db.Entid(Read("[:email \"@1\"]")!));
        Assert.Null(db.Entid(Read("[:name \"Sergey\"]")!));
        Assert.Null(db.Entid(Read("[:name nil]")!));
        Assert.Equal("lookup-ref/syntax", Assert.Throws<HikeException>(() => db.Entid(Read("[:name]")!)).Code);
        Assert.Equal("lookup-ref/syntax", Assert.Throws<HikeException>(() => db.Entid(Read("[:name 1 2]")!)).Code);
        var notUnique = Assert.Throws<HikeException>(() => db.Entid(Read("[:age 10]")!));
        Assert.Equal("lookup-ref/unique", notUnique.Code);
        Assert.Contains("Lookup ref attribute should be marked as :db/unique: [:age 10]", notUnique.Message);
    }

    [Theory]
    [InlineData("[[:db/add [:name \"Ivan\"] :age 35]]")]
    [InlineData("[{:db/id [:name \"Ivan\"] :age 35}]")]
    [InlineData("[[:db/add 100 :friend [:name \"Petr\"]]]")]
    [InlineData("[{:db/id 100 :friend [:name \"Petr\"]}]")]
    [InlineData("[{:db/id 200 :_friend [:name \"Ivan\"]}]")]
    [InlineData("[[:db/add [:name \"Ivan\"] :friend [:name \"Petr\"]]]")]
    public void Lookup_refs_stand_for_entities_in_transactions(string tx)
    {
        var db = PeopleDb().DbWith("[[:db/retract 100 :age 35]]").DbWith(tx);
        var ivan = PullAll(db, 100L)!;
        Assert.True(ivan.ContainsKey(K("age")) || ivan.ContainsKey(K("friend")));
        if (ivan.ContainsKey(K("friend"))) AssertEdn("{:db/id 200}", ivan[K("friend")]);
        else Assert.Equal(35L, ivan[K("age")]);
    }

    [Fact]
    public void Lookup_refs_in_retractions_and_cas()
    {
        var db = PeopleDb().DbWith("[[:db/add 100 :friend 200]]");
        Assert.Empty(Values(db.DbWith("[[:db/retract [:name \"Ivan\"] :name \"Ivan\"]]"), 100L, "name"));
        Assert.Empty(Values(db.DbWith("[[:db/retract 100 :friend [:name \"Petr\"]]]"), 100L, "friend"));
        Assert.Empty(Values(db.DbWith("[[:db.fn/retractAttribute [:name \"Ivan\"] :name]]"), 100L, "name"));
        Assert.Empty(db.DbWith("[[:db.fn/retractEntity [:name \"Ivan\"]]]").Datoms(IndexType.Eavt, 100L));
        Assert.Equal([36L], Values(db.DbWith("[[:db.fn/cas [:name \"Ivan\"] :age 35 36]]"), 100L, "age"));
        Assert.Equal([300L], Values(db.DbWith("[[:db/cas [:name \"Ivan\"] :friend [:name \"Petr\"] [:name \"Oleg\"]]]"), 100L, "friend"));
    }

    [Fact]
    public void A_lookup_ref_that_finds_nothing_is_an_error()
    {
        using var conn = Connect(People, flexibility: SchemaFlexibility.Read);
        conn.Transact("[{:db/id 100 :name \"Ivan\"}]");
        var error = Rejects(conn, "[[:db/add [:name \"Sergey\"] :age 10]]", "entity-id/missing");
        Assert.Contains("Nothing found for entity id [:name \"Sergey\"]", error.Message);
        Rejects(conn, "[[:db/add 100 :friend [:name \"Sergey\"]]]", "entity-id/missing");
        Rejects(conn, "[[:db/add [:age 10] :name \"X\"]]", "lookup-ref/unique");
        Rejects(conn, "[[:db/add [:name] :age 1]]", "lookup-ref/syntax");
    }

    [Fact]
    public void Lookup_refs_as_card_many_values()
    {
        var db = PeopleDb();
        Assert.Equal([200L, 300L], Values(db.DbWith("[{:db/id 100 :friends [[:name \"Petr\"] [:name \"Oleg\"]]}]"), 100L, "friends"));
        // A two-element vector that starts with a keyword is one lookup ref, not two values.
        Assert.Equal([200L], Values(db.DbWith("[{:db/id 100 :friends [:name \"Petr\"]}]"), 100L, "friends"));
        Assert.Equal([200L, 300L], Values(db.DbWith("[{:db/id 100 :friends [200 [:name \"Oleg\"]]}]"), 100L, "friends"));
    }

    [Fact]
    public void Lookup_refs_in_index_access()
    {
        var db = PeopleDb().DbWith("[[:db/add 100 :friend 200] [:db/add 300 :friend 200]]");
        // Within an entity Hike orders attributes by attribute id (as Datomic), so compare as a set.
        Assert.Equal(
            ["[200 :age 22]", "[200 :email \"@2\"]", "[200 :name \"Petr\"]"],
            db.Datoms(IndexType.Eavt, Read("[:name \"Petr\"]")).Select(d => $"[{d.E} {d.A} {EdnPrinter.Print(d.V)}]").Order());
        Assert.Equal([100L, 300L], db.Datoms(IndexType.Avet, K("friend"), Read("[:name \"Petr\"]")).Select(d => d.E));
    }

    private const string Components = """
        [{:db/ident :profile :db/valueType :db.type/ref :db/isComponent true}
         {:db/ident :profiles :db/valueType :db.type/ref :db/isComponent true :db/cardinality :db.cardinality/many}]
        """;

    private static Database ComponentDb() => NewDb(Components, SchemaFlexibility.Read).DbWith("""
        [{:db/id 100 :name "Ivan" :profile 300}
         {:db/id 300 :email "@3"}
         {:db/id 400 :email "@4"}]
        """);

    [Fact]
    public void Retracting_an_entity_retracts_its_components()
    {
        var db = ComponentDb().DbWith("[[:db.fn/retractEntity 100]]");
        Assert.Empty(db.Datoms(IndexType.Eavt, 100L));
        Assert.Empty(db.Datoms(IndexType.Eavt, 300L));
        Assert.Equal(["@4"], Values(db, 400L, "email"));
    }

    [Fact]
    public void Retracting_a_component_attribute_retracts_the_components()
    {
        var db = ComponentDb().DbWith("[[:db.fn/retractAttribute 100 :profile]]");
        Assert.Equal(["Ivan"], Values(db, 100L, "name"));
        Assert.Empty(db.Datoms(IndexType.Eavt, 300L));
        Assert.Equal(["@4"], Values(db, 400L, "email"));
    }

    [Fact]
    public void Card_many_components_cascade_too()
    {
        var db = NewDb(Components, SchemaFlexibility.Read).DbWith("""
            [{:db/id 100 :name "Ivan" :profiles [300 400]}
             {:db/id 300 :email "@3"} {:db/id 400 :email "@4"} {:db/id 500 :email "@5"}]
            """);
        var after = db.DbWith("[[:db.fn/retractEntity 100]]");
        Assert.Empty(after.Datoms(IndexType.Eavt, 300L));
        Assert.Empty(after.Datoms(IndexType.Eavt, 400L));
        Assert.Equal(["@5"], Values(after, 500L, "email"));
    }

    [Fact]
    public void Components_cascade_recursively_and_survive_cycles()
    {
        var db = NewDb(Components, SchemaFlexibility.Read).DbWith("""
            [{:db/id 100 :name "root" :profile 200} {:db/id 200 :name "mid" :profile 300} {:db/id 300 :name "leaf" :profile 100}]
            """);
        var after = db.DbWith("[[:db/retractEntity 100]]");
        Assert.DoesNotContain(Eav(after), d => d.E is 100 or 200 or 300);
    }

    [Fact]
    public void Nested_maps_under_components_become_entities()
    {
        var report = NewDb(Components, SchemaFlexibility.Read).With("""
            [{:db/id -1 :name "Ivan" :profile {:email "@3"} :profiles [{:email "@4"} {:email "@5"}]}]
            """);
        long ivan = report.TempIds[-1L];
        AssertEdn("{:name \"Ivan\" :profile {:email \"@3\"} :profiles [{:email \"@4\"} {:email \"@5\"}]}",
            report.DbAfter.Pull("[:name {:profile [:email]} {:profiles [:email]}]", ivan));
    }

    [Fact]
    public void Explode_card_many_collections_and_sets()
    {
        var db = NewDb("[{:db/ident :aka :db/cardinality :db.cardinality/many}]", SchemaFlexibility.Read);
        foreach (var value in new[] { "[\"Devil\" \"Tupen\"]", "#{\"Devil\" \"Tupen\"}", "(\"Devil\" \"Tupen\")" })
        {
            var report = db.With($"[{{:db/id -1 :name \"Ivan\" :age 16 :aka {value}}}]");
            long e = report.TempIds[-1L];
            Assert.Equal(["Devil", "Tupen"], Values(report.DbAfter, e, "aka"));
            Assert.Equal([16L], Values(report.DbAfter, e, "age"));
        }
        var single = db.With("[{:db/id -1 :aka \"Devil\"}]");
        Assert.Equal(["Devil"], Values(single.DbAfter, single.TempIds[-1L], "aka"));
    }

    [Fact]
    public void Explode_nested_maps_and_reverse_refs()
    {
        var db = NewDb("""
            [{:db/ident :children :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}
             {:db/ident :father :db/valueType :db.type/ref}]
            """, SchemaFlexibility.Read);
        var report = db.With("""
            [{:db/id -1 :name "Ivan" :children [{:db/id -2 :name "Petr"} {:db/id -3 :name "Evgeny"}]}
             {:db/id -4 :name "Sergey" :_children -1}
             {:db/id -5 :name "Oleg" :_father [-2 -3]}]
            """);
        long ivan = report.TempIds[-1L], petr = report.TempIds[-2L], evgeny = report.TempIds[-3L];
        long sergey = report.TempIds[-4L], oleg = report.TempIds[-5L];
        Assert.Equal(new[] { petr, evgeny, sergey }.Order(), Values(report.DbAfter, ivan, "children").Cast<long>().Order());
        Assert.Equal([oleg], Values(report.DbAfter, petr, "father"));
        Assert.Equal([oleg], Values(report.DbAfter, evgeny, "father"));
    }

    [Fact]
    public void Reverse_refs_are_only_for_ref_attributes()
    {
        using var conn = Connect("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
        Rejects(conn, "[{:db/id -1 :_name 100}]", "transact/syntax");
    }
}
