using Hike.Api;
using Hike.Db;
using Hike.Edn;

namespace Hike.Tests.Conformance;

/// <summary>
/// DataScript's upsert cases (test/datascript/test/upsert.cljc) as facts. Schema attributes are
/// entities in Hike as in Datahike, so they take ids 1-4 and DataScript's entities 1-4 are 5-8 here.
/// </summary>
public sealed class DataScriptUpsertTests
{
    private const string Schema = """
        [{:db/ident :name :db/unique :db.unique/identity}
         {:db/ident :email :db/unique :db.unique/identity}
         {:db/ident :slugs :db/unique :db.unique/identity :db/cardinality :db.cardinality/many}
         {:db/ident :ref :db/unique :db.unique/identity :db/valueType :db.type/ref}]
        """;

    private static readonly Database People = Database.Empty(new DatabaseConfig { SchemaFlexibility = SchemaFlexibility.Read })
        .DbWith(Schema)
        .DbWith("""
            [{:db/id 5 :name "Ivan" :email "@1"}
             {:db/id 6 :name "Petr" :email "@2" :ref 7}
             {:db/id 7 :name "Dima" :email "@3" :ref 8}
             {:db/id 8 :name "Olga" :email "@4" :ref 5}]
            """);

    private static EdnMap? Pull(TxReport tx, long e) => tx.DbAfter.Pull("[*]", e);

    private static EdnMap Map(string edn) => (EdnMap)EdnReader.Read(edn)!;

    private static Dictionary<object, long> TempIds(TxReport tx) =>
        tx.TempIds.Where(p => !Equals(p.Key, Keyword.Intern("db/current-tx"))).ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void Upsert_without_tempid_updates_the_existing_entity()
    {
        var tx = People.With("[{:name \"Ivan\" :age 35}]");
        Assert.Equal(Map("{:db/id 5 :name \"Ivan\" :email \"@1\" :age 35}"), Pull(tx, 5));
        Assert.Empty(TempIds(tx));
    }

    [Fact]
    public void Upsert_by_two_attributes_of_the_same_entity()
    {
        var tx = People.With("[{:name \"Ivan\" :email \"@1\" :age 35}]");
        Assert.Equal(Map("{:db/id 5 :name \"Ivan\" :email \"@1\" :age 35}"), Pull(tx, 5));
    }

    [Fact]
    public void Upsert_with_a_tempid_binds_the_tempid()
    {
        var tx = People.With("[{:db/id -1 :name \"Ivan\" :age 35}]");
        Assert.Equal(Map("{:db/id 5 :name \"Ivan\" :email \"@1\" :age 35}"), Pull(tx, 5));
        Assert.Equal(new Dictionary<object, long> { [-1L] = 5 }, TempIds(tx));
    }

    [Fact]
    public void Upsert_with_string_tempids_in_maps_and_vectors()
    {
        var tx = People.With("[{:db/id \"1\" :name \"Ivan\" :age 35} [:db/add \"2\" :name \"Oleg\"] [:db/add \"2\" :email \"@2\"]]");
        Assert.Equal(Map("{:db/id 5 :name \"Ivan\" :email \"@1\" :age 35}"), Pull(tx, 5));
        Assert.Equal(Map("{:db/id 6 :name \"Oleg\" :email \"@2\" :ref {:db/id 7}}"), Pull(tx, 6));
        Assert.Equal(new Dictionary<object, long> { ["1"] = 5, ["2"] = 6 }, TempIds(tx));
    }

    [Fact]
    public void Two_maps_with_one_tempid_upsert_to_one_entity()
    {
        var tx = People.With("[{:db/id -1 :name \"Ivan\" :age 35} {:db/id -1 :name \"Ivan\" :age 36}]");
        Assert.Equal(Map("{:db/id 5 :name \"Ivan\" :email \"@1\" :age 36}"), Pull(tx, 5));
        Assert.Equal(new Dictionary<object, long> { [-1L] = 5 }, TempIds(tx));
    }

    [Fact]
    public void Two_tempids_upserting_to_one_entity_both_resolve_to_it()
    {
        var tx = People.With("[{:db/id -1 :name \"Ivan\" :age 35} {:db/id -2 :name \"Ivan\" :age 36}]");
        Assert.Equal(Map("{:db/id 5 :name \"Ivan\" :email \"@1\" :age 36}"), Pull(tx, 5));
        Assert.Equal(new Dictionary<object, long> { [-1L] = 5, [-2L] = 5 }, TempIds(tx));
    }

