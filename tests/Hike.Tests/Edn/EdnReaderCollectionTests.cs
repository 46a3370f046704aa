using Hike.Edn;
using static Hike.Tests.Edn.EdnAssert;

namespace Hike.Tests.Edn;

public sealed class EdnReaderCollectionTests
{
    private static readonly Keyword A = Keyword.Intern("a");
    private static readonly Keyword B = Keyword.Intern("b");

    [Fact]
    public void A_list_reads_as_an_EdnList()
    {
        var list = Assert.IsType<EdnList>(EdnReader.Read("(1 \"two\" :three)"));
        Assert.Equal(new object?[] { 1L, "two", Keyword.Intern("three") }, list.ToArray());
        Assert.Same(EdnList.Empty, EdnReader.Read("()"));
        Assert.Same(EdnList.Empty, EdnReader.Read("( \n )"));
    }

    [Fact]
    public void A_vector_reads_as_an_EdnVector()
    {
        var vector = Assert.IsType<EdnVector>(EdnReader.Read("[1 2.5 nil true \\c]"));
        Assert.Equal(new object?[] { 1L, 2.5, null, true, 'c' }, vector.ToArray());
        Assert.Same(EdnVector.Empty, EdnReader.Read("[]"));
    }

    [Fact]
    public void Nested_collections_read_with_their_own_types()
    {
        var v = Assert.IsType<EdnVector>(EdnReader.Read("[(1 [2 {:a #{3}}]) [] ()]"));
        var list = Assert.IsType<EdnList>(v[0]);
        var inner = Assert.IsType<EdnVector>(list[1]);
        var map = Assert.IsType<EdnMap>(inner[1]);
        var set = Assert.IsType<EdnSet>(map[A]);
        Assert.True(set.Contains(3L));
        Assert.Same(EdnVector.Empty, v[1]);
        Assert.Same(EdnList.Empty, v[2]);
    }

    [Fact]
    public void A_map_reads_as_an_EdnMap_keeping_entry_order()
    {
        var map = Assert.IsType<EdnMap>(EdnReader.Read("{:db/id 101, :name \"Judea\", :age 42}"));
        Assert.Equal(3, map.Count);
        Assert.Equal(101L, map[Keyword.Intern("db/id")]);
        Assert.Equal("Judea", map[Keyword.Intern("name")]);
        Assert.Equal(
            new object[] { Keyword.Intern("db/id"), Keyword.Intern("name"), Keyword.Intern("age") },
            map.Keys.ToArray());
        Assert.Same(EdnMap.Empty, EdnReader.Read("{}"));
    }

    [Fact]
    public void A_map_may_have_nil_and_collection_keys()
    {
        var map = Assert.IsType<EdnMap>(EdnReader.Read("{nil 1, [1 2] :vec, {:a 1} :map, #{} :set, \"s\" nil}"));
        Assert.Equal(1L, map.Get(null));
        Assert.Equal(Keyword.Intern("vec"), map.Get(EdnList.Create(1L, 2L)));
        Assert.Equal(Keyword.Intern("map"), map.Get(EdnMap.Of(A, 1L)));
        Assert.Equal(Keyword.Intern("set"), map.Get(EdnSet.Empty));
        Assert.True(map.ContainsKey("s"));
        Assert.Null(map.Get("s", "absent"));
    }

    [Fact]
    public void A_large_map_reads_every_entry()
    {
        var text = "{" + string.Join(" ", Enumerable.Range(0, 500).Select(i => $":k{i} {i}")) + "}";
        var map = Assert.IsType<EdnMap>(EdnReader.Read(text));
        Assert.Equal(500, map.Count);
        Assert.Equal(499L, map[Keyword.Intern("k499")]);
    }

    [Fact]
    public void A_set_reads_as_an_EdnSet()
    {
        var set = Assert.IsType<EdnSet>(EdnReader.Read("#{1 :a \"s\" nil [1]}"));
        Assert.Equal(5, set.Count);
        Assert.True(set.Contains(null));
        Assert.True(set.Contains(EdnList.Create(1L)));
        Assert.Same(EdnSet.Empty, EdnReader.Read("#{}"));
    }

    [Theory]
    [InlineData("{:a 1 :a 2}", ":a", 1, 7)]
    [InlineData("{:a 1, :b 2, :a 3}", ":a", 1, 14)]
    [InlineData("{nil 1 nil 2}", "nil", 1, 8)]
    [InlineData("{[1 2] 1 (1 2) 2}", "(1 2)", 1, 10)]
    [InlineData("{1 :x 1N :y}", "1N", 1, 7)]
    [InlineData("{:a 1\n :b 2\n :a 3}", ":a", 3, 2)]
    public void Reading_a_map_with_a_duplicate_key_is_an_error_naming_the_key(string text, string key, int line, int column)
    {
        var e = SyntaxError(text, $"Duplicate key {key}", line, column);
        Assert.Equal($"Duplicate key {key} in map (line {line}, column {column})", e.Message);
    }

