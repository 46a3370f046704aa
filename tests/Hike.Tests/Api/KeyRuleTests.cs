using Hike.Api;
using Hike.Edn;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Api;

/// <summary>A pulled map and an entity take the same keys and read a missing one the same way.</summary>
public sealed class KeyRuleTests
{
    private static Database People() => NewDb(
        "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}"
        + " {:db/ident :person/age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]",
        data: "[{:db/id 1 :name \"Ivan\" :person/age 30}]");

    [Fact]
    public void A_pulled_map_reads_a_keyword_its_text_with_or_without_the_colon()
    {
        var pulled = People().Pull("[*]", 1L)!;
        Assert.Equal("Ivan", pulled[":name"]);
        Assert.Equal("Ivan", pulled["name"]);
        Assert.Equal("Ivan", pulled[Keyword.Intern("name")]);
        Assert.Equal(30L, pulled["person/age"]);
        Assert.Equal(30L, pulled[":person/age"]);
    }

    [Fact]
    public void An_entity_reads_the_same_keys_as_its_pulled_map()
    {
        var db = People();
        var pulled = db.Pull("[*]", 1L)!;
        var entity = db.Entity(1L)!;
        foreach (var key in new[] { ":name", "name", ":person/age", "person/age", "nothing", ":nothing" })
        {
            Assert.Equal(entity[key], pulled[key]);
            Assert.Equal(entity[Keyword.Intern(key)], pulled[Keyword.Intern(key)]);
        }
    }

    [Fact]
    public void A_missing_key_reads_as_null_on_both()
    {
        var db = People();
        Assert.Null(db.Pull("[*]", 1L)!["nothing"]);
        Assert.Null(db.Pull("[*]", 1L)![Keyword.Intern("nothing")]);
        Assert.Null(db.Entity(1L)!["nothing"]);
        Assert.Null(db.Entity(1L)![Keyword.Intern("nothing")]);
    }

    [Fact]
    public void Through_the_dictionary_interface_a_missing_key_throws_on_both()
    {
        IReadOnlyDictionary<object, object?> pulled = People().Pull("[*]", 1L)!;
        IReadOnlyDictionary<Keyword, object?> entity = People().Entity(1L)!;
        Assert.Equal("Ivan", pulled[Keyword.Intern("name")]);
        Assert.Throws<KeyNotFoundException>(() => pulled[Keyword.Intern("nothing")]);
        Assert.Throws<KeyNotFoundException>(() => entity[Keyword.Intern("nothing")]);
    }

    [Fact]
    public void A_string_key_in_the_map_is_read_before_the_keyword_it_spells()
    {
        var map = EdnMap.Of("name", "as text", Keyword.Intern("name"), "as keyword");
        Assert.Equal("as text", map["name"]);
        Assert.Equal("as keyword", map[":name"]);
        Assert.Equal("as keyword", map[Keyword.Intern("name")]);
        Assert.Equal("only text", EdnMap.Of("title", "only text")["title"]);
    }

    [Fact]
    public void A_key_holding_nil_is_told_from_a_missing_one_by_contains_key()
    {
        var map = EdnMap.Of(Keyword.Intern("a"), null);
        Assert.Null(map["a"]);
        Assert.True(map.ContainsKey(Keyword.Intern("a")));
        Assert.False(map.ContainsKey(Keyword.Intern("b")));
    }

    [Fact]
    public void An_empty_key_is_a_caller_mistake_on_both()
    {
        var db = People();
        Assert.Throws<ArgumentException>(() => db.Pull("[*]", 1L)![""]);
        Assert.Throws<ArgumentException>(() => db.Entity(1L)![""]);
    }
}
