using Hike.Api;
using Hike.Db;
using Hike.Edn;

namespace Hike.Tests.Transactions;

public sealed class BulkLoaderTests
{
    private static Keyword K(string name) => Keyword.Intern(name);

    private static Database Schemaless() => Database.Empty(new DatabaseConfig { SchemaFlexibility = SchemaFlexibility.Read });

    [Fact]
    public void Bulk_loaded_datoms_are_readable_through_every_index_in_order()
    {
        var db = Schemaless().DbWith("[{:db/ident :friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}]")
            .WithDatoms(
            [
                new Datom(12, K("name"), "Petr", 536870912, true),
                new Datom(10, K("name"), "Ivan", 536870912, true),
                new Datom(10, K("age"), 15L, 536870912, true),
                new Datom(12, K("friend"), 10L, 536870912, true),
                new Datom(10, K("name"), "Ivan", 536870912, true),
            ]);
        Assert.Equal(
            ["Ivan", "Petr"],
            db.Datoms(IndexType.Aevt, K("name")).Select(d => (string)d.V));
        Assert.Equal([10L, 12L], db.Datoms(IndexType.Aevt, K("name")).Select(d => d.E));
        Assert.Equal([12L], db.Datoms(IndexType.Avet, K("friend"), 10L).Select(d => d.E));
        Assert.Equal(2, db.Datoms(IndexType.Eavt, 10L).Count());
        Assert.Equal(12, db.MaxEid);
        Assert.Equal(EdnMap.Of(K("name"), "Petr", K("friend"), EdnVector.Create(EdnMap.Of(K("db/id"), 10L))), db.Pull("[:name :friend]", 12L));
    }

    [Fact]
    public void A_second_value_for_a_cardinality_one_attribute_is_an_error()
    {
        var db = Schemaless();
        var e = Assert.Throws<HikeException>(() => db.WithDatoms([new Datom(1, K("name"), "a", 536870912, true), new Datom(1, K("name"), "b", 536870912, true)]));
        Assert.Equal("transact/schema", e.Code);
        Assert.Contains(":name", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_taken_unique_value_is_an_error()
    {
        var db = Schemaless().DbWith("[{:db/ident :id :db/unique :db.unique/identity}]");
        var e = Assert.Throws<HikeException>(() => db.WithDatoms([new Datom(1, K("id"), 7L, 536870912, true), new Datom(2, K("id"), 7L, 536870912, true)]));
        Assert.Equal("transact/unique", e.Code);
    }

    [Fact]
    public void Values_are_checked_against_the_schema()
    {
        var db = Database.Empty().DbWith("[{:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]");
        Assert.Equal("transact/schema", Assert.Throws<HikeException>(() => db.WithDatoms([new Datom(1, K("age"), "old", 536870912, true)])).Code);
        Assert.Equal("transact/schema", Assert.Throws<HikeException>(() => db.WithDatoms([new Datom(1, K("unknown"), 1L, 536870912, true)])).Code);
        Assert.Equal("transact/syntax", Assert.Throws<HikeException>(() => db.WithDatoms([new Datom(1, K("age"), 1L, 536870912, false)])).Code);
    }

    [Fact]
    public void Schema_datoms_cannot_be_bulk_loaded()
    {
        var e = Assert.Throws<HikeException>(() => Schemaless().WithDatoms([new Datom(1, K("db/ident"), K("x"), 536870912, true)]));
        Assert.Equal("transact/schema", e.Code);
    }

    [Fact]
    public void Bulk_loading_matches_transacting_the_same_facts()
    {
        var random = new Random(42);
        var datoms = new List<Datom>();
        for (int i = 0; i < 3000; i++)
        {
            long e = random.Next(10, 400);
            datoms.Add(new Datom(e, K("tag"), (long)random.Next(50), 536870912, true));
        }
        var schema = "[{:db/ident :tag :db/cardinality :db.cardinality/many}]";
        var loaded = Schemaless().DbWith(schema).WithDatoms(datoms);
        var transacted = Schemaless().DbWith(schema).DbWith(EdnVector.From(datoms.Select(d => (object?)EdnVector.Create(K("db/add"), d.E, d.A, d.V))));
        Assert.Equal(
            transacted.Datoms(IndexType.Aevt, K("tag")).Select(d => (d.E, d.V)),
            loaded.Datoms(IndexType.Aevt, K("tag")).Select(d => (d.E, d.V)));
    }
}
