using System.Numerics;
using Hike.Api;
using Hike.Db;
using Hike.Edn;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Conformance;

/// <summary>
/// Datahike's schema cases (test/datahike/test/schema_test.cljc): value types, schema flexibility,
/// allowed schema changes, enums, entity specs and attribute predicates, as facts.
/// </summary>
public sealed class DatahikeSchemaTests
{
    private static string Attr(string ident, string type, string more = "") =>
        $"{{:db/ident {ident} :db/valueType {type} :db/cardinality :db.cardinality/one {more}}}";

    public static TheoryData<string, string, string> GoodValues => new()
    {
        { ":db.type/string", "\"x\"", "\"x\"" },
        { ":db.type/long", "42", "42" },
        { ":db.type/double", "4.5", "4.5" },
        { ":db.type/float", "4.5", "4.5" },
        { ":db.type/bigint", "42N", "42N" },
        { ":db.type/bigint", "42", "42N" },
        { ":db.type/bigdec", "4.5M", "4.5M" },
        { ":db.type/number", "42", "42" },
        { ":db.type/number", "4.5", "4.5" },
        { ":db.type/boolean", "false", "false" },
        { ":db.type/instant", "#inst \"2020-01-02T03:04:05.006Z\"", "#inst \"2020-01-02T03:04:05.006-00:00\"" },
        { ":db.type/uuid", "#uuid \"00000000-0000-0000-0000-000000000001\"", "#uuid \"00000000-0000-0000-0000-000000000001\"" },
        { ":db.type/keyword", ":a/b", ":a/b" },
        { ":db.type/symbol", "a/b", "a/b" },
        { ":db.type/ref", "100", "100" },
    };

    [Theory]
    [MemberData(nameof(GoodValues))]
    public void Each_value_type_accepts_its_values(string type, string value, string stored)
    {
        var db = NewDb($"[{Attr(":v", type)}]").DbWith($"[[:db/add 100 :v {value}]]");
        Assert.Equal(stored, EdnPrinter.Print(db.Datoms(IndexType.Eavt, 100L, K("v")).Single().V));
    }

    public static TheoryData<string, string> BadValues => new()
    {
        { ":db.type/string", "42" },
        { ":db.type/long", "\"42\"" },
        { ":db.type/long", "4.5" },
        { ":db.type/double", "42" },
        { ":db.type/bigint", "4.5" },
        { ":db.type/bigdec", "4.5" },
        { ":db.type/number", "\"x\"" },
        { ":db.type/boolean", "\"true\"" },
        { ":db.type/instant", "42" },
        { ":db.type/uuid", "\"00000000-0000-0000-0000-000000000001\"" },
        { ":db.type/keyword", "\"a\"" },
        { ":db.type/symbol", ":a" },
        { ":db.type/ref", "\"not-a-tempid-in-a-ref\" 1" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Each_value_type_rejects_other_values(string type, string value)
    {
        using var conn = Connect($"[{Attr(":v", type)}]");
        if (type == ":db.type/ref")
        {
            Rejects(conn, "[[:db/add 100 :v :no/such-ident]]", "entity-id/missing");
            return;
        }
        var error = Rejects(conn, $"[[:db/add 100 :v {value}]]", "transact/schema");
        Assert.Contains($"Must be conform to: {type}", error.Message);
    }

    [Fact]
    public void Byte_and_number_arrays_are_stored_and_compared_by_content()
    {
        var db = NewDb($"[{Attr(":bytes", ":db.type/bytes")} {Attr(":floats", ":db.type/float-array")} {Attr(":doubles", ":db.type/double-array")}]");
        var tx = new object[]
        {
            EdnVector.Create(K("db/add"), 100L, K("bytes"), new byte[] { 1, 2, 3 }),
            EdnVector.Create(K("db/add"), 100L, K("floats"), new float[] { 1.5f, 2 }),
            EdnVector.Create(K("db/add"), 100L, K("doubles"), new double[] { 0.25, 3 }),
        };
        var after = db.DbWith(tx);
        Assert.Equal(new byte[] { 1, 2, 3 }, (byte[])Values(after, 100L, "bytes").Single());
        Assert.Equal(new float[] { 1.5f, 2 }, (float[])Values(after, 100L, "floats").Single());
        Assert.Single(after.Datoms(IndexType.Eavt, 100L, K("bytes"), new byte[] { 1, 2, 3 }));
        // Re-asserting an equal array is a no-op.
        Assert.Single(after.With(tx).TxData);
        Rejects(db, "[[:db/add 100 :bytes \"abc\"]]", "transact/schema");
    }

    [Fact]
    public void Write_flexibility_rejects_unknown_attributes_and_incomplete_definitions()
    {
        using var conn = Connect($"[{Attr(":name", ":db.type/string")}]");
        var unknown = Rejects(conn, "[{:name \"Ivan\" :age 3}]", "transact/schema");
        Assert.Contains(":age", unknown.Message);
        Rejects(conn, "[{:db/ident :age :db/valueType :db.type/long}]", "transact/schema");
        Rejects(conn, "[{:db/ident :age :db/cardinality :db.cardinality/one}]", "transact/schema");
        Rejects(conn, "[{:db/ident :age :db/valueType :db.type/nope :db/cardinality :db.cardinality/one}]", "transact/schema");
        Rejects(conn, "[{:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/few}]", "transact/schema");
        Rejects(conn, "[{:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique :db.unique/maybe}]", "transact/schema");
    }

    [Fact]
    public void Read_flexibility_accepts_any_attribute_and_checks_declared_types()
    {
        var db = NewDb($"[{Attr(":age", ":db.type/long")}]", SchemaFlexibility.Read);
        var after = db.DbWith("[{:db/id 100 :name \"Ivan\" :anything [1 \"two\" :three]}]");
        Assert.Equal(["Ivan"], Values(after, 100L, "name"));
        AssertEdn("[1 \"two\" :three]", Values(after, 100L, "anything").Single());
        Rejects(after, "[[:db/add 100 :age \"old\"]]", "transact/schema");
    }

    [Fact]
    public void Schema_and_reverse_schema_describe_the_attributes()
    {
        var db = NewDb($"[{Attr(":name", ":db.type/string", ":db/unique :db.unique/identity :db/doc \"A name\"")} {Attr(":friend", ":db.type/ref", ":db/isComponent true")}]");
        AssertEdn(
            "{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity :db/doc \"A name\" :db/id 1}",
            db.Schema()[K("name")]);
        var reverse = db.ReverseSchema();
        AssertEdn("#{:name}", reverse[K("db/unique")]);
        AssertEdn("#{:name}", reverse[K("db.unique/identity")]);
        AssertEdn("#{:friend}", reverse[K("db/isComponent")]);
        AssertEdn("#{:friend}", reverse[K("db.type/ref")]);
    }

