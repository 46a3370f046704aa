using System.Text;
using Hike.Api;
using Hike.Db;
using Hike.Edn;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Transactions;

/// <summary>
/// Input the transactor must refuse with a HikeException naming what is wrong, the same on every
/// store, rather than let a raw exception out or leave the durable store to fail on it later.
/// </summary>
public sealed class BadInputTests
{
    // :data has no schema: with schema-flexibility :read it takes any value.
    private const string Schema = """
        [{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
         {:db/ident :count :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
         {:db/ident :pair :db/valueType :db.type/tuple :db/tupleTypes [:db.type/long :db.type/long] :db/cardinality :db.cardinality/one}]
        """;

    private static EdnVector Nested(int depth)
    {
        object? value = 1L;
        for (int i = 0; i < depth; i++) value = EdnVector.Create(value);
        return (EdnVector)value!;
    }

    [Fact]
    public void A_value_nested_deeper_than_the_store_can_hold_is_refused_naming_its_attribute()
    {
        using var conn = Connect(Schema, flexibility: SchemaFlexibility.Read);
        var error = Rejects(conn, new List<object?> { new List<object?> { K("db/add"), -1L, K("data"), Nested(1001) } }, "transact/schema");
        Assert.Contains(":data", error.Message);
        Assert.Contains("1000", error.Message);
        // As deep as the EDN reader reads is storable.
        conn.Transact(new List<object?> { new List<object?> { K("db/add"), -1L, K("data"), Nested(1000) } });
        Assert.Equal(1, Datalog.Q("[:find (count ?e) . :where [?e :data]]", conn.Db) is long n ? (int)n : 0);
    }

    [Fact]
    public void A_collection_holding_a_type_with_no_encoding_is_refused_naming_the_type_and_attribute()
    {
        using var conn = Connect(Schema, flexibility: SchemaFlexibility.Read);
        var inVector = Rejects(conn, new List<object?> { EdnMap.Of(K("data"), EdnVector.Create(1L, new List<object?> { new StringBuilder("x") })) }, "transact/schema");
        Assert.Contains("System.Text.StringBuilder", inVector.Message);
        Assert.Contains(":data", inVector.Message);
        var inMap = Rejects(conn, new List<object?> { EdnMap.Of(K("data"), EdnMap.Of(K("v"), new List<object?> { new Version(1, 2) })) }, "transact/schema");
        Assert.Contains("System.Version", inMap.Message);
        var inTuple = Rejects(conn, new List<object?> { EdnMap.Of(K("pair"), EdnVector.Create(1L, new object[] { new Version(1, 2) })) }, "transact/schema");
        Assert.Contains(":pair", inTuple.Message);
        var inList = Rejects(conn, new List<object?> { EdnMap.Of(K("data"), new List<object?> { new Version(1, 2) }) }, "transact/schema");
        Assert.Contains(":data", inList.Message);
    }

    [Fact]
    public void Bulk_loading_refuses_a_value_the_store_cannot_hold()
    {
        using var conn = Connect(Schema, flexibility: SchemaFlexibility.Read);
        var error = Assert.Throws<HikeException>(() => conn.Db.WithDatoms([new(1, K("data"), EdnVector.Create(new StringBuilder()), Ids.Tx0 + 1, true)]));
        Assert.Equal("transact/schema", error.Code);
        Assert.Contains("StringBuilder", error.Message);
    }

    [Fact]
    public void A_message_shows_at_most_a_few_hundred_characters_of_a_huge_value()
    {
        using var conn = Connect(Schema, flexibility: SchemaFlexibility.Read);
        string huge = new('x', 5_000_000);
        var error = Rejects(conn, new List<object?> { new List<object?> { K("db/add"), -1L, K("count"), huge } }, "transact/schema");
        Assert.True(error.Message.Length < 1000, $"{error.Message.Length} characters");
        Assert.Contains("… (", error.Message);
        Assert.Contains("more characters)", error.Message);
    }

    [Fact]
    public void Retracting_an_attribute_and_every_entity_using_it_in_one_transaction_removes_both()
    {
        // As Datahike: retracting a schema entity retracts its definition, and the values go with their entities.
        using var conn = Connect(Schema, flexibility: SchemaFlexibility.Read);
        var report = conn.Transact("[{:name \"a\"} {:name \"b\"}]");
        var named = report.TxData.Where(d => d.A == K("name")).Select(d => d.E).ToList();
        long a = named[0], b = named[1];
        conn.Transact($"[[:db/retractEntity :name] [:db/retractEntity {a}] [:db/retractEntity {b}]]");
        Assert.False(conn.Db.Schema().ContainsKey(K("name")));
        Assert.Empty(conn.Db.Datoms(IndexType.Eavt, a));
    }

    [Fact]
    public void Retracting_an_attribute_that_keeps_values_is_refused_naming_it()
    {
        using var conn = Connect(Schema, flexibility: SchemaFlexibility.Read);
        var report = conn.Transact("[{:name \"a\"} {:name \"b\"}]");
        long a = report.TxData.First(d => d.A == K("name")).E;
        // Entity a goes, b keeps its value: the definition must stay.
        var error = Rejects(conn, $"[[:db/retractEntity :name] [:db/retractEntity {a}]]", "transact/schema");
        Assert.Contains(":name", error.Message);
    }

    [Fact]
    public void An_attribute_predicate_that_throws_fails_the_transaction_naming_predicate_attribute_and_value()
    {
        var functions = new FunctionRegistry().RegisterAttributePredicate(Symbol.Intern("my/parses?"), v => int.Parse((string)v, System.Globalization.CultureInfo.InvariantCulture) > 0);
        using var conn = Connect("[{:db/ident :code :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db.attr/preds [my/parses?]}]", functions);
        conn.Transact("[{:code \"12\"}]");
        var error = Rejects(conn, "[{:code \"twelve\"}]", "transact/attr-pred");
        Assert.Contains("my/parses?", error.Message);
        Assert.Contains(":code", error.Message);
        Assert.Contains("\"twelve\"", error.Message);
        Assert.IsType<FormatException>(error.InnerException);
    }
}
