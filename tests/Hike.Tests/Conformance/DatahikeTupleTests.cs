using Hike.Api;
using Hike.Db;
using Hike.Edn;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Conformance;

/// <summary>Datahike's tuple cases (test/datahike/test/tuples_test.cljc) as facts, read through datoms and pull.</summary>
public sealed class DatahikeTupleTests
{
    private const string Strings = """
        [{:db/ident :a :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
         {:db/ident :b :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
         {:db/ident :c :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
         {:db/ident :d :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]
        """;

    private static HashSet<string> SomeDatoms(Database db, params long[] es) =>
        es.SelectMany(e => db.Datoms(IndexType.Eavt, e)).Select(d => $"[{d.E} {d.A} {EdnPrinter.Print(d.V)}]").ToHashSet();

    private static HashSet<string> Set(params string[] items) => [.. items];

    [Fact]
    public void Homogeneous_tuples_hold_up_to_eight_values_of_one_type()
    {
        using var conn = Connect("[{:db/ident :prices :db/valueType :db.type/tuple :db/tupleType :db.type/long :db/cardinality :db.cardinality/one}]");
        var report = conn.Transact("[{:db/id 100 :prices [1 2 3 4 5 6 7 8]}]");
        AssertEdn("[1 2 3 4 5 6 7 8]", Values(report.DbAfter, 100L, "prices").Single());
        Rejects(conn, "[{:prices [1 2 3 4 5 6 \"fdsfdsf\"]}]", "transact/schema");
        Rejects(conn, "[{:prices [\"a\" \"b\" \"fdsfdsf\"]}]", "transact/schema");
        var tooMany = Rejects(conn, "[{:prices [1 2 3 4 5 6 7 8 9]}]", "transact/schema");
        Assert.Contains("more than 8", tooMany.Message);
    }

    [Fact]
    public void Heterogeneous_tuples_match_their_types_position_by_position()
    {
        using var conn = Connect("[{:db/ident :coord :db/valueType :db.type/tuple :db/tupleTypes [:db.type/long :db.type/keyword] :db/cardinality :db.cardinality/one}]");
        conn.Transact("[[:db/add 100 :coord [100 :coord/west]]]");
        AssertEdn("[100 :coord/west]", Values(conn.Db, 100L, "coord").Single());
        var wrongCount = Rejects(conn, "[{:coord [100 :coord/west 9]}]", "transact/schema");
        Assert.Contains("expecting 2 values, got 3", wrongCount.Message);
        Rejects(conn, "[{:coord [100 9]}]", "transact/schema");
    }

    [Fact]
    public void Composite_tuples_follow_their_source_attributes()
    {
        using var conn = Connect(Strings[..^1] + """
             {:db/ident :a+b :db/valueType :db.type/tuple :db/tupleAttrs [:a :b] :db/cardinality :db.cardinality/one}
             {:db/ident :a+c+d :db/valueType :db.type/tuple :db/tupleAttrs [:a :c :d] :db/cardinality :db.cardinality/one}]
            """);
        (string Tx, string[] Datoms)[] steps =
        [
            ("[[:db/add 100 :a \"a\"]]", ["[100 :a \"a\"]", "[100 :a+b [\"a\" nil]]", "[100 :a+c+d [\"a\" nil nil]]"]),
            ("[[:db/add 100 :b \"b\"]]", ["[100 :a \"a\"]", "[100 :b \"b\"]", "[100 :a+b [\"a\" \"b\"]]", "[100 :a+c+d [\"a\" nil nil]]"]),
            ("[[:db/add 100 :a \"A\"]]", ["[100 :a \"A\"]", "[100 :b \"b\"]", "[100 :a+b [\"A\" \"b\"]]", "[100 :a+c+d [\"A\" nil nil]]"]),
            ("[[:db/add 100 :c \"c\"] [:db/add 100 :d \"d\"]]",
                ["[100 :a \"A\"]", "[100 :b \"b\"]", "[100 :a+b [\"A\" \"b\"]]", "[100 :c \"c\"]", "[100 :d \"d\"]", "[100 :a+c+d [\"A\" \"c\" \"d\"]]"]),
            ("[[:db/add 100 :a \"A\"] [:db/add 100 :b \"B\"] [:db/add 100 :c \"C\"] [:db/add 100 :d \"D\"]]",
                ["[100 :a \"A\"]", "[100 :b \"B\"]", "[100 :a+b [\"A\" \"B\"]]", "[100 :c \"C\"]", "[100 :d \"D\"]", "[100 :a+c+d [\"A\" \"C\" \"D\"]]"]),
            ("[[:db/retract 100 :a \"A\"]]", ["[100 :b \"B\"]", "[100 :a+b [nil \"B\"]]", "[100 :c \"C\"]", "[100 :d \"D\"]", "[100 :a+c+d [nil \"C\" \"D\"]]"]),
            ("[[:db/retract 100 :b \"B\"]]", ["[100 :c \"C\"]", "[100 :d \"D\"]", "[100 :a+c+d [nil \"C\" \"D\"]]"]),
        ];
        foreach (var (tx, datoms) in steps)
        {
            Assert.Equal(Set(datoms), SomeDatoms(conn.Transact(tx).DbAfter, 100));
        }
        var error = Rejects(conn, "[{:db/id 100 :a+b [\"A\" \"B\"]}]", "transact/syntax");
        Assert.Contains("Can't modify tuple attrs directly", error.Message);
    }