    [Fact]
    public void Allowed_schema_changes()
    {
        using var conn = Connect($"[{Attr(":name", ":db.type/string")} {Attr(":tags", ":db.type/string")}]");
        conn.Transact("[{:db/id 100 :name \"Ivan\" :tags \"a\"} {:db/id 200 :name \"Petr\"}]");
        // One to many, adding a doc, an index, and uniqueness over distinct values.
        conn.Transact("[{:db/ident :tags :db/cardinality :db.cardinality/many}]");
        conn.Transact("[[:db/add 100 :tags \"b\"]]");
        Assert.Equal(["a", "b"], Values(conn.Db, 100L, "tags"));
        conn.Transact("[{:db/ident :name :db/doc \"Person name\" :db/index true}]");
        conn.Transact("[{:db/ident :name :db/unique :db.unique/identity}]");
        Assert.Equal(100L, conn.Db.Entid(Read("[:name \"Ivan\"]")!));
        Assert.Single(conn.Db.Datoms(IndexType.Avet, K("name"), "Petr"));
        // Uniqueness can be dropped again.
        conn.Transact("[[:db/retract :name :db/unique :db.unique/identity]]");
        Assert.Equal("lookup-ref/unique", Assert.Throws<HikeException>(() => conn.Db.Entid(Read("[:name \"Ivan\"]")!)).Code);
    }

    [Fact]
    public void Disallowed_schema_changes_are_rejected_at_the_end_of_the_transaction()
    {
        using var conn = Connect($"[{Attr(":name", ":db.type/string")} {{:db/ident :tags :db/valueType :db.type/string :db/cardinality :db.cardinality/many}}]");
        conn.Transact("[{:db/id 100 :name \"Ivan\" :tags [\"a\" \"b\"]} {:db/id 200 :name \"Ivan\"}]");
        var type = Rejects(conn, "[{:db/ident :name :db/valueType :db.type/long}]", "transact/schema");
        Assert.Contains("Update not supported", type.Message);
        Rejects(conn, "[{:db/ident :tags :db/cardinality :db.cardinality/one}]", "transact/schema");
        // Values that are not distinct cannot become unique.
        Rejects(conn, "[{:db/ident :name :db/unique :db.unique/identity}]", "transact/unique");
        // The definition of an attribute in use cannot be removed.
        Rejects(conn, "[[:db/retractEntity :name]]", "transact/schema");
        // Checked on the result: a change undone in the same transaction is fine.
        conn.Transact("[{:db/ident :name :db/valueType :db.type/long} {:db/ident :name :db/valueType :db.type/string}]");
        Assert.Equal(["Ivan"], Values(conn.Db, 100L, "name"));
    }