    [Fact]
    public void Upsert_with_the_existing_id_or_its_lookup_ref()
    {
        Assert.Equal(Map("{:db/id 5 :name \"Ivan\" :email \"@1\" :age 35}"), Pull(People.With("[{:db/id 5 :name \"Ivan\" :age 35}]"), 5));
        Assert.Equal(Map("{:db/id 5 :name \"Ivan\" :email \"@1\" :age 35}"), Pull(People.With("[{:db/id [:name \"Ivan\"] :name \"Ivan\" :email \"@1\" :age 35}]"), 5));
    }

    [Theory]
    [InlineData("[{:db/id 6 :name \"Ivan\" :age 36}]", "Conflicting upsert: [:name \"Ivan\"] resolves to 5, but entity already has :db/id 6")]
    [InlineData("[{:db/id 9 :name \"Ivan\" :age 36}]", "Conflicting upsert: [:name \"Ivan\"] resolves to 5, but entity already has :db/id 9")]
    [InlineData("[{:name \"Ivan\" :email \"@2\" :age 35}]", "Conflicting upserts: [:name \"Ivan\"] resolves to 5, but [:email \"@2\"] resolves to 6")]
    [InlineData("[{:db/id :db/current-tx :name \"Ivan\" :age 35}]", "Conflicting upsert: [:name \"Ivan\"] resolves to 5, but entity already has :db/id 536870915")]
    public void Conflicting_upserts_are_errors_and_change_nothing(string tx, string message)
    {
        var e = Assert.Throws<HikeException>(() => People.With(tx));
        Assert.Equal("transact/upsert", e.Code);
        Assert.Equal(message, e.Message);
        Assert.Equal(Map("{:db/id 5 :name \"Ivan\" :email \"@1\"}"), People.Pull("[*]", 5L));
    }

    [Fact]
    public void Upsert_by_a_value_that_does_not_exist_yet_is_an_update()
    {
        var tx = People.With("[{:name \"Ivan\" :email \"@5\" :age 35}]");
        Assert.Equal(Map("{:db/id 5 :name \"Ivan\" :email \"@5\" :age 35}"), Pull(tx, 5));
    }

    [Fact]
    public void Upsert_sees_entities_created_earlier_in_the_same_transaction()
    {
        var tx = People.With("[{:db/id -1 :name \"Igor\" :age 35} {:db/id -2 :name \"Igor\" :age 36}]");
        Assert.Equal(Map("{:db/id 9 :name \"Igor\" :age 36}"), Pull(tx, 9));
        Assert.Equal(new Dictionary<object, long> { [-1L] = 9, [-2L] = 9 }, TempIds(tx));
    }

