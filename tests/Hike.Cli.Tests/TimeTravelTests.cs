using System.Globalization;
using System.Text.RegularExpressions;

namespace Hike.Cli.Tests;

/// <summary>
/// <c>asof:</c> and <c>since:</c> at the exact time point of a transaction, given as epoch
/// milliseconds, an ISO-8601 instant or <c>tx:N</c>: as Datahike since #713, as-of includes the time
/// point and since excludes it (time_variance_test.cljc test-as-of-db and test-since-db).
/// </summary>
public sealed partial class TimeTravelTests : IClassFixture<TimeTravelTests.TwoAges>
{
    private const string Ages = "[:find ?v :where [_ :age ?v]]";
    private readonly TwoAges _db;

    public TimeTravelTests(TwoAges db) => _db = db;

    [Fact]
    public void As_of_the_epoch_milliseconds_of_a_transaction_includes_it()
    {
        Assert.Equal("#{[2]}", _db.Ok("query", Ages, $"asof:{_db.SecondMillis}:cfg.edn"));
        Assert.Equal("#{[1]}", _db.Ok("query", Ages, $"asof:{_db.SecondMillis - 1}:cfg.edn"));
    }

    [Fact]
    public void As_of_the_iso_instant_of_a_transaction_includes_it()
    {
        Assert.Equal("#{[2]}", _db.Ok("query", Ages, $"asof:{Iso(_db.SecondMillis)}:cfg.edn"));
        Assert.Equal("#{[1]}", _db.Ok("query", Ages, $"asof:{Iso(_db.SecondMillis - 1)}:cfg.edn"));
    }

    [Fact]
    public void As_of_a_transaction_id_includes_it()
    {
        Assert.Equal("#{[2]}", _db.Ok("query", Ages, "asof:tx:536870915:cfg.edn"));
        Assert.Equal("#{[1]}", _db.Ok("query", Ages, "asof:tx:536870914:cfg.edn"));
    }

    [Fact]
    public void Since_a_transaction_id_excludes_it()
    {
        Assert.Equal("#{[2]}", _db.Ok("query", Ages, "since:tx:536870914:cfg.edn"));
        Assert.Equal("#{}", _db.Ok("query", Ages, "since:tx:536870915:cfg.edn"));
    }

    [Fact]
    public void Since_the_instant_of_a_transaction_excludes_it()
    {
        Assert.Equal("#{}", _db.Ok("query", Ages, $"since:{_db.SecondMillis}:cfg.edn"));
        Assert.Equal("#{}", _db.Ok("query", Ages, $"since:{Iso(_db.SecondMillis)}:cfg.edn"));
        Assert.Equal("#{[2]}", _db.Ok("query", Ages, $"since:{_db.SecondMillis - 1}:cfg.edn"));
        Assert.Equal("#{[2]}", _db.Ok("query", Ages, $"since:{Iso(_db.SecondMillis - 1)}:cfg.edn"));
    }

    private static string Iso(long millis) =>
        DateTime.UnixEpoch.AddMilliseconds(millis).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex("^#inst \"(.+)\"$")]
    private static partial Regex Inst();

    /// <summary>A database whose entity's age was 1 after transaction 536870914 and 2 after 536870915.</summary>
    public sealed class TwoAges : IDisposable
    {
        private readonly Fixture _fixture = new();

        public TwoAges()
        {
            Ok("transact", "conn:cfg.edn", "[{:name \"v\" :age 1}]");
            Ok("transact", "conn:cfg.edn", "[[:db/add [:name \"v\"] :age 2]]");
            var inst = Inst().Match(Ok("query", "[:find ?t . :where [536870915 :db/txInstant ?t]]", "db:cfg.edn"));
            Assert.True(inst.Success);
            SecondMillis = DateTimeOffset.Parse(inst.Groups[1].Value, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        }

        /// <summary>The <c>:db/txInstant</c> of transaction 536870915 in epoch milliseconds.</summary>
        public long SecondMillis { get; }

        public string Ok(params string[] args) => _fixture.Ok(args);

        public void Dispose() => _fixture.Dispose();
    }
}