    [Fact]
    public void Composite_tuples_cannot_be_written_directly()
    {
        var db = NewDb("[{:db/ident :a+b :db/valueType :db.type/tuple :db/tupleAttrs [:a :b]}]", SchemaFlexibility.Read);
        var db1 = db.DbWith("[[:db/add 100 :a \"a\"]]");
        Rejects(db, "[[:db/add 100 :a+b [nil nil]]]", "transact/syntax");
        Rejects(db1, "[[:db/add 100 :a+b [\"a\" nil]]]", "transact/syntax");
        Rejects(db, "[[:db/add 100 :a \"a\"] [:db/add 100 :a+b [\"a\" nil]]]", "transact/syntax");
        Rejects(db1, "[[:db/retract 100 :a+b [\"a\" nil]]]", "transact/syntax");
    }

    [Fact]
    public void Composite_identity_tuples_are_lookup_refs_and_upsert()
    {
        using var conn = Connect("""
            [{:db/ident :a :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
             {:db/ident :b :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
             {:db/ident :c :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
             {:db/ident :d :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
             {:db/ident :a+b :db/valueType :db.type/tuple :db/tupleAttrs [:a :b] :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}]
            """);
        conn.Transact("[{:db/id 100 :a \"A\" :b \"B\"} {:db/id 200 :a \"a\" :b \"b\"}]");
        conn.Transact("[[:db/add [:a+b [\"A\" \"B\"]] :c \"C\"] {:db/id [:a+b [\"a\" \"b\"]] :c \"c\"}]");
        Assert.Equal(
            Set("[100 :a \"A\"]", "[100 :b \"B\"]", "[100 :a+b [\"A\" \"B\"]]", "[100 :c \"C\"]",
                "[200 :a \"a\"]", "[200 :b \"b\"]", "[200 :a+b [\"a\" \"b\"]]", "[200 :c \"c\"]"),
            SomeDatoms(conn.Db, 100, 200));

        var unique = Rejects(conn, "[[:db/add [:a+b [\"A\" \"B\"]] :c \"c\"]]", "transact/unique");
        Assert.Contains("because of unique constraint", unique.Message);
        var conflict = Rejects(conn, "[{:db/id [:a+b [\"A\" \"B\"]] :c \"c\"}]", "transact/upsert");
        Assert.Contains("Conflicting upsert: [:c \"c\"]", conflict.Message);

        // Changing a tuple source and upserting in one map.
        conn.Transact("[{:db/id [:a+b [\"A\" \"B\"]] :b \"b\" :d \"D\"}]");
        Assert.Equal(
            Set("[100 :a \"A\"]", "[100 :b \"b\"]", "[100 :a+b [\"A\" \"b\"]]", "[100 :c \"C\"]", "[100 :d \"D\"]",
                "[200 :a \"a\"]", "[200 :b \"b\"]", "[200 :a+b [\"a\" \"b\"]]", "[200 :c \"c\"]"),
            SomeDatoms(conn.Db, 100, 200));
        AssertEdn("{:db/id 200 :a \"a\" :b \"b\" :a+b [\"a\" \"b\"] :c \"c\"}", conn.Db.Pull("[*]", Read("[:a+b [\"a\" \"b\"]]")!));
    }

