using Hike.Edn;
using Hike.FullText;
using Hike.Db;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.FullText;

/// <summary>Which values a transaction's data shows for analysing ahead of the writer.</summary>
public sealed class FullTextAheadTests
{
    private const string Schema = """
        [{:db/ident :title :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
         {:db/ident :body :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/fulltext true}
         {:db/ident :tags :db/valueType :db.type/string :db/cardinality :db.cardinality/many :db/fulltext true :db.fulltext/analyzer :english}
         {:db/ident :part :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}]
        """;

    private static readonly Lucene.Net.Analysis.Analyzer Standard = FullTextAnalyzers.Get(Keyword.Intern("standard"));
    private static readonly Lucene.Net.Analysis.Analyzer English = FullTextAnalyzers.Get(Keyword.Intern("english"));

    [Fact]
    public void Full_text_values_of_maps_nested_maps_additions_and_many_valued_attributes_are_foreseen_each_with_its_analyzer()
    {
        var schema = NewDb(Schema).State.Schema;
        var data = EdnReader.Read("""
            [{:title "not indexed" :body "a map's body" :tags ["red shoes" "blue"]
              :part [{:body "a nested body"} {:part {:body "deeper"}}]}
             [:db/add "x" :body "an added body"]
             [:db/add "x" :title "a title"]
             [:db/retract 1 :body "a retracted body"]
             {"body" "a string key"}]
            """);

        var ahead = FullTextAhead.Plan(schema, data)!.Take();

        foreach (var body in (string[])["a map's body", "a nested body", "deeper", "an added body"]) Assert.True(ahead.TryGet(Standard, body, out _), body);
        Assert.True(ahead.TryGet(English, "red shoes", out _));
        Assert.True(ahead.TryGet(English, "blue", out _));
        Assert.False(ahead.TryGet(Standard, "red shoes", out _));
        Assert.False(ahead.TryGet(Standard, "not indexed", out _));
        Assert.False(ahead.TryGet(Standard, "a title", out _));
        Assert.False(ahead.TryGet(Standard, "a retracted body", out _));
        // A string key is not a keyword: Hike reads it as one when it runs, the forecast does not (it is only a forecast).
        Assert.False(ahead.TryGet(Standard, "a string key", out _));
    }

    [Fact]
    public void A_schema_without_full_text_or_data_without_its_values_foresees_nothing()
    {
        var plain = NewDb("[{:db/ident :title :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]").State.Schema;
        var schema = NewDb(Schema).State.Schema;

        Assert.Null(FullTextAhead.Plan(plain, EdnReader.Read("""[{:title "x"}]""")));
        Assert.Null(FullTextAhead.Plan(schema, EdnReader.Read("""[{:title "x"} [:db/add "y" :tags 42]]""")));
        Assert.Null(FullTextAhead.Plan(schema, EdnReader.Read("""{:body "a map is not transaction data"}""")));
        Assert.Null(FullTextAhead.Plan(null, EdnReader.Read("""[{:body "no schema known yet"}]""")));
    }

    [Fact]
    public void Data_the_forecast_cannot_read_is_left_to_the_writer_which_names_what_is_wrong()
    {
        using var conn = Connect(Schema);
        // A dictionary whose enumeration fails: the forecast steps aside, the transaction reports the failure itself.
        var bad = new object[] { new FailingDictionary() };

        Assert.Null(TransactionAhead.Plan(conn.Db.State.Schema, bad));
        Assert.ThrowsAny<Exception>(() => conn.Transact(bad));
        conn.Transact("[{:body \"still writing\"}]");
        Assert.Single(conn.Db.Search(":body", "writing"));
    }

    private sealed class FailingDictionary : System.Collections.Hashtable
    {
        public override System.Collections.IDictionaryEnumerator GetEnumerator() => throw new InvalidOperationException("cannot be read");
    }

    [Fact]
    public void Transactions_through_a_connection_index_the_same_whether_or_not_their_values_were_foreseen()
    {
        using var conn = Connect(Schema);
        conn.Transact("""[{:title "one" :body "the quick brown fox" :tags ["running shoes"]}]""");
        // Not foreseen: a string key, and a value a transaction function would add is the same path.
        conn.Transact(new object[] { new Dictionary<string, object> { [":title"] = "two", [":body"] = "a quick red fox" } });
        conn.Transact("""[[:db/add "t" :body "foreseen, then replaced in the same transaction"] [:db/add "t" :body "the fox that stayed"]]""");

        var db = conn.Db;
        Assert.Equal(3, db.Search(":body", "fox").Count);
        Assert.Single(db.Search(":tags", "run"));
        Assert.Empty(db.Search(":body", "replaced"));
    }
}
