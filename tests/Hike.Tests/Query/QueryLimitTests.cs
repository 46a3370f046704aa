using System.Diagnostics;
using Xunit.Abstractions;
using Hike.Api;
using Hike.Db;
using Hike.Edn;
using Hike.Query;
using Hike.Query.Execution;
using static Hike.Tests.Query.QueryFixture;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Query;

/// <summary>Cancellation, timeouts, the bound on intermediate rows and the regular expression budget of a query.</summary>
public sealed class QueryLimitTests(ITestOutputHelper output)
{
    /// <summary>
    /// Runs a nested query per row, about half a millisecond each, for 100,000 rows: close to a minute
    /// of engine work (scans, function bindings, a nested q) in little memory, unless something stops it.
    /// </summary>
    private const string SlowQuery =
        "[:find (count ?z) . :where [(range 0 100000) [?x ...]] [(q \"[:find ?y . :in ?x :where [(range 0 5000) [?y ...]] [(> ?y ?x)]]\" ?x) ?z]]";

    /// <summary>Matches of this pattern against <see cref="Catastrophic"/> backtrack for far longer than any test waits.</summary>
    private const string CatastrophicPattern = "(a+)+$";

    private static readonly string Catastrophic = new string('a', 28) + "X";

    [Fact]
    public void Cancelling_a_running_query_stops_it_within_100_ms()
    {
        // Once first, so that the time measured is the query's, not the JIT compiling the way out.
        Assert.ThrowsAny<OperationCanceledException>(() => Datalog.Q(new QueryRequest(SlowQuery) { CancellationToken = new CancellationToken(canceled: true) }));
        using var cts = new CancellationTokenSource();
        long stoppedAt = 0;
        var running = Task.Run(() =>
        {
            try
            {
                return Datalog.Q(new QueryRequest(SlowQuery) { CancellationToken = cts.Token });
            }
            catch (OperationCanceledException)
            {
                // Timed where the exception arrives, not when the waiting thread gets to run again.
                stoppedAt = Stopwatch.GetTimestamp();
                throw;
            }
        });
        Thread.Sleep(300);
        Assert.False(running.IsCompleted);
        long cancelledAt = Stopwatch.GetTimestamp();
        cts.Cancel();
        var thrown = Assert.ThrowsAny<OperationCanceledException>(() => running.GetAwaiter().GetResult());
        var stoppedIn = Stopwatch.GetElapsedTime(cancelledAt, stoppedAt);
        output.WriteLine($"stopped {stoppedIn.TotalMilliseconds:0.###} ms after Cancel()");
        Assert.Equal(cts.Token, thrown.CancellationToken);
        Assert.True(stoppedIn < TimeSpan.FromMilliseconds(100), $"took {stoppedIn.TotalMilliseconds} ms to stop");
    }

    [Fact]
    public void A_query_whose_token_is_already_cancelled_does_not_run()
    {
        var cancelled = new CancellationToken(canceled: true);
        Assert.ThrowsAny<OperationCanceledException>(() => Datalog.Q(new QueryRequest("[:find ?x :where [(ground 1) ?x]]") { CancellationToken = cancelled }));
        var db = DbOf("[{:name \"Ann\"}]");
        Assert.ThrowsAny<OperationCanceledException>(() => db.Q(new QueryRequest("[:find ?e :where [?e :name]]") { CancellationToken = cancelled }));
    }

