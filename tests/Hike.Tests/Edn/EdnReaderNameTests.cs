using Hike.Edn;
using static Hike.Tests.Edn.EdnAssert;

namespace Hike.Tests.Edn;

public sealed class EdnReaderNameTests
{
    [Theory]
    [InlineData(":a", null, "a")]
    [InlineData(":name", null, "name")]
    [InlineData(":a/b", "a", "b")]
    [InlineData(":db/id", "db", "id")]
    [InlineData(":a.b/c", "a.b", "c")]
    [InlineData(":db.type/long", "db.type", "long")]
    [InlineData(":db.cardinality/many", "db.cardinality", "many")]
    [InlineData(":keep-history?", null, "keep-history?")]
    [InlineData(":*+!-_?", null, "*+!-_?")]
    [InlineData(":abc:def:ghi", null, "abc:def:ghi")]
    [InlineData(":abc:def/ghi:jkl.mno", "abc:def", "ghi:jkl.mno")]
    [InlineData(":a#b", null, "a#b")]
    [InlineData(":a'", null, "a'")]
    [InlineData(":_/d", "_", "d")]
    [InlineData(":/", null, "/")]
    [InlineData(":1", null, "1")]
    [InlineData(":-1", null, "-1")]
    [InlineData(":1/a", "1", "a")]
    [InlineData(":#a", null, "#a")]
    [InlineData(":日本/語", "日本", "語")]
    public void Keywords_read_as_interned_keywords(string text, string? ns, string name)
    {
        var k = Assert.IsType<Keyword>(EdnReader.Read(text));
        Assert.Equal(ns, k.Namespace);
        Assert.Equal(name, k.Name);
        Assert.Same(Keyword.Intern(text[1..]), k);
    }

    [Theory]
    [InlineData("a", null, "a")]
    [InlineData("abc", null, "abc")]
    [InlineData("a/b", "a", "b")]
    [InlineData("?e", null, "?e")]
    [InlineData("?name", null, "?name")]
    [InlineData("$", null, "$")]
    [InlineData("$1", null, "$1")]
    [InlineData("%", null, "%")]
    [InlineData("_", null, "_")]
    [InlineData("...", null, "...")]
    [InlineData("+", null, "+")]
    [InlineData("-", null, "-")]
    [InlineData(".", null, ".")]
    [InlineData("/", null, "/")]
    [InlineData("*", null, "*")]
    [InlineData("!", null, "!")]
    [InlineData("&", null, "&")]
    [InlineData("=", null, "=")]
    [InlineData("<=", null, "<=")]
    [InlineData(">", null, ">")]
    [InlineData("not=", null, "not=")]
    [InlineData("!=", null, "!=")]
    [InlineData("->", null, "->")]
    [InlineData("-a", null, "-a")]
    [InlineData("+a", null, "+a")]
    [InlineData(".a", null, ".a")]
    [InlineData("a-1", null, "a-1")]
    [InlineData("a.b", null, "a.b")]
    [InlineData("clojure.string/join", "clojure.string", "join")]
    [InlineData("clojure.core//", "clojure.core", "/")]
    [InlineData("a//", "a", "/")]
    [InlineData("abc:def:ghi", null, "abc:def:ghi")]
    [InlineData("*+!-_?", null, "*+!-_?")]
    [InlineData("abc.def/ghi", "abc.def", "ghi")]
    [InlineData("abc/def.ghi", "abc", "def.ghi")]
    [InlineData("abc:def/ghi:jkl.mno", "abc:def", "ghi:jkl.mno")]
    [InlineData("a#", null, "a#")]
    [InlineData("x'", null, "x'")]
    [InlineData("nil?", null, "nil?")]
    [InlineData("λ", null, "λ")]
    [InlineData("नाम", null, "नाम")]
    public void Symbols_read_as_interned_symbols(string text, string? ns, string name)
    {
        var s = Assert.IsType<Symbol>(EdnReader.Read(text));
        Assert.Equal(ns, s.Namespace);
        Assert.Equal(name, s.Name);
        Assert.Same(Symbol.Intern(text), s);
    }