    [Fact]
    public void Attributes_can_be_defined_and_used_in_one_transaction()
    {
        var db = NewDb("[]").DbWith($"[{Attr(":name", ":db.type/string")} {{:db/id 100 :name \"Ivan\"}}]");
        Assert.Equal(["Ivan"], Values(db, 100L, "name"));
    }

    [Fact]
    public void Enums_are_idents_usable_as_ref_values()
    {
        var db = NewDb($"[{Attr(":color", ":db.type/ref")} {{:db/ident :color/red}} {{:db/ident :color/blue}}]");
        var after = db.DbWith("[{:db/id 100 :color :color/red}]");
        long red = db.Entid(K("color/red"))!.Value;
        Assert.Equal([red], Values(after, 100L, "color"));
        AssertEdn("{:color {:db/ident :color/red}}", after.Pull("[{:color [:db/ident]}]", 100L));
        Rejects(after, "[{:db/id 100 :color :color/green}]", "entity-id/missing");
    }

    [Fact]
    public void No_history_attributes_leave_nothing_in_history()
    {
        var db = NewDb($"[{Attr(":count", ":db.type/long", ":db/noHistory true")} {Attr(":name", ":db.type/string")}]")
            .DbWith("[{:db/id 100 :count 1 :name \"a\"}]").DbWith("[{:db/id 100 :count 2 :name \"b\"}]");
        Assert.Equal([2L], db.History().Datoms(IndexType.Eavt, 100L, K("count")).Select(d => d.V));
        Assert.Equal(3, db.History().Datoms(IndexType.Eavt, 100L, K("name")).Count());
    }

    [Fact]
    public void Attribute_predicates_check_every_new_value()
    {
        var functions = new FunctionRegistry().RegisterAttributePredicate(Symbol.Intern("my/long-enough?"), v => ((string)v).Length >= 3);
        using var conn = Connect($"[{Attr(":user/name", ":db.type/string", ":db.attr/preds [my/long-enough?]")}]", functions);
        conn.Transact("[{:db/id 100 :user/name \"Ivan\"}]");
        var error = Rejects(conn, "[{:db/id 100 :user/name \"Iv\"}]", "transact/attr-pred");
        Assert.Contains("my/long-enough?", error.Message);
        Rejects(conn, $"[{Attr(":other", ":db.type/string", ":db.attr/preds [my/unknown?]")} {{:other \"x\"}}]", "transact/attr-pred");
    }

    [Fact]
    public void Entity_specs_check_required_attributes_and_predicates()
    {
        var functions = new FunctionRegistry().RegisterEntityPredicate(
            Symbol.Intern("my/positive-balance?"),
            (db, e) => db.Datoms(IndexType.Eavt, e, K("account/balance")).All(d => (long)d.V > 0));
        using var conn = Connect($$"""
            [{{Attr(":account/email", ":db.type/string", ":db/unique :db.unique/identity")}}
             {{Attr(":account/balance", ":db.type/long")}}
             {:db/ident :account/guard
              :db.entity/attrs [:account/email :account/balance]
              :db.entity/preds [my/positive-balance?]}]
            """, functions);
        conn.Transact("[{:account/email \"a@b\" :account/balance 10 :db/ensure :account/guard}]");
        var missing = Rejects(conn, "[{:account/email \"c@d\" :db/ensure :account/guard}]", "transact/ensure");
        Assert.Contains("missing attributes #{:account/balance}", missing.Message);
        var failed = Rejects(conn, "[{:account/email \"e@f\" :account/balance -5 :db/ensure :account/guard}]", "transact/ensure");
        Assert.Contains("my/positive-balance?", failed.Message);
        // :db/ensure is checked, not stored.
        Assert.Empty(conn.Db.Datoms(IndexType.Aevt, K("db/ensure")));
    }

    [Fact]
    public void Big_integers_and_decimals_keep_their_precision()
    {
        var db = NewDb($"[{Attr(":big", ":db.type/bigint")} {Attr(":dec", ":db.type/bigdec")}]")
            .DbWith("[{:db/id 100 :big 123456789012345678901234567890N :dec 1.000000000000000000000000001M}]");
        Assert.Equal(BigInteger.Parse("123456789012345678901234567890", System.Globalization.CultureInfo.InvariantCulture), Values(db, 100L, "big").Single());
        Assert.Equal(1.000000000000000000000000001m, Values(db, 100L, "dec").Single());
    }
}