    [Fact]
    public void Reading_a_large_map_with_a_duplicate_key_is_an_error_naming_the_key()
    {
        var text = "{" + string.Join(" ", Enumerable.Range(0, 20).Select(i => $":k{i} {i}")) + " :k3 0}";
        var e = SyntaxError(text, "Duplicate key :k3", 1, text.Length - 5);
        Assert.Contains("in map", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("#{1 2 1}", "1", 1, 7)]
    [InlineData("#{:a :b :a}", ":a", 1, 9)]
    [InlineData("#{nil nil}", "nil", 1, 7)]
    [InlineData("#{[1] (1)}", "(1)", 1, 7)]
    [InlineData("#{1 1N}", "1N", 1, 5)]
    public void Reading_a_set_with_a_duplicate_element_is_an_error(string text, string element, int line, int column)
    {
        SyntaxError(text, $"Duplicate element {element} in set", line, column);
    }

    [Fact]
    public void Values_that_are_distinct_in_clojure_are_distinct_keys()
    {
        var map = Assert.IsType<EdnMap>(EdnReader.Read("{1 :long, 1.0 :double, 1M :decimal, \"1\" :string, \\1 :char}"));
        Assert.Equal(5, map.Count);
    }

    [Theory]
    [InlineData("{:a}")]
    [InlineData("{:a 1 :b}")]
    [InlineData("{1 2 3}")]
    public void Reading_a_map_with_an_odd_number_of_forms_is_an_error(string text)
    {
        SyntaxError(text, "Map literal must contain an even number of forms", 1, 1);
    }

    [Theory]
    [InlineData("[1 2", "vector", 1, 1)]
    [InlineData("(1 2", "list", 1, 1)]
    [InlineData("{:a 1", "map", 1, 1)]
    [InlineData("#{1", "set", 1, 1)]
    [InlineData("[1 [2 3]", "vector", 1, 1)]
    [InlineData("[1 (2 3", "list", 1, 4)]
    [InlineData("\n[:a\n", "vector", 2, 1)]
    [InlineData("[1 ; comment ]", "vector", 1, 1)]
    public void An_unclosed_collection_is_an_error_naming_where_it_started(string text, string kind, int line, int column)
    {
        var e = SyntaxError(text);
        Assert.Equal($"EOF while reading {kind} started at line {line}, column {column}", e.Message);
        Assert.Equal((line, column), (e.Line, e.Column));
    }

    [Theory]
    [InlineData(")", ')', 1, 1)]
    [InlineData("]", ']', 1, 1)]
    [InlineData("}", '}', 1, 1)]
    [InlineData("  \n\n   ]", ']', 3, 4)]
    public void A_closing_delimiter_without_an_opening_one_is_an_error(string text, char c, int line, int column)
    {
        var e = SyntaxError(text, $"Unexpected '{c}'", line, column);
        Assert.Equal($"Unexpected '{c}' (line {line}, column {column})", e.Message);
    }

    [Theory]
    [InlineData("[1 2)", ')', ']', "vector", 1, 5)]
    [InlineData("(1 2]", ']', ')', "list", 1, 5)]
    [InlineData("{:a 1]", ']', '}', "map", 1, 6)]
    [InlineData("#{1)", ')', '}', "set", 1, 4)]
    [InlineData("[(1 2]]", ']', ')', "list", 1, 6)]
    public void A_mismatched_closing_delimiter_is_an_error(string text, char found, char expected, string kind, int line, int column)
    {
        var e = SyntaxError(text, $"Unexpected '{found}', expected '{expected}' to close the {kind}", line, column);
        Assert.EndsWith($"(line {line}, column {column})", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Commas_are_whitespace()
    {
        var v = Assert.IsType<EdnVector>(EdnReader.Read(",,[,1,,2,],,"));
        Assert.Equal(new object?[] { 1L, 2L }, v.ToArray());
        Assert.Equal(EdnMap.Of(A, 1L, B, 2L), EdnReader.Read("{:a,1,:b,2}"));
    }

    [Fact]
    public void All_whitespace_characters_separate_forms()
    {
        var v = Assert.IsType<EdnVector>(EdnReader.Read("[1\t2\r\n3\f4\v5\u20286\u30007\u001F8]"));
        Assert.Equal(new object?[] { 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L }, v.ToArray());
    }

    [Fact]
    public void A_no_break_space_is_not_whitespace_as_in_clojure()
    {
        Assert.Same(Symbol.Intern("a\u00a0b"), EdnReader.Read("a\u00a0b"));
    }

    [Fact]
    public void Line_comments_run_to_the_end_of_the_line()
    {
        var v = Assert.IsType<EdnVector>(EdnReader.Read("; leading\n[1 ; one\n 2 ;; two ] \"x\"\n]; trailing"));
        Assert.Equal(new object?[] { 1L, 2L }, v.ToArray());
        Assert.Equal(42L, EdnReader.Read("42;no newline after the comment"));
    }

    [Fact]
    public void A_discarded_form_is_skipped()
    {
        Assert.Equal(2L, EdnReader.Read("#_1 2"));
        Assert.Equal(2L, EdnReader.Read("#_ 1 2"));
        Assert.Equal(2L, EdnReader.Read("2 #_1"));
        Assert.Equal(EdnVector.Create(1L, 3L), EdnReader.Read("[1 #_2 3]"));
        Assert.Equal(EdnVector.Create(1L), EdnReader.Read("[1 #_2]"));
        Assert.Equal(EdnVector.Empty, EdnReader.Read("[#_[1 2 3]]"));
        Assert.Equal(EdnMap.Of(A, 1L), EdnReader.Read("{:a 1 #_:b #_2}"));
        Assert.Equal(EdnMap.Of(A, 1L), EdnReader.Read("{:a #_ :x 1}"));
        Assert.Equal(EdnSet.Of(1L), EdnReader.Read("#{1 #_1}"));
    }

    [Fact]
    public void Discards_nest_and_chain()
    {
        Assert.Equal(Symbol.Intern("c"), EdnReader.Read("#_ #_ a b c"));
        Assert.Equal(EdnVector.Create(Symbol.Intern("d")), EdnReader.Read("[#_ #_ #_ a b c d]"));
        Assert.Equal(EdnVector.Create(3L), EdnReader.Read("[#_ [1 #_ 2] 3]"));
        Assert.Equal(1L, EdnReader.Read("#_ ; comment\n :x 1"));
        Assert.Equal(EdnVector.Create(2L), EdnReader.Read("[#_ #inst \"2020\" 2]"));
    }

    [Fact]
    public void A_discarded_form_must_still_be_well_formed()
    {
        SyntaxError("#_ {:a} 1", "even number of forms", 1, 4);
        SyntaxError("[1 #_ #foo 2]", "Unknown tag #foo", 1, 7);
    }

    [Fact]
    public void A_discard_with_nothing_to_discard_is_an_error()
    {
        var e = SyntaxError("1 #_");
        Assert.Equal("EOF while reading the form discarded by #_ at line 1, column 3", e.Message);
        SyntaxError("[1 #_]", "Unexpected ']'", 1, 6);
    }

    [Fact]
    public void A_namespaced_map_qualifies_its_plain_keys()
    {
        var expected = EdnMap.Of(1L, 1L, Keyword.Intern("a/b"), 2L, Keyword.Intern("b/c"), 3L, Keyword.Intern("d"), 4L);
        ValueEqual(expected, EdnReader.Read("#:a{1 1, :b 2, :b/c 3, :_/d 4}"));
        ValueEqual(expected, EdnReader.Read("#:a {1 1, :b 2, :b/c 3, :_/d 4}"));
        ValueEqual(EdnMap.Of(Symbol.Intern("a/b"), 1L, Symbol.Intern("b/c"), 2L), EdnReader.Read("#:a{b 1 b/c 2}"));
        ValueEqual(EdnMap.Of(Keyword.Intern("person.x/name"), "Ann"), EdnReader.Read("#:person.x{:name \"Ann\"}"));
    }

    [Theory]
    [InlineData("#:::", "Auto-resolved namespaced maps", 1)]
    [InlineData("#::{:a 1}", "Auto-resolved namespaced maps", 1)]
    [InlineData("#:s{1}", "even number of forms", 4)]
    [InlineData("#:s/t{1 2}", "Invalid namespace", 1)]
    [InlineData("#: s{:a 1}", "Invalid namespace", 1)]
    [InlineData("#:s[1 2]", "must be followed by a map", 1)]
    [InlineData("#:s", "must be followed by a map", 1)]
    public void A_malformed_namespaced_map_is_an_error(string text, string fragment, int column)
    {
        SyntaxError(text, fragment, 1, column);
    }

    [Fact]
    public void A_duplicate_created_by_a_namespaced_map_prefix_is_reported_at_the_second_key()
    {
        SyntaxError("#:a{:b 1 :a/b 2}", "Duplicate key :a/b in map", 1, 10);
    }
}
