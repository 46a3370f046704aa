using Hike.Api;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Api;

/// <summary><see cref="Database.Pull{T}(object, object, CancellationToken)"/>: a pulled entity as a record or class.</summary>
public sealed class TypedPullTests
{
    private const string Schema = """
        [{:db/ident :person/first-name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
         {:db/ident :person/age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
         {:db/ident :person/nick :db/valueType :db.type/string :db/cardinality :db.cardinality/many}
         {:db/ident :person/friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}
         {:db/ident :person/boss :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}
         {:db/ident :org/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]
        """;

    private const string Data = """
        [{:db/id 1 :person/first-name "Ivan" :person/age 30 :person/nick ["iv" "vanya"]}
         {:db/id 2 :person/first-name "Petr" :person/age 41 :person/friend [1] :person/boss 1}
         {:db/id 3 :org/name "Acme"}]
        """;

    private static Database People() => NewDb(Schema, data: Data);

    public sealed record Person(long Id, string FirstName, int Age, IReadOnlyList<string>? Nick);

    public sealed record Friend(string FirstName);

    public sealed record WithFriends(string FirstName, Friend[] Friend, Friend? Boss);

    public sealed record BossId(long Boss);

    public sealed class Renamed
    {
        [HikeAttribute(":person/first-name")]
        public string? Called { get; init; }

        [HikeAttribute("person/age")]
        public long Years { get; set; }
    }

    public sealed record Positional([property: HikeAttribute(":org/name")] string Title);

    [Fact]
    public void A_pulled_entity_fills_a_record_by_attribute_name_without_namespace()
    {
        var ivan = People().Pull<Person>("[*]", 1L)!;
        Assert.Equal((1L, "Ivan", 30), (ivan.Id, ivan.FirstName, ivan.Age));
        Assert.Equal(["iv", "vanya"], ivan.Nick!.Order());
    }

    [Fact]
    public void A_missing_attribute_leaves_the_default()
    {
        var petr = People().Pull<Person>("[:person/first-name]", 2L)!;
        Assert.Equal(new Person(0, "Petr", 0, null), petr);
    }

    [Fact]
    public void Nested_refs_fill_nested_types_and_many_refs_fill_arrays()
    {
        var petr = People().Pull<WithFriends>("[:person/first-name {:person/friend [:person/first-name]} {:person/boss [:person/first-name]}]", 2L)!;
        Assert.Equal("Petr", petr.FirstName);
        Assert.Equal([new Friend("Ivan")], petr.Friend);
        Assert.Equal(new Friend("Ivan"), petr.Boss);
    }

    [Fact]
    public void A_ref_pulled_as_its_id_fills_a_long()
    {
        Assert.Equal(new BossId(1), People().Pull<BossId>("[:person/boss]", 2L));
    }

    [Fact]
    public void Hike_attribute_names_the_attribute_of_a_property_or_a_positional_parameter()
    {
        var ivan = People().Pull<Renamed>("[*]", 1L)!;
        Assert.Equal(("Ivan", 30L), (ivan.Called, ivan.Years));
        Assert.Equal(new Positional("Acme"), People().Pull<Positional>("[*]", 3L));
    }

    [Fact]
    public void Nothing_to_pull_is_null()
    {
        Assert.Null(People().Pull<Person>("[:person/first-name]", 3L));
    }

    [Fact]
    public void A_value_that_does_not_fit_names_the_attribute()
    {
        var e = Assert.Throws<HikeException>(() => People().Pull<WrongAge>("[*]", 1L));
        Assert.Equal(ErrorCodes.PullResultType, e.Code);
        Assert.Equal(":person/first-name of the pull of 1 (for WrongAge.FirstName) holds \"Ivan\" (a string), which does not fit an int", e.Message);
    }

    public sealed record WrongAge(int FirstName);

    [Fact]
    public void Pull_many_fills_each_and_keeps_positions()
    {
        var people = People().PullMany<Friend>("[:person/first-name]", [2L, 3L, 1L]);
        Assert.Equal([new Friend("Petr"), null, new Friend("Ivan")], people);
    }
}