    [Fact]
    public void A_timeout_in_the_call_form_ends_the_query_with_query_timeout()
    {
        var call = EdnMap.Of(K("query"), Read(SlowQuery), K("args"), EdnVector.Create(), K("timeout"), 200L);
        var watch = Stopwatch.StartNew();
        var e = Assert.Throws<HikeException>(() => Datalog.Q(call));
        Assert.Equal("query/timeout", e.Code);
        Assert.StartsWith("Query timed out after 200 ms in ", e.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData("{:find [(count ?z) .] :where [[(range 0 100000) [?x ...]] [(q \"[:find ?y . :in ?x :where [(range 0 5000) [?y ...]] [(> ?y ?x)]]\" ?x) ?z]] :timeout 200}")]
    [InlineData("[:find (count ?z) . :where [(range 0 100000) [?x ...]] [(q \"[:find ?y . :in ?x :where [(range 0 5000) [?y ...]] [(> ?y ?x)]]\" ?x) ?z] :timeout 200]")]
    public void A_timeout_written_inside_a_map_or_vector_query_is_honoured(string query)
    {
        var e = Assert.Throws<HikeException>(() => Datalog.Q(query));
        Assert.Equal("query/timeout", e.Code);
    }

    [Fact]
    public void A_timeout_in_the_request_ends_the_query()
    {
        var e = Assert.Throws<HikeException>(() => Datalog.Q(new QueryRequest(SlowQuery) { Timeout = TimeSpan.FromMilliseconds(150) }));
        Assert.Equal("query/timeout", e.Code);
        Assert.StartsWith("Query timed out after 150 ms", e.Message);
    }

    [Fact]
    public void The_database_default_timeout_applies_unless_the_query_sets_its_own()
    {
        var db = TestBackend.Build(new DatabaseConfig { SchemaFlexibility = SchemaFlexibility.Read, QueryTimeout = TimeSpan.FromMilliseconds(150) }, "[{:name \"Ann\"}]");
        var query = "[:find (count ?z) . :in $ " + SlowQuery["[:find (count ?z) . ".Length..];
        var e = Assert.Throws<HikeException>(() => Datalog.Q(query, db));
        Assert.Equal("query/timeout", e.Code);
        Assert.StartsWith("Query timed out after 150 ms", e.Message);
        // The query's own, here shorter, timeout wins over the default.
        var own = Assert.Throws<HikeException>(() => db.Q(new QueryRequest(query) { Timeout = TimeSpan.FromMilliseconds(100) }));
        Assert.StartsWith("Query timed out after 100 ms", own.Message);
        AssertEdn("#{[\"Ann\"]}", db.Q("[:find ?n :where [_ :name ?n]]"));
    }

    [Fact]
    public void Query_limits_are_read_from_the_edn_config_and_written_back()
    {
        var config = DatabaseConfig.Parse("{:store {:backend :mem :id \"limits\"} :query-timeout-ms 2500 :query-max-rows 5000}");
        Assert.Equal(TimeSpan.FromMilliseconds(2500), config.QueryTimeout);
        Assert.Equal(5000, config.QueryMaxRows);
        var written = config.ToEdn();
        Assert.Equal(2500L, written.Get(K("query-timeout-ms")));
        Assert.Equal(5000L, written.Get(K("query-max-rows")));
        Assert.Null(new DatabaseConfig().QueryTimeout);
        Assert.Equal(10_000_000, new DatabaseConfig().QueryMaxRows);
        Assert.Equal("config/invalid", Assert.Throws<HikeException>(() => DatabaseConfig.Parse("{:query-timeout-ms 0}")).Code);
        Assert.Equal("config/invalid", Assert.Throws<HikeException>(() => DatabaseConfig.Parse("{:query-max-rows \"many\"}")).Code);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DatabaseConfig { QueryTimeout = TimeSpan.Zero });
    }

    [Fact]
    public void A_bad_timeout_or_row_bound_in_the_call_form_is_a_parser_error()
    {
        Assert.Contains(":timeout should be a positive number", Fails("parser/query", "{:find [?x] :where [[(ground 1) ?x]] :timeout -5}"));
        Assert.Contains(":max-rows should be a positive number", Fails("parser/query", "[:find ?x :where [(ground 1) ?x] :max-rows \"all\"]"));
    }

    [Fact]
    public void A_cartesian_product_over_the_row_bound_fails_and_leaves_the_database_usable()
    {
        var tx = new List<object?> { Read("{:db/ident :l/v :db/valueType :db.type/long :db/cardinality :db.cardinality/one}"), Read("{:db/ident :r/v :db/valueType :db.type/long :db/cardinality :db.cardinality/one}") };
        var data = new List<object?>();
        for (long i = 0; i < 20_000; i++)
        {
            data.Add(EdnMap.Of(K("l/v"), i));
            data.Add(EdnMap.Of(K("r/v"), i));
        }
        var db = TestBackend.Build(new DatabaseConfig(), tx, data);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var find = Assert.Throws<HikeException>(() => db.Q("[:find ?x ?y :where [?x :l/v _] [?y :r/v _]]"));
        Assert.Equal("query/too-large", find.Code);
        Assert.Equal("Query too large: :find ?x ?y would hold 400000000 rows, over the bound of 10000000 rows on any relation a query builds (:max-rows in the query, :query-max-rows in the config)", find.Message);
        var where = Assert.Throws<HikeException>(() => db.Q("[:find (count ?x) . :where [?x :l/v ?a] [?y :r/v ?b] [(< ?a ?b)]]"));
        Assert.Equal("query/too-large", where.Code);
        Assert.Contains("[(< ?a ?b)] would hold 400000000 rows", where.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 200 << 20, "the product was built before it failed");
        Assert.Equal(20_000L, db.Q("[:find (count ?x) . :where [?x :l/v ?a] [?y :r/v ?a]]"));
    }