    [Fact]
    public void Unique_composite_tuples_reject_duplicates()
    {
        using var conn = Connect("""
            [{:db/ident :a :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
             {:db/ident :b :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
             {:db/ident :a+b :db/valueType :db.type/tuple :db/tupleAttrs [:a :b] :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}]
            """);
        conn.Transact("[[:db/add 100 :a \"a\"]]");
        conn.Transact("[[:db/add 200 :a \"A\"]]");
        Rejects(conn, "[[:db/add 100 :a \"A\"]]", "transact/unique");
        conn.Transact("[[:db/add 100 :b \"b\"] [:db/add 200 :b \"b\"] {:db/id 300 :a \"a\" :b \"B\"}]");
        Assert.Equal(
            Set("[100 :a \"a\"]", "[100 :b \"b\"]", "[100 :a+b [\"a\" \"b\"]]",
                "[200 :a \"A\"]", "[200 :b \"b\"]", "[200 :a+b [\"A\" \"b\"]]",
                "[300 :a \"a\"]", "[300 :b \"B\"]", "[300 :a+b [\"a\" \"B\"]]"),
            SomeDatoms(conn.Db, 100, 200, 300));
        Rejects(conn, "[[:db/add 100 :a \"A\"]]", "transact/unique");
        Rejects(conn, "[[:db/add 100 :b \"B\"]]", "transact/unique");
        Rejects(conn, "[[:db/add 100 :a \"A\"] [:db/add 100 :b \"B\"]]", "transact/unique");

        // Changing both components in one operation.
        conn.Transact("[{:db/id 100 :a \"A\" :b \"B\"}]");
        AssertEdn("{:db/id 100 :a \"A\" :b \"B\" :a+b [\"A\" \"B\"]}", PullAll(conn.Db, 100L));
        conn.Transact("[{:db/id 4 :a \"a\" :b \"c\"}]");
        AssertEdn("{:db/id 4 :a \"a\" :b \"c\" :a+b [\"a\" \"c\"]}", PullAll(conn.Db, 4L));
    }

    [Fact]
    public void Composite_tuples_are_in_avet_and_sort_element_by_element()
    {
        var db = NewDb("[{:db/ident :a+b+c :db/valueType :db.type/tuple :db/tupleAttrs [:a :b :c] :db/index true}]", SchemaFlexibility.Read)
            .DbWith("""
                [{:db/id 100 :a "a" :b "b" :c "c"} {:db/id 200 :a "A" :b "b" :c "c"}
                 {:db/id 300 :a "a" :b "B" :c "c"} {:db/id 400 :a "A" :b "B" :c "c"}
                 {:db/id 500 :a "a" :b "b" :c "C"} {:db/id 600 :a "A" :b "b" :c "C"}
                 {:db/id 700 :a "a" :b "B" :c "C"} {:db/id 800 :a "A" :b "B" :c "C"}]
                """);
        var abc = K("a+b+c");
        Assert.Equal([600L], db.Datoms(IndexType.Avet, abc, Read("[\"A\" \"b\" \"C\"]")).Select(d => d.E));
        Assert.Empty(db.Datoms(IndexType.Avet, abc, Read("[\"A\" \"b\" nil]")));
        Assert.Equal([800L, 400L, 600L, 200L], db.IndexRange(abc, Read("[\"A\" \"B\" \"C\"]"), Read("[\"A\" \"b\" \"c\"]")).Select(d => d.E));
        Assert.Equal([800L, 400L], db.IndexRange(abc, Read("[\"A\" \"B\" nil]"), Read("[\"A\" \"b\" nil]")).Select(d => d.E));
    }

    [Fact]
    public void Tuple_schema_needs_exactly_one_tuple_shape()
    {
        var db = NewDb("[]");
        Rejects(db, "[{:db/ident :t :db/valueType :db.type/tuple :db/cardinality :db.cardinality/one}]", "transact/schema");
        Rejects(db, "[{:db/ident :t :db/valueType :db.type/tuple :db/tupleType :db.type/long :db/tupleTypes [:db.type/long] :db/cardinality :db.cardinality/one}]", "transact/schema");
        Rejects(db, "[{:db/ident :t :db/valueType :db.type/long :db/tupleType :db.type/long :db/cardinality :db.cardinality/one}]", "transact/schema");
        Rejects(db, "[{:db/ident :m :db/valueType :db.type/long :db/cardinality :db.cardinality/many} {:db/ident :t :db/valueType :db.type/tuple :db/tupleAttrs [:m] :db/cardinality :db.cardinality/one}]", "transact/schema");
    }
}