    [Fact]
    public void Upsert_through_unique_cardinality_many_values()
    {
        var tx = People.With("[{:name \"Ivan\" :slugs \"ivan1\"} {:name \"Petr\" :slugs \"petr1\"}]");
        var tx2 = tx.DbAfter.With("[{:name \"Ivan\" :slugs [\"ivan1\" \"ivan2\"]}]");
        Assert.Equal(Map("{:db/id 5 :name \"Ivan\" :email \"@1\" :slugs [\"ivan1\"]}"), Pull(tx, 5));
        Assert.Equal(Map("{:db/id 5 :name \"Ivan\" :email \"@1\" :slugs [\"ivan1\" \"ivan2\"]}"), Pull(tx2, 5));
        var e = Assert.Throws<HikeException>(() => tx.DbAfter.With("[{:slugs [\"ivan1\" \"petr1\"]}]"));
        Assert.StartsWith("Conflicting upserts:", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[{:ref 7 :age 36}]", "{:db/id 6 :name \"Petr\" :email \"@2\" :ref {:db/id 7} :age 36}")]
    [InlineData("[{:ref 8 :age 37}]", "{:db/id 7 :name \"Dima\" :email \"@3\" :ref {:db/id 8} :age 37}")]
    [InlineData("[{:ref [:name \"Dima\"] :age 36}]", "{:db/id 6 :name \"Petr\" :email \"@2\" :ref {:db/id 7} :age 36}")]
    [InlineData("[{:ref [:name \"Ivan\"] :age 38}]", "{:db/id 8 :name \"Olga\" :email \"@4\" :ref {:db/id 5} :age 38}")]
    public void Upsert_through_a_unique_ref_by_id_or_lookup_ref(string tx, string expected)
    {
        var map = Map(expected);
        var report = People.With(tx);
        Assert.Equal(map, Pull(report, (long)map[Keyword.Intern("db/id")]!));
        Assert.Equal(People.MaxEid, report.DbAfter.MaxEid);
    }

    [Fact]
    public void A_tempid_in_a_unique_ref_is_not_an_upsert()
    {
        var tx = People.With("[{:db/id \"A\" :name \"Igor\"} {:db/id \"B\" :name \"Anna\" :ref \"A\"}]");
        Assert.Equal(Map("{:db/id 9 :name \"Igor\"}"), Pull(tx, 9));
        Assert.Equal(Map("{:db/id 10 :name \"Anna\" :ref {:db/id 9}}"), Pull(tx, 10));
    }

    [Fact]
    public void A_tempid_redefined_by_upsert_later_in_the_transaction_is_retried()
    {
        var db = Database.Empty().DbWith("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity} {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]")
            .DbWith("[{:db/id -1 :name \"Ivan\"}]");
        var tx = db.With("[{:db/id -1 :age 35} {:db/id -1 :name \"Ivan\" :age 36}]");
        Assert.Equal(Map("{:db/id 3 :name \"Ivan\" :age 36}"), tx.DbAfter.Pull("[*]", 3L));
        Assert.Equal(new Dictionary<object, long> { [-1L] = 3 }, TempIds(tx));
        Assert.Equal(2, tx.DbAfter.Datoms(IndexType.Eavt, 3L).Count());
    }

    [Fact]
    public void A_tempid_that_upserts_to_two_entities_is_an_error()
    {
        var db = Database.Empty(new DatabaseConfig { SchemaFlexibility = SchemaFlexibility.Read })
            .DbWith("[{:db/ident :name :db/unique :db.unique/identity}]")
            .DbWith("[{:db/id -1 :name \"Ivan\"} {:db/id -2 :name \"Oleg\"}]");
        var e = Assert.Throws<HikeException>(() => db.With("[{:db/id -1 :name \"Ivan\" :age 35} {:db/id -1 :name \"Oleg\" :age 36}]"));
        Assert.Equal("Conflicting upsert: -1 resolves both to 2 and 3 (through [:name \"Oleg\"])", e.Message);
        var v = Assert.Throws<HikeException>(() => db.With("[[:db/add -1 :name \"Ivan\"] [:db/add -1 :age 35] [:db/add -1 :name \"Oleg\"] [:db/add -1 :age 36]]"));
        Assert.Equal("transact/upsert", v.Code);
    }

    [Theory]
    [InlineData("[[:db/add -1 :age 42] [:db/add -2 :likes \"Pizza\"] [:db/add -1 :name \"Bob\"] [:db/add -2 :name \"Bob\"]]", 2)]
    [InlineData("[[:db/add -1 :age 42] [:db/add -2 :likes \"Pizza\"] [:db/add -2 :name \"Bob\"] [:db/add -1 :name \"Bob\"]]", 3)]
    public void Retries_keep_the_ids_already_given_to_other_tempids(string tx, long expected)
    {
        var db = Database.Empty(new DatabaseConfig { SchemaFlexibility = SchemaFlexibility.Read })
            .DbWith("[{:db/ident :name :db/unique :db.unique/identity}]")
            .DbWith(tx);
        Assert.Equal(Map($"{{:db/id {expected} :name \"Bob\" :likes \"Pizza\" :age 42}}"), db.Pull("[*]", expected));
    }

    [Fact]
    public void A_string_tempid_bound_by_upsert_can_be_referenced()
    {
        var db = Database.Empty(new DatabaseConfig { SchemaFlexibility = SchemaFlexibility.Read })
            .DbWith("[{:db/ident :name :db/unique :db.unique/identity} {:db/ident :ref :db/valueType :db.type/ref}]")
            .DbWith("[{:name \"Alice\"}]");
        foreach (var tx in new[]
        {
            "[{:db/id \"user\" :name \"Alice\"} {:age 36 :ref \"user\"}]",
            "[[:db/add \"user\" :name \"Alice\"] {:age 36 :ref \"user\"}]",
            "[{:db/id -1 :name \"Alice\"} {:age 36 :ref -1}]",
            "[[:db/add -1 :name \"Alice\"] {:age 36 :ref -1}]",
        })
        {
            var after = db.DbWith(tx);
            Assert.Equal(Map("{:db/id 4 :age 36 :ref {:db/id 3}}"), after.Pull("[*]", 4L));
            Assert.Equal(Map("{:db/id 3 :name \"Alice\"}"), after.Pull("[*]", 3L));
        }
    }
}