    [Fact]
    public void A_huge_range_hits_the_row_bound_without_being_built()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<HikeException>(() => Datalog.Q("[:find (count ?x) . :where [(range 0 100000000000) [?x ...]]]"));
        Assert.Equal("query/too-large", e.Code);
        Assert.Equal("Query too large: [(range 0 100000000000) [?x ...]] would hold 100000000000 rows, over the bound of 10000000 rows on any relation a query builds (:max-rows in the query, :query-max-rows in the config)", e.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 10 << 20);
        Assert.Equal(5L, Datalog.Q("[:find (count ?x) . :where [(range 0 10 2) [?x ...]]]"));
        Assert.Equal(3L, Datalog.Q("[:find (count ?x) . :where [(range 10 1 -3) [?x ...]]]"));
    }

    [Fact]
    public void A_row_bound_given_by_the_query_or_the_database_replaces_the_default()
    {
        const string query = "[:find ?x :where [(range 0 1000) [?x ...]]]";
        var call = Assert.Throws<HikeException>(() => Datalog.Q($"{{:query {query} :max-rows 999}}"));
        Assert.Equal("query/too-large", call.Code);
        Assert.Contains("would hold more than 999 rows, over the bound of 999 rows", call.Message);
        Assert.Equal(1000, ((EdnSet)Datalog.Q(new QueryRequest(query) { MaxRows = 1000 })!).Count);
        var db = TestBackend.Build(new DatabaseConfig { SchemaFlexibility = SchemaFlexibility.Read, QueryMaxRows = 500 }, "[{:name \"Ann\"}]");
        var byConfig = Assert.Throws<HikeException>(() => db.Q(query.Replace(":where", ":in $ :where", StringComparison.Ordinal)));
        Assert.Contains("over the bound of 500 rows", byConfig.Message);
        Assert.Equal(1000, ((EdnSet)db.Q(new QueryRequest(query.Replace(":where", ":in $ :where", StringComparison.Ordinal)) { MaxRows = 2000 })!).Count);
    }

    [Fact]
    public void The_regular_expressions_of_a_query_share_its_deadline()
    {
        var rows = EdnVector.From(Enumerable.Range(0, 20).Select(i => (object?)(Catastrophic + i)));
        var watch = Stopwatch.StartNew();
        var e = Assert.Throws<HikeException>(() => Datalog.Q(new QueryRequest($"[:find ?s :in [?s ...] :where [(re-find \"{CatastrophicPattern}\" ?s)]]", rows) { Timeout = TimeSpan.FromMilliseconds(300) }));
        Assert.Equal("query/timeout", e.Code);
        // Each match alone used to get five seconds.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Without_a_timeout_the_regular_expressions_of_a_query_share_one_budget()
    {
        var rows = EdnVector.From(Enumerable.Range(0, 20).Select(i => (object?)EdnVector.Create(Catastrophic + i)));
        var query = QueryEngine.Parse($"[:find ?s :in [[?s]] :where [(re-matches \"{CatastrophicPattern}\" ?s)]]");
        using var guard = new QueryGuard(QueryLimits.Default with { RegexBudget = TimeSpan.FromMilliseconds(200) }, CancellationToken.None);
        var watch = Stopwatch.StartNew();
        var e = Assert.Throws<HikeException>(() => QueryEngine.Run(query, [rows], QueryOptions.None, null, guard));
        Assert.Equal("query/timeout", e.Code);
        Assert.StartsWith("re-matches: the regular expressions of this query ran for their whole budget of 200 ms", e.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        AssertEdn("#{[\"aab\"]}", Datalog.Q("[:find ?s :in [?s ...] :where [(re-matches \"a+b\" ?s)]]", EdnVector.Create("aab", "abc")));
    }

    [Fact]
    public void Pull_and_datoms_stop_when_their_token_is_cancelled()
    {
        var db = DbOf("[{:db/id 1 :name \"Ann\" :friend 2} {:db/id 2 :name \"Bo\"}]");
        var cancelled = new CancellationToken(canceled: true);
        Assert.ThrowsAny<OperationCanceledException>(() => db.Pull("[*]", 1L, cancelled));
        Assert.ThrowsAny<OperationCanceledException>(() => db.PullMany("[*]", [1L, 2L], cancelled));
        Assert.ThrowsAny<OperationCanceledException>(() => db.Datoms(IndexType.Eavt, [], cancelled).ToList());
        Assert.ThrowsAny<OperationCanceledException>(() => db.Datoms(K("aevt"), [K("name")], cancelled).ToList());
        Assert.ThrowsAny<OperationCanceledException>(() => db.SeekDatoms(IndexType.Eavt, [1L], cancelled).ToList());
        Assert.ThrowsAny<OperationCanceledException>(() => db.RSeekDatoms(IndexType.Eavt, [2L], cancelled).ToList());
        Assert.ThrowsAny<OperationCanceledException>(() => db.IndexRange(K("name"), null, null, cancelled).ToList());
        using var live = new CancellationTokenSource();
        AssertEdn("{:name \"Ann\"}", db.Pull("[:name]", 1L, live.Token));
        Assert.Equal(2, db.Datoms(IndexType.Aevt, [K("name")], live.Token).Count());
    }
}
