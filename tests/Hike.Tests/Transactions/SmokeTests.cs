using Hike.Api;
using Hike.Db;
using Hike.Edn;

namespace Hike.Tests.Transactions;

public sealed class SmokeTests
{
    private static Keyword K(string s) => Keyword.Intern(s);

    [Fact]
    public void First_entity_is_1_and_first_transaction_is_536870913()
    {
        var db = Database.Empty(new DatabaseConfig { SchemaFlexibility = SchemaFlexibility.Read });
        var report = db.With("[{:name \"Ivan\" :age 15}]");
        Assert.Equal(536870913, report.Tx);
        var datoms = report.DbAfter.Datoms(IndexType.Eavt, 1L).ToList();
        Assert.Equal(2, datoms.Count);
        Assert.Contains(datoms, d => d.A == K("name") && (string)d.V == "Ivan");
        Assert.Contains(report.TxData, d => d.A == K("db/txInstant") && d.E == 536870913);
    }

    [Fact]
    public void Card_one_replacement_and_history()
    {
        var db = Database.Empty(new DatabaseConfig { SchemaFlexibility = SchemaFlexibility.Read });
        var r1 = db.With("[{:db/id 1 :name \"Ivan\"}]");
        var r2 = r1.DbAfter.With("[[:db/add 1 :name \"Petr\"]]");
        Assert.Equal(3, r2.TxData.Count);
        var now = r2.DbAfter.Datoms(IndexType.Eavt, 1L, K("name")).Single();
        Assert.Equal("Petr", now.V);
        var hist = r2.DbAfter.History().Datoms(IndexType.Eavt, 1L, K("name")).ToList();
        Assert.Equal(3, hist.Count);
        var asOf = r2.DbAfter.AsOf(r1.Tx).Datoms(IndexType.Eavt, 1L, K("name")).Single();
        Assert.Equal("Ivan", asOf.V);
    }
}
