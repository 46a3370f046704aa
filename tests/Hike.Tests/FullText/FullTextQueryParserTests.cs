using Hike.Edn;
using Hike.FullText;

namespace Hike.Tests.FullText;

public sealed class FullTextQueryParserTests
{
    private static FullTextQuery Parse(string query, string analyzer = "standard") =>
        FullTextQueryParser.Parse(query, FullTextAnalyzers.Get(Keyword.Intern(analyzer)));

    private static FullTextClause Clause(FullTextOccur occur, string term) => new(occur, new FullTextTerm(term));

    [Fact]
    public void Terms_are_analyzed_as_the_index_is()
    {
        Assert.Equal(new FullTextTerm("dog"), Parse("Dog"));
        Assert.Equal(new FullTextTerm("run"), Parse("running", "english"));
        Assert.Equal(new FullTextBoolean([]), Parse("the"));
    }

    [Fact]
    public void Must_should_and_not_become_boolean_clauses()
    {
        Assert.Equal(new FullTextBoolean([Clause(FullTextOccur.Must, "dog"), Clause(FullTextOccur.Must, "cat")]), Parse("+dog +cat"));
        Assert.Equal(new FullTextBoolean([Clause(FullTextOccur.Must, "dog"), Clause(FullTextOccur.Must, "cat")]), Parse("dog AND cat"));
        Assert.Equal(new FullTextBoolean([Clause(FullTextOccur.Should, "dog"), Clause(FullTextOccur.Should, "cat")]), Parse("dog cat"));
        Assert.Equal(new FullTextBoolean([Clause(FullTextOccur.Should, "dog"), Clause(FullTextOccur.Should, "cat")]), Parse("dog OR cat"));
        Assert.Equal(new FullTextBoolean([Clause(FullTextOccur.Should, "dog"), Clause(FullTextOccur.MustNot, "cat")]), Parse("dog -cat"));
        Assert.Equal(new FullTextBoolean([Clause(FullTextOccur.Must, "dog"), Clause(FullTextOccur.MustNot, "cat")]), Parse("dog AND NOT cat"));
        Assert.Equal(
            new FullTextBoolean([Clause(FullTextOccur.Must, "dog"), new(FullTextOccur.Must, new FullTextBoolean([Clause(FullTextOccur.Should, "cat"), Clause(FullTextOccur.Should, "bird")]))]),
            Parse("dog AND (cat OR bird)"));
    }

    [Fact]
    public void Phrases_keep_the_gaps_of_removed_stop_words()
    {
        Assert.Equal(new FullTextPhrase(["salt", "water"], [0, 1]), Parse("\"Salt water\""));
        Assert.Equal(new FullTextPhrase(["member", "crew"], [0, 3]), Parse("\"member of the crew\""));
        Assert.Equal(new FullTextPhrase(["cat", "sat"], [1, 2]), Parse("\"the cat sat\""));
        Assert.Equal(new FullTextTerm("cat"), Parse("\"the cat\""));
    }

    [Fact]
    public void A_trailing_star_is_a_lowercased_prefix_not_analyzed()
    {
        Assert.Equal(new FullTextPrefix("dom"), Parse("Dom*"));
        Assert.Equal(new FullTextPrefix("running"), Parse("running*", "english"));
    }

    [Theory]
    [InlineData("dog~", "fuzzy")]
    [InlineData("dog~2", "fuzzy")]
    [InlineData("[a TO c]", "range")]
    [InlineData("d?g", "wildcard")]
    [InlineData("do*g", "wildcard")]
    [InlineData("\"salt water\"~2", "slop")]
    [InlineData("dog^2", "boost")]
    [InlineData("title:dog", "field")]
    [InlineData("*:*", "match-all")]
    [InlineData("/d.g/", "regular expression")]
    public void Other_query_kinds_are_unsupported_errors(string query, string named)
    {
        var e = Assert.Throws<HikeException>(() => Parse(query));

        Assert.Equal(ErrorCodes.FulltextUnsupported, e.Code);
        Assert.Contains(named, e.Message);
        Assert.Contains(query.Replace("\"", "\\\"", StringComparison.Ordinal), e.Message);
    }

    [Theory]
    [InlineData("dog AND", 7)]
    [InlineData("(dog cat", 8)]
    [InlineData("dog )", 4)]
    [InlineData("\"salt water", 12)]
    public void Syntax_errors_name_the_column_Lucene_reports(string query, int column)
    {
        var e = Assert.Throws<HikeException>(() => Parse(query));

        Assert.Equal(ErrorCodes.FulltextSyntax, e.Code);
        Assert.Contains($"at column {column}: ", e.Message);
        Assert.Contains($"line 1, column {column}.", e.Message);
        Assert.DoesNotContain("\n", e.Message);
        Assert.Contains(query.Replace("\"", "\\\"", StringComparison.Ordinal), e.Message);
    }

    [Fact]
    public void A_leading_wildcard_is_a_syntax_error_in_Lucenes_words()
    {
        var e = Assert.Throws<HikeException>(() => Parse("*dog"));

        Assert.Equal(ErrorCodes.FulltextSyntax, e.Code);
        Assert.Equal("Cannot parse full-text query \"*dog\": '*' or '?' not allowed as first character in WildcardQuery", e.Message);
    }
}
