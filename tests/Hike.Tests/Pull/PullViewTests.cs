using Hike.Api;
using Hike.Db;
using static Hike.Tests.Pull.PullFixture;

namespace Hike.Tests.Pull;

/// <summary>Pull over every kind of database value: current, as-of, since, history and filtered.</summary>
public sealed class PullViewTests : IAsyncLifetime
{
    private const string Pattern = "[:name :aka {:friend [:name]}]";
    private Connection _conn = null!;
    private long _tx1, _tx2, _tx3;

    public async Task InitializeAsync()
    {
        _conn = await Database.CreateAndConnectAsync(TestBackend.Place(new DatabaseConfig { SchemaFlexibility = SchemaFlexibility.Read }));
        _conn.Transact("""
            [{:db/id 101 :db/ident :name :db/unique :db.unique/identity}
             {:db/id 102 :db/ident :aka :db/cardinality :db.cardinality/many}
             {:db/id 103 :db/ident :friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}]
            """);
        _tx1 = _conn.Transact("""[{:db/id 1 :name "Ivan" :aka ["X"] :friend 2} {:db/id 2 :name "Petr"}]""").Tx;
        _tx2 = _conn.Transact("""[[:db/add 1 :name "Ivan2"] [:db/add 1 :aka "Y"] [:db/retract 1 :aka "X"]]""").Tx;
        _tx3 = _conn.Transact("""[[:db/retract 1 :friend 2] {:db/id 3 :name "Oleg"} [:db/add 1 :friend 3]]""").Tx;
    }

    public Task DisposeAsync()
    {
        _conn.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void The_current_database_shows_the_latest_values()
    {
        AssertEdn("""{:name "Ivan2" :aka ["Y"] :friend [{:name "Oleg"}]}""", _conn.Db.Pull(Pattern, 1L));
        AssertEdn("""{:name "Ivan2" :aka ["Y"] :friend [{:name "Oleg"}]}""", _conn.Db.Pull(Pattern, """[:name "Ivan2"]"""));
    }

    [Fact]
    public void As_of_shows_the_values_at_that_transaction_through_refs_too()
    {
        AssertEdn("""{:name "Ivan" :aka ["X"] :friend [{:name "Petr"}]}""", _conn.Db.AsOf(_tx1).Pull(Pattern, 1L));
        AssertEdn("""{:name "Ivan2" :aka ["Y"] :friend [{:name "Petr"}]}""", _conn.Db.AsOf(_tx2).Pull(Pattern, 1L));
        AssertEdn("""{:name "Petr" :_friend [{:db/id 1}]}""", _conn.Db.AsOf(_tx2).Pull("[:name :_friend]", 2L));
        AssertEdn("""{:name "Petr"}""", _conn.Db.Pull("[:name :_friend]", 2L));
    }

    [Fact]
    public void As_of_resolves_lookup_refs_as_of_that_transaction()
    {
        AssertEdn("""{:aka ["X"]}""", _conn.Db.AsOf(_tx1).Pull("[:aka]", """[:name "Ivan"]"""));
        Assert.Equal("entity-id/missing", Throws(() => _conn.Db.Pull("[:aka]", """[:name "Ivan"]""")).Code);
    }

    [Fact]
    public void Since_shows_only_datoms_of_later_transactions()
    {
        // As Datahike (#713): since a transaction excludes that transaction.
        AssertEdn("""{:name "Ivan2" :aka ["Y"] :friend [{:name "Oleg"}]}""", _conn.Db.Since(_tx1).Pull(Pattern, 1L));
        AssertEdn("""{:name "Ivan2" :aka ["Y"] :friend [{:name "Oleg"}]}""", _conn.Db.Since(_tx2 - 1).Pull(Pattern, 1L));
        AssertEdn("""{:friend [{:name "Oleg"}]}""", _conn.Db.Since(_tx2).Pull(Pattern, 1L));
        Assert.Null(_conn.Db.Since(_tx3).Pull(Pattern, 1L));
        Assert.Null(_conn.Db.Since(_tx3).Pull("[:db/id]", 1L));
    }

    [Fact]
    public void History_reads_assertions_and_retractions_alike_as_Datahike()
    {
        var history = _conn.Db.History();
        // :name datoms in EAVT order: "Ivan" asserted, "Ivan" retracted, "Ivan2" asserted; card-one shows the first.
        AssertEdn("""{:name "Ivan" :aka ["X" "X" "Y"]}""", history.Pull("[:name :aka]", 1L));
        AssertEdn("""{:_friend [{:db/id 1} {:db/id 1}]}""", history.Pull("[:_friend]", 2L));
        AssertEdn("""{:db/id 2 :name "Petr"}""", history.Pull("[*]", 2L));
    }

    [Fact]
    public void A_filtered_database_hides_the_filtered_datoms_from_pull()
    {
        var aka = K("aka");
        var noAka = _conn.Db.Filter((_, d) => d.A != aka);
        AssertEdn("""{:name "Ivan2" :friend [{:name "Oleg"}]}""", noAka.Pull(Pattern, 1L));
        var noOleg = _conn.Db.Filter((_, d) => d.E != 3);
        AssertEdn("""{:name "Ivan2" :aka ["Y"] :friend []}""", noOleg.Pull(Pattern, 1L));
        AssertEdn("{:db/id 3}", noOleg.Pull("[*]", 3L));
        Assert.Null(noOleg.Pull("[:db/id :name]", 3L));
    }

    [Fact]
    public void A_filter_predicate_may_itself_pull_while_a_pull_is_running()
    {
        var db = _conn.Db;
        var onlyNamed = db.Filter((unfiltered, d) => unfiltered.Pull("[:name]", d.E) is not null);
        AssertEdn("""{:name "Ivan2" :aka ["Y"] :friend [{:name "Oleg"}]}""", onlyNamed.Pull(Pattern, 1L));
    }

    [Fact]
    public void Pull_many_works_on_views()
    {
        AssertEdn("""[{:name "Ivan"} {:name "Petr"} nil]""", _conn.Db.AsOf(_tx1).PullMany("[:name]", [1L, 2L, 3L]));
    }
}