    [Fact]
    public void The_symbol_characters_of_the_EDN_spec_read_as_symbols()
    {
        var v = Assert.IsType<EdnVector>(EdnReader.Read("[/ . * + ! - _ ? $ % & = - +]"));
        Assert.Equal(
            new[] { "/", ".", "*", "+", "!", "-", "_", "?", "$", "%", "&", "=", "-", "+" },
            v.Select(x => Assert.IsType<Symbol>(x).FullName).ToArray());
    }

    [Fact]
    public void A_datalog_query_reads_as_nested_symbols_and_keywords()
    {
        var q = Assert.IsType<EdnVector>(EdnReader.Read("[:find ?e ?n :in $ % :where [?e :name ?n] [(not= ?n \"x\")]]"));
        Assert.Equal(Keyword.Intern("find"), q[0]);
        Assert.Same(Symbol.Intern("?e"), q[1]);
        Assert.Same(Symbol.Intern("$"), q[4]);
        Assert.Same(Symbol.Intern("%"), q[5]);
        Assert.Equal(9, q.Count);
        var clause = Assert.IsType<EdnVector>(q[7]);
        var call = Assert.IsType<EdnList>(Assert.IsType<EdnVector>(q[8])[0]);
        Assert.Same(Symbol.Intern("not="), call[0]);
        Assert.Equal(Keyword.Intern("name"), clause[1]);
    }

    [Fact]
    public void A_lone_colon_is_an_error()
    {
        SyntaxError(":", "keyword needs a name", 1, 1);
        SyntaxError("[: a]", "keyword needs a name", 1, 2);
    }

    [Theory]
    [InlineData("::a")]
    [InlineData("::does.not/exist")]
    [InlineData("::")]
    public void Auto_resolved_keywords_are_an_error(string text)
    {
        SyntaxError(text, "Auto-resolved keywords", 1, 1);
    }

    [Theory]
    [InlineData(":a/")]
    [InlineData(":bar/")]
    [InlineData(":a/1")]
    [InlineData(":a:")]
    [InlineData(":a::b")]
    [InlineData(":a/b/c")]
    [InlineData(":a//b")]
    [InlineData(":#/#")]
    [InlineData(":#/:")]
    [InlineData(":a|b")]
    public void Malformed_keywords_are_an_error(string text)
    {
        var e = SyntaxError(text, "Invalid keyword", 1, 1);
        Assert.Contains(text, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("foo:")]
    [InlineData("a/")]
    [InlineData("/a")]
    [InlineData("a/b/c")]
    [InlineData("a::b")]
    [InlineData(".5")]
    [InlineData(".5a")]
    [InlineData("a/1")]
    [InlineData("a/-1")]
    [InlineData("a|b")]
    [InlineData("a\u0001b")]
    public void Malformed_symbols_are_an_error(string text)
    {
        var e = SyntaxError(text, "Invalid symbol", 1, 1);
        Assert.Contains(text, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("|", '|')]
    [InlineData("\u0001", '\u0001')]
    public void A_character_that_cannot_start_anything_is_an_error(string text, char c)
    {
        SyntaxError(text, $"Unexpected character '{c}'", 1, 1);
    }

    [Fact]
    public void A_symbol_cannot_start_with_a_digit()
    {
        SyntaxError("1abc", "Invalid number", 1, 1);
        SyntaxError("-1abc", "Invalid number", 1, 1);
    }

    [Fact]
    public void Repeated_keywords_and_symbols_are_the_same_instances()
    {
        var v = Assert.IsType<EdnVector>(EdnReader.Read("[:db/id :db/id ?e ?e]"));
        Assert.Same(v[0], v[1]);
        Assert.Same(v[2], v[3]);
    }
}
