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
    public void Datahikes_secondary_index_declaration_makes_its_attributes_full_text()
    {
        // doc/secondary-indices.md: {:db/ident :idx/fulltext :db.secondary/type :scriptum :db.secondary/attrs [...] :db.secondary/config {...}}
        var conn = Connect("[{:db/ident :person/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one} {:db/ident :person/bio :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
        conn.Transact("[{:person/name \"Alice\" :person/bio \"Machine learning researcher\"} {:person/name \"Bob\" :person/bio \"Database administrator\"}]");
        conn.Transact("[{:db/ident :idx/fulltext :db.secondary/type :scriptum :db.secondary/attrs [:person/name :person/bio] :db.secondary/config {:path \"/tmp/ignored\" :analyzer :english}}]");
        Assert.Equal(K("english"), ((EdnMap)conn.Db.Schema()[K("person/bio")]!)[K("db.fulltext/analyzer")]);
        Assert.Equal("Machine learning researcher", Assert.Single(conn.Db.Search("person/bio", "learn")).Value);
        Assert.Equal("Bob", Assert.Single(conn.Db.Search("person/name", "bob")).Value);

        var error = Assert.Throws<HikeException>(() => conn.Transact("[{:db/ident :idx/vectors :db.secondary/type :proximum :db.secondary/attrs [:person/bio]}]"));
        Assert.Equal(ErrorCodes.TransactSchema, error.Code);
        Assert.StartsWith(":db.secondary/type :proximum is not supported", error.Message, StringComparison.Ordinal);
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
