using Hike.Edn;
using Hike.Pull;
using static Hike.Tests.Pull.PullFixture;

namespace Hike.Tests.Pull;

/// <summary>Malformed patterns are <c>pull/syntax</c> errors naming the offending element; well-formed ones compile to the expected specs.</summary>
public sealed class PullSyntaxTests
{
    [Theory]
    [InlineData(":name", ":name")]
    [InlineData("{:friend [:name]}", "{:friend [:name]}")]
    [InlineData("42", "42")]
    [InlineData("[1]", "1")]
    [InlineData("[nil]", "nil")]
    [InlineData("[name]", "name")]
    [InlineData("[true]", "true")]
    [InlineData("[...]", "...")]
    [InlineData("[[]]", "[]")]
    [InlineData("[[* :as :x]]", "[* :as :x]")]
    [InlineData("[(foo :a 1)]", "(foo :a 1)")]
    [InlineData("[(limit :foo :bar)]", ":bar")]
    [InlineData("[(limit :foo 0)]", "(limit :foo 0)")]
    [InlineData("[(limit :foo -1)]", "-1")]
    [InlineData("[(limit :foo 1.5)]", "1.5")]
    [InlineData("[(limit 1 2)]", "(limit 1 2)")]
    [InlineData("[(limit :foo)]", "(limit :foo)")]
    [InlineData("[(default 1 :bar)]", "(default 1 :bar)")]
    [InlineData("[(default :foo)]", "(default :foo)")]
    [InlineData("[[:foo]]", "[:foo]")]
    [InlineData("[[:foo :limit]]", "[:foo :limit]")]
    [InlineData("[[:foo :limit 0]]", "[:foo :limit 0]")]
    [InlineData("[[:foo :limit \"x\"]]", "\"x\"")]
    [InlineData("[[:foo :bar 1]]", ":bar")]
    [InlineData("[[:foo :as :x :as :y]]", ":as")]
    [InlineData("[[:foo 1 2]]", "1")]
    [InlineData("[{:friend :name}]", ":name")]
    [InlineData("[{:friend nil}]", "nil")]
    [InlineData("[{:friend 0}]", "{:friend 0}")]
    [InlineData("[{:friend -2}]", "-2")]
    [InlineData("[{1 [:name]}]", "1")]
    [InlineData("[{* [:name]}]", "*")]
    [InlineData("[{:db/id [:name]}]", ":db/id")]
    [InlineData("[{:db/id ...}]", ":db/id")]
    [InlineData("[{[:friend :bad 1] [:name]}]", ":bad")]
    [InlineData("[{:friend [:name {:child [7]}]}]", "7")]
    public void Malformed_patterns_are_pull_syntax_errors_naming_the_element(string pattern, string named)
    {
        var e = Throws(() => TestDb.Pull(pattern, 1L));
        Assert.Equal("pull/syntax", e.Code);
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Xform_is_rejected_with_a_clear_message()
    {
        var e = Throws(() => TestDb.Pull("[[:name :xform clojure.string/upper-case]]", 1L));
        Assert.Equal("pull/syntax", e.Code);
        Assert.Contains(":xform", e.Message, StringComparison.Ordinal);
        Assert.Contains("not supported", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_csharp_patterns_are_pull_syntax_errors_too()
    {
        Assert.Equal("pull/syntax", Throws(() => TestDb.Pull(new object[] { 3.5 }, 1L)).Code);
        Assert.Equal("pull/syntax", Throws(() => TestDb.Pull(new Dictionary<object, object> { [K("friend")] = new object[] { K("name") } }, 1L)).Code);
        Assert.Equal("pull/syntax", Throws(() => TestDb.Pull(new List<object> { new Dictionary<object, object> { [K("friend")] = "oops" } }, 1L)).Code);
        Assert.Equal("pull/syntax", Throws(() => TestDb.PullMany(new object[] { Guid.Empty }, [1L])).Code);
    }

    [Fact]
    public void A_null_pattern_is_an_argument_error()
    {
        Assert.Throws<ArgumentNullException>(() => TestDb.Pull(null!, 1L));
        Assert.Throws<ArgumentNullException>(() => TestDb.PullMany("[:name]", null!));
    }

    [Fact]
    public void Attribute_specs_compile_with_their_options()
    {
        var pattern = PullPattern.Parse("[:db/id :foo/bar :_child (limit :aka 7) [:name :as \"N\" :default \"?\"] (default :age 0) [:x :limit nil]]");
        Assert.False(pattern.Wildcard);
        Assert.Equal(7, pattern.Attrs.Count);
        Assert.True(pattern.Attrs[0].IsDbId);
        Assert.Equal(K("foo/bar"), pattern.Attrs[1].Attr);
        Assert.True(pattern.Attrs[2].Reverse);
        Assert.Equal(K("child"), pattern.Attrs[2].Attr);
        Assert.Equal(K("_child"), pattern.Attrs[2].Key);
        Assert.Equal(7, pattern.Attrs[3].Limit);
        Assert.Equal(PullAttrSpec.DefaultLimit, pattern.Attrs[4].Limit);
        Assert.Equal("N", pattern.Attrs[4].Key);
        Assert.True(pattern.Attrs[4].HasDefault);
        Assert.Equal("?", pattern.Attrs[4].Default);
        Assert.Equal(0L, pattern.Attrs[5].Default);
        Assert.Equal(PullAttrSpec.Unlimited, pattern.Attrs[6].Limit);
    }

    [Fact]
    public void Map_specs_compile_to_subpatterns_and_recursion()
    {
        var pattern = PullPattern.Parse("[* {:friend ... :enemy 3 (limit :child 2) [:name] :ns/_ref [*]}]");
        Assert.True(pattern.Wildcard);
        var byName = pattern.Attrs.ToDictionary(a => a.Name);
        Assert.True(byName[K("friend")].Recursive);
        Assert.Equal(0, byName[K("friend")].RecursionLimit);
        Assert.Equal(3, byName[K("enemy")].RecursionLimit);
        Assert.Equal(2, byName[K("child")].Limit);
        Assert.Equal(K("name"), byName[K("child")].Subpattern!.Attrs[0].Name);
        Assert.True(byName[K("ns/_ref")].Reverse);
        Assert.Equal(K("ns/ref"), byName[K("ns/_ref")].Attr);
        Assert.True(byName[K("ns/_ref")].Subpattern!.Wildcard);
    }

    [Fact]
    public void Wildcards_and_heads_may_be_symbols_keywords_or_strings()
    {
        Assert.True(PullPattern.Parse(EdnVector.Create(K("*"))).Wildcard);
        Assert.True(PullPattern.Parse(new object[] { "*" }).Wildcard);
        var limit = PullPattern.Parse(new object[] { new object[] { "limit", K("aka"), 3 } });
        Assert.Equal(3, limit.Attrs[0].Limit);
        var keywordHead = PullPattern.Parse("[[:limit :aka 4] [:default :age 1]]");
        Assert.Equal(4, keywordHead.Attrs[0].Limit);
        Assert.Equal(1L, keywordHead.Attrs[1].Default);
        var limitAttribute = PullPattern.Parse("[[:limit :as :l]]");
        Assert.Equal(K("limit"), limitAttribute.Attrs[0].Name);
        Assert.Equal(K("l"), limitAttribute.Attrs[0].Key);
    }
}
