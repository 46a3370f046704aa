using Hike.Edn;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.FullText;

/// <summary>The schema of full-text attributes: Datomic's <c>:db/fulltext</c> flag and Hike's analyzer per attribute.</summary>
public sealed class FullTextSchemaTests
{
    private const string Gloss = "{:db/ident :gloss :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/fulltext true :db.fulltext/analyzer :english}";

    [Fact]
    public void The_flag_and_the_analyzer_are_part_of_the_schema_and_survive_a_reopen()
    {
        var db = NewDb($"[{Gloss} {{:db/ident :title :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/fulltext true}}]");
        var gloss = (EdnMap)db.Schema()[K("gloss")]!;
        Assert.Equal(true, gloss[K("db/fulltext")]);
        Assert.Equal(K("english"), gloss[K("db.fulltext/analyzer")]);
        var title = (EdnMap)db.Schema()[K("title")]!;
        Assert.Equal(true, title[K("db/fulltext")]);
        Assert.Null(title.Get(K("db.fulltext/analyzer")));
        Assert.Equal("#{:gloss :title}", EdnPrinter.Print(db.ReverseSchema()[K("db/fulltext")]));
    }

    [Theory]
    [InlineData("{:db/ident :n :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/fulltext true}", ":db/fulltext needs :db.type/string, and :n is :db.type/long")]
    [InlineData("{:db/ident :s :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db.fulltext/analyzer :english}", ":db.fulltext/analyzer :english on :s needs :db/fulltext true")]
    public void A_full_text_setting_that_cannot_hold_is_refused_by_name(string attribute, string message)
    {
        var error = Assert.Throws<HikeException>(() => NewDb($"[{attribute}]"));
        Assert.Equal(ErrorCodes.TransactSchema, error.Code);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void An_unknown_analyzer_is_refused_with_the_known_ones()
    {
        var error = Assert.Throws<HikeException>(() => NewDb("[{:db/ident :s :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/fulltext true :db.fulltext/analyzer :klingon}]"));
        Assert.Equal(ErrorCodes.FulltextAnalyzer, error.Code);
        Assert.StartsWith("Unknown full-text analyzer :klingon; known analyzers: :arabic, ", error.Message, StringComparison.Ordinal);
        Assert.Contains(":english", error.Message, StringComparison.Ordinal);
    }
}
