using Hike.Api;
using Hike.Db;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Api;

/// <summary>Transaction data written as records, anonymous objects and dictionaries.</summary>
public sealed class ObjectTxDataTests
{
    private const string Schema = """
        [{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
         {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
         {:db/ident :first-name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
         {:db/ident :person/email :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
         {:db/ident :role :db/valueType :db.type/keyword :db/cardinality :db.cardinality/one}
         {:db/ident :nick :db/valueType :db.type/string :db/cardinality :db.cardinality/many}
         {:db/ident :pet :db/valueType :db.type/ref :db/cardinality :db.cardinality/many :db/isComponent true}
         {:db/ident :source :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]
        """;

    public enum Role
    {
        Admin,
        PowerUser,
    }

    public sealed record Person(string Name, long Age, string? FirstName = null);

    public sealed record Contact([property: HikeAttribute(":person/email")] string Email, string Name);

    public sealed record Pet(string Name);

    public sealed record Owner(string Name, IReadOnlyList<Pet> Pet);

    public sealed record Known(long Id, string Name, long Age);

    private static object? Find(Database db, string name, string attribute) =>
        db.Q($"[:find ?v . :in $ ?n :where [?e :name ?n] [?e {attribute} ?v]]", name);

    [Fact]
    public void Anonymous_objects_are_entities_of_their_properties()
    {
        var db = NewDb(Schema).DbWith(new[] { new { Name = "Ada", Age = 36 } });
        Assert.Equal(36L, Find(db, "Ada", ":age"));
    }

    [Fact]
    public void Records_name_attributes_in_kebab_case_and_skip_null_properties()
    {
        var db = NewDb(Schema);
        var report = db.With(new object[] { new Person("Ada", 36, "Augusta"), new Person("Bo", 20) });
        Assert.Equal("Augusta", Find(report.DbAfter, "Ada", ":first-name"));
        Assert.Null(Find(report.DbAfter, "Bo", ":first-name"));
        Assert.Equal(5, report.TxData.Count(d => d.E != report.Tx)); // name, age, first-name; name, age
    }

    [Fact]
    public void Hike_attribute_names_a_namespaced_attribute()
    {
        var db = NewDb(Schema).DbWith(new[] { new Contact("ada@example.org", "Ada") });
        Assert.Equal("ada@example.org", Find(db, "Ada", ":person/email"));
    }

    [Fact]
    public void Enums_are_written_as_keywords()
    {
        var db = NewDb(Schema).DbWith(new[] { new { Name = "Ada", Role = Role.PowerUser } });
        Assert.Equal(K("power-user"), Find(db, "Ada", ":role"));
    }

    [Fact]
    public void Lists_of_values_and_of_records_are_cardinality_many()
    {
        var db = NewDb(Schema).DbWith(new object[]
        {
            new { Name = "Ada", Nick = new[] { "A", "Countess" } },
            new Owner("Bo", [new Pet("Rex"), new Pet("Tom")]),
        });
        AssertEdn("#{\"A\" \"Countess\"}", db.Q("[:find [?n ...] :where [?e :name \"Ada\"] [?e :nick ?n]]").ToSet());
        AssertEdn("#{\"Rex\" \"Tom\"}", db.Q("[:find [?p ...] :where [?o :name \"Bo\"] [?o :pet ?e] [?e :name ?p]]").ToSet());
    }

    [Fact]
    public void An_id_property_is_the_entity_id_and_zero_means_a_new_entity()
    {
        var db = NewDb(Schema).DbWith(new[] { new Known(0, "Ada", 36) });
        long ada = (long)db.Q("[:find ?e . :where [?e :name \"Ada\"]]")!;
        var after = db.DbWith(new[] { new Known(ada, "Ada", 37) });
        Assert.Equal(37L, Find(after, "Ada", ":age"));
        AssertEdn($"[{ada}]", after.Q("[:find [?e ...] :where [?e :name]]"));
    }

    [Fact]
    public void Dictionaries_take_attribute_names_with_or_without_the_colon()
    {
        var db = NewDb(Schema).DbWith(new[]
        {
            new Dictionary<string, object?> { ["name"] = "Ada", [":age"] = 36L },
            new Dictionary<string, object?> { [":name"] = "Bo", ["person/email"] = "bo@example.org" },
        });
        Assert.Equal(36L, Find(db, "Ada", ":age"));
        Assert.Equal("bo@example.org", Find(db, "Bo", ":person/email"));
    }

    [Fact]
    public void Transaction_metadata_may_be_an_object()
    {
        var report = NewDb(Schema).With(new[] { new { Name = "Ada" } }, new { Source = "import" });
        Assert.Contains(report.TxData, d => d.E == report.Tx && d.A == K("source") && (string)d.V == "import");
    }

    [Fact]
    public async Task A_connection_transacts_records()
    {
        using var conn = Connect(Schema);
        await conn.TransactAsync(new[] { new Person("Ada", 36) });
        Assert.Equal(36L, Find(conn.Db, "Ada", ":age"));
    }

    [Fact]
    public void An_attribute_the_schema_lacks_names_the_attribute()
    {
        var e = Assert.Throws<HikeException>(() => NewDb(Schema).DbWith(new[] { new { Name = "Ada", Height = 170 } }));
        Assert.Contains(":height", e.Message, StringComparison.Ordinal);
    }
}

internal static class QueryResultExtensions
{
    public static Hike.Edn.EdnSet ToSet(this object? result) => Hike.Edn.EdnSet.Create((IEnumerable<object?>)result!);
}
