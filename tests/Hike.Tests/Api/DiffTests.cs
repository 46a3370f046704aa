using Hike.Api;
using Hike.Db;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Api;

public sealed class DiffTests
{
    private const string Schema = "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity} {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]";

    [Fact]
    public void Diff_lists_the_datoms_transactions_removed_and_added()
    {
        var before = NewDb(Schema, data: "[{:name \"Ivan\" :age 30} {:name \"Petr\" :age 40}]");
        var report = before.With("[{:name \"Ivan\" :age 31} [:db/retractEntity [:name \"Petr\"]] {:name \"Oleg\"}]");
        var diff = Database.Diff(before, report.DbAfter);
        long ivan = before.Entid("[:name \"Ivan\"]")!.Value;
        long petr = before.Entid("[:name \"Petr\"]")!.Value;
        long oleg = report.DbAfter.Entid("[:name \"Oleg\"]")!.Value;
        long firstTx = before.MaxTx;
        Assert.Equal(
            [(ivan, "age", (object)30L, firstTx), (petr, "name", "Petr", firstTx), (petr, "age", 40L, firstTx)],
            diff.Removed.Select(d => (d.E, d.A.Name, d.V, d.Tx)).ToList());
        Assert.Equal(
            [(ivan, "age", (object)31L), (oleg, "name", "Oleg"), (report.Tx, "txInstant", report.DbAfter.Entity(report.Tx)![":db/txInstant"]!)],
            diff.Added.Select(d => (d.E, d.A.Name, d.V)).ToList());
        Assert.All(diff.Removed.Concat(diff.Added), d => Assert.True(d.Added));
        // The other way round the lists swap; a database differs from itself in nothing.
        var back = Database.Diff(report.DbAfter, before);
        Assert.Equal(diff.Added, back.Removed);
        Assert.Equal(diff.Removed, back.Added);
        Assert.Empty(Database.Diff(before, before).Added);
    }

    [Fact]
    public void Diff_against_an_empty_database_lists_every_datom()
    {
        var db = NewDb(Schema, data: "[{:name \"Ivan\" :age 30}]");
        var diff = Database.Diff(Database.Empty(), db);
        Assert.Empty(diff.Removed);
        Assert.Equal(db.Datoms(IndexType.Eavt).ToList(), diff.Added);
    }

    [Fact]
    public void Diff_needs_current_databases()
    {
        var db = NewDb(Schema, data: "[{:name \"Ivan\" :age 30}]");
        Assert.Equal("db/view", Assert.Throws<HikeException>(() => Database.Diff(db.History(), db)).Code);
        Assert.Equal("db/view", Assert.Throws<HikeException>(() => Database.Diff(db, db.AsOf(db.MaxTx))).Code);
    }
}
