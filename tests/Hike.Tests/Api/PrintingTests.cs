using Hike.Api;
using Hike.Edn;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Api;

/// <summary>Databases, reports and datoms print in Datahike's spelling, the same in ToString and in EDN.</summary>
public sealed class PrintingTests
{
    private const string Schema = "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]";

    [Fact]
    public void A_datom_prints_as_datahikes_tagged_vector()
    {
        var datom = new Datom(1, K("name"), "Ivan", 536870913, true);
        Assert.Equal("#datahike/Datom [1 :name \"Ivan\" 536870913 true]", datom.ToString());
        Assert.Equal("[#datahike/Datom [1 :name \"Ivan\" 536870913 true]]", EdnPrinter.Print(EdnVector.Create(datom)));
    }

    [Fact]
    public void A_database_never_committed_prints_its_counters()
    {
        var db = Database.Empty();
        Assert.Equal("#datahike/DB {:max-tx 536870912, :max-eid 0}", db.ToString());
        var after = db.DbWith("[{:db/id -1 :db/ident :x}]");
        Assert.Equal("#datahike/DB {:max-tx 536870913, :max-eid 1}", after.ToString());
    }

    [Fact]
    public void A_committed_database_prints_its_commit_id()
    {
        using var conn = Connect(Schema);
        var db = conn.Db;
        Assert.Equal($"#datahike/DB {{:commit-id #uuid \"{db.CommitId}\", :max-tx {db.MaxTx}, :max-eid {db.MaxEid}}}", db.ToString());
        Assert.Equal(db.ToString(), EdnPrinter.Print(db));
    }

    [Fact]
    public void Views_print_around_their_origin()
    {
        var db = Database.Empty().DbWith("[{:db/id -1 :db/ident :x}]");
        const string origin = "#datahike/DB {:max-tx 536870913, :max-eid 1}";
        Assert.Equal($"#datahike/HistoricalDB {{:origin {origin}}}", db.History().ToString());
        Assert.Equal($"#datahike/AsOfDB {{:origin {origin}, :time-point 536870913}}", db.AsOf(536870913).ToString());
        Assert.Equal($"#datahike/SinceDB {{:origin {origin}, :time-point 536870912}}", db.Since(536870912).ToString());
        Assert.Equal(origin, db.Filter((_, _) => true).ToString());
    }

    [Fact]
    public void A_report_prints_as_its_map()
    {
        var db = NewDb(Schema[..^1] + " {:db/ident :by :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
        var report = db.With("[{:db/id \"ivan\" :name \"Ivan\"}]", "{:by \"me\"}");
        long e = report.TempIds["ivan"];
        long tx = report.Tx;
        string before = db.ToString();
        string after = report.DbAfter.ToString();
        Assert.StartsWith("#datahike/DB {", after);
        // The tempid map keeps the transaction's own entry, :db/current-tx, after the string tempid.
        Assert.Equal(
            $"{{:db-before {before}, :db-after {after}, :tx-data [#datahike/Datom [{e} :name \"Ivan\" {tx} true] #datahike/Datom [{tx} :db/txInstant #inst \"{Instant(report)}\" {tx} true] #datahike/Datom [{tx} :by \"me\" {tx} true]], "
            + $":tempids {{\"ivan\" {e}, :db/current-tx {tx}}}, :tx-meta {{:by \"me\"}}}}",
            report.ToString());
    }

    private static string Instant(TxReport report) =>
        EdnPrinter.Print(report.TxData.Single(d => d.A == K("db/txInstant")).V)[7..^1];
}
